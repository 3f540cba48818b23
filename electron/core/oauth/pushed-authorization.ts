/**
 * What the Authorization Code flow adds around the browser: pushed authorization requests
 * (RFC 9126) — the request POSTed with client authentication (and a DPoP proof when the
 * connection has one), the browser given only `client_id` and `request_uri` — and the RFC 9207
 * check of the `iss` in the authorization response.
 */
import type { AuthorizationCodeConnection } from '../../../shared/connection.js';
import type { ExchangeRecord } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import { authorizationUrl } from './authorization-request.js';
import type { AuthorizationServerMetadata } from './discovery.js';
import type { FlowContext } from './flow-context.js';
import type { ResolvedConnection } from './resolve.js';
import { sendOAuthRequest } from './send.js';
import { prepareEndpointRequest, type FormParams } from './token-request.js';

/** Pushed when the connection asks for it or the server requires it (RFC 9126 §5). */
export function usesPar(
  conn: AuthorizationCodeConnection,
  metadata: AuthorizationServerMetadata | undefined,
): boolean {
  return conn.par || metadata?.require_pushed_authorization_requests === true;
}

/** RFC 9126 §2: push `params`; §4: the authorization URL with client_id and request_uri. */
export async function pushAuthorizationRequest(
  resolved: ResolvedConnection<AuthorizationCodeConnection>,
  ctx: FlowContext,
  params: FormParams,
  metadata: AuthorizationServerMetadata | undefined,
): Promise<{ url: string; exchanges: ExchangeRecord[] }> {
  const { conn } = resolved;
  const endpoint =
    conn.pushedAuthorizationRequestEndpoint || metadata?.pushed_authorization_request_endpoint;
  if (!endpoint)
    throw new TokensmithError(
      'invalid_input',
      conn.issuer
        ? `The issuer ${conn.issuer} does not advertise a pushed_authorization_request_endpoint: enter the Pushed Authorization Request Endpoint, or turn PAR off.`
        : 'Enter the Pushed Authorization Request Endpoint (or the Issuer to discover it), or turn PAR off.',
      { field: 'pushedAuthorizationRequestEndpoint' },
    );
  const prepared = await prepareEndpointRequest(resolved, endpoint, params, 'none');
  const { body, exchanges } = await sendOAuthRequest(
    resolved,
    prepared,
    ctx,
    'pushed_authorization',
    {
      dpop: true,
      progress: {
        step: 'pushed_authorization',
        message: `Pushing the authorization request to ${endpoint}`,
      },
    },
  );
  if (typeof body.request_uri !== 'string' || !body.request_uri)
    throw new TokensmithError(
      'invalid_response',
      `${endpoint} answered without a request_uri (RFC 9126 §2.2).`,
      { detail: { exchanges } },
    );
  return {
    url: authorizationUrl(conn, [
      ['client_id', conn.client.id],
      ['request_uri', body.request_uri],
    ]),
    exchanges,
  };
}

/**
 * RFC 9207 §2.4: an `iss` in the response must be the issuer, compared exactly (simple string
 * comparison: no trailing-slash tolerance); none at all is refused when the server advertises
 * `authorization_response_iss_parameter_supported` (a mix-up attack could send another server's
 * response to this redirect).
 */
export function checkResponseIssuer(
  iss: string | undefined,
  conn: AuthorizationCodeConnection,
  metadata: AuthorizationServerMetadata | undefined,
): void {
  const expected = metadata?.issuer ?? conn.issuer;
  if (iss === undefined) {
    if (metadata?.authorization_response_iss_parameter_supported)
      throw new TokensmithError(
        'invalid_response',
        `The authorization response has no iss, although ${metadata.issuer} promises one (authorization_response_iss_parameter_supported, RFC 9207): it may come from another server, so it was refused.`,
      );
    return;
  }
  if (!expected || iss === expected) return;
  // §2.4: simple string comparison. A trailing slash makes another issuer identifier, so it is
  // refused too; the message says why, since users often type an issuer with or without one.
  const slashOnly = iss.replace(/\/$/, '') === expected.replace(/\/$/, '');
  throw new TokensmithError(
    'invalid_response',
    slashOnly
      ? `The authorization response came from ${iss}, not the configured issuer ${expected}: they differ only by a trailing slash, but RFC 9207 §2.4 compares issuers exactly, so it was refused.${metadata ? '' : ' If the server names itself so, enter the Issuer exactly as it does.'}`
      : `The authorization response came from ${iss}, not the configured issuer ${expected}.`,
  );
}
