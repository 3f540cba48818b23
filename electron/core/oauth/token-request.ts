/**
 * Builds a token endpoint request (RFC 6749 §3.2): `POST`, form-urlencoded body, `Accept:
 * application/json`, with the connection's request parameters and client authentication.
 *
 * Client authentication (RFC 6749 §2.3, RFC 7523 §2.2, z/OS Connect seed 001):
 * - basic: `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))` (§2.3.1);
 * - body: `client_id` and `client_secret` in the form (z/OS `clientSecretInBody`);
 * - ID only: `client_id` in the form — always so when there is no secret;
 * - private_key_jwt / client_secret_jwt: `client_assertion_type` + a freshly signed
 *   `client_assertion` whose `sub` is the client ID; `client_id` in the form only when asked
 *   (z/OS `jwtAuthenticationSetClientId`).
 */
import type { Connection, ClientAuthMethod, NameValue } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import type { HttpRequest } from '../http/http-client.js';
import { buildJwt, type BuiltJwt } from '../jwt/jwt-builder.js';
import { resolveSigningKey } from '../resources.js';
import { nowOf, type FlowContext } from './flow-context.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type FormParams = Array<[string, string]>;

export interface PreparedTokenRequest {
  request: HttpRequest;
  /** The client assertion signed for this request, if any (never reused: DESIGN, z/OS). */
  clientAssertion?: BuiltJwt;
  clientAuth: Exclude<ClientAuthMethod, 'auto'> | 'omitted';
}

/** Which request the custom parameters are for. */
export type RequestKind = 'token' | 'refresh';

/** `auto` made concrete: basic with ID and secret, ID only with an ID, nothing without one. */
export function effectiveClientAuth(
  conn: Connection,
): Exclude<ClientAuthMethod, 'auto'> | 'omitted' {
  const { id, secret, authMethod } = conn.client;
  if (authMethod !== 'auto') return authMethod;
  if (id && secret) return 'client_secret_basic';
  if (id) return 'none';
  return 'omitted';
}

/** RFC 6749 §2.3.1: each of ID and secret form-urlencoded before base64. */
export function basicCredentials(id: string, secret: string): string {
  const encode = (v: string) => new URLSearchParams([['', v]]).toString().slice(1);
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** Sets a parameter, replacing any earlier one of the same name. */
function setParam(form: FormParams, name: string, value: string): void {
  const kept = form.filter(([n]) => n !== name);
  form.length = 0;
  form.push(...kept, [name, value]);
}

/** scope, resource (repeatable), audience and custom parameters of the connection. */
export function requestParameters(
  conn: Connection,
  kind: RequestKind | 'authorization',
): FormParams {
  const form: FormParams = [];
  const { scope, resource, audience } = conn.params;
  if (scope.trim()) form.push(['scope', scope.trim().replace(/\s+/g, ' ')]);
  for (const r of resource) form.push(['resource', r]);
  if (audience.trim()) form.push(['audience', audience.trim()]);
  const custom: NameValue[] =
    kind === 'token'
      ? conn.params.tokenParams
      : kind === 'refresh'
        ? conn.params.refreshParams
        : conn.params.authorizationParams;
  // A custom parameter named like a standard one replaces it (e.g. a provider-specific scope).
  const seen = new Set<string>();
  for (const { name, value } of custom) {
    if (seen.has(name)) form.push([name, value]);
    else setParam(form, name, value);
    seen.add(name);
  }
  return form;
}

/**
 * Prepares the POST to the token endpoint: grant parameters first, then the connection's
 * request parameters, then client authentication.
 */
export async function prepareTokenRequest(
  conn: Connection,
  grant: FormParams,
  kind: RequestKind,
  ctx: FlowContext,
  options: { includeRequestParameters?: boolean } = {},
): Promise<PreparedTokenRequest> {
  const form: FormParams = [...grant];
  if (options.includeRequestParameters !== false) {
    for (const [name, value] of requestParameters(conn, kind)) {
      if (name === 'resource' || !form.some(([n]) => n === name)) form.push([name, value]);
    }
  }
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': 'Tokensmith',
  };
  const clientAuth = effectiveClientAuth(conn);
  const { id, secret, sendClientIdWithAssertion } = conn.client;
  let clientAssertion: BuiltJwt | undefined;
  const requireId = () => {
    if (!id) {
      throw new TokensmithError(
        'invalid_input',
        'Client ID is required for this client authentication.',
        {
          field: 'client.id',
        },
      );
    }
  };
  switch (clientAuth) {
    case 'client_secret_basic':
      requireId();
      headers.authorization = basicCredentials(id, secret);
      break;
    case 'client_secret_post':
      requireId();
      form.push(['client_id', id], ['client_secret', secret]);
      break;
    case 'none':
      requireId();
      form.push(['client_id', id]);
      break;
    case 'private_key_jwt':
    case 'client_secret_jwt': {
      requireId();
      ctx.onProgress?.({ step: 'signing', message: 'Signing the client assertion' });
      const key =
        clientAuth === 'private_key_jwt'
          ? await resolveSigningKey(conn, ctx.resources, nowOf(ctx))
          : ({ kind: 'secret', secret } as const);
      clientAssertion = await buildJwt({
        settings: conn.jwt,
        mode: 'client_auth',
        key,
        clientId: id,
        defaults: { issuer: id, subject: id, audience: conn.tokenEndpoint },
        now: nowOf(ctx),
      });
      if (sendClientIdWithAssertion) form.push(['client_id', id]);
      form.push(
        ['client_assertion_type', CLIENT_ASSERTION_TYPE],
        ['client_assertion', clientAssertion.jwt],
      );
      break;
    }
    case 'omitted':
      break;
  }
  return {
    request: {
      method: 'POST',
      url: conn.tokenEndpoint,
      headers,
      body: new URLSearchParams(form).toString(),
    },
    clientAuth,
    ...(clientAssertion ? { clientAssertion } : {}),
  };
}
