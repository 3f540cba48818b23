/**
 * Authorization Code grant (RFC 6749 §4.1) for a native app: PKCE S256 (RFC 7636) on by default,
 * `state` always, the system browser and an RFC 8252 loopback redirect, then the code exchange
 * at the token endpoint with the connection's client authentication.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizationCodeConnection } from '../../../shared/connection.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import type { FlowContext } from './flow-context.js';
import { startLoopbackRedirect } from './loopback-redirect.js';
import { callTokenEndpoint, checkBuiltAssertion } from './token-endpoint.js';
import { prepareTokenRequest, requestParameters } from './token-request.js';

export interface AuthorizationRequest {
  url: string;
  state: string;
  redirectUri: string;
  codeVerifier?: string;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** RFC 7636 §4.2: BASE64URL(SHA256(code_verifier)). */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The Redirect URI the user registers at the provider. */
export function redirectUriOf(
  conn: AuthorizationCodeConnection,
  port = conn.redirect.port,
): string {
  const { host, path, https } = conn.redirect;
  return `${https ? 'https' : 'http'}://${host}:${port === 0 ? '{port}' : port}${path}`;
}

export function buildAuthorizationUrl(
  conn: AuthorizationCodeConnection,
  redirectUri: string,
  state: string,
  codeVerifier?: string,
): string {
  const url = new URL(conn.authorizationEndpoint);
  const params: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', conn.client.id],
    ['redirect_uri', redirectUri],
    ['state', state],
  ];
  if (codeVerifier)
    params.push(
      ['code_challenge', codeChallengeS256(codeVerifier)],
      ['code_challenge_method', 'S256'],
    );
  // Extra authorization parameters (prompt, login_hint, access_type…) replace same-named ones.
  for (const [name, value] of requestParameters(conn, 'authorization')) {
    const i = params.findIndex(([n]) => n === name);
    if (i >= 0 && name !== 'resource') params.splice(i, 1);
    params.push([name, value]);
  }
  for (const name of new Set(params.map(([n]) => n))) url.searchParams.delete(name);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.href;
}

/** Said in the progress line and the result's warnings when a connection turns PKCE off. */
export const PKCE_OFF_WARNING =
  'PKCE is off: the authorization code is not bound to this sign-in, so a code intercepted on its way back (another program on this machine, a logged URL) can be exchanged by someone else (RFC 7636 §1). Turn PKCE on unless the provider refuses it.';

/** Runs the whole flow: listen, open the browser, wait for the callback, exchange the code. */
export async function authorizationCode(
  conn: AuthorizationCodeConnection,
  ctx: FlowContext,
): Promise<TokenResult> {
  if (!conn.client.id) {
    throw new TokensmithError('invalid_input', 'Client ID is required.', { field: 'client.id' });
  }
  const state = randomToken();
  const codeVerifier = conn.pkce ? randomToken(48) : undefined;
  const loopback = await startLoopbackRedirect({
    ...conn.redirect,
    timeoutMs: conn.loginTimeoutSeconds * 1000,
    state,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onNotice: (message) => ctx.onProgress?.({ step: 'browser', message }),
  });
  try {
    ctx.onProgress?.({ step: 'listening', message: `Listening on ${loopback.redirectUri}` });
    if (!conn.pkce) ctx.onProgress?.({ step: 'listening', message: PKCE_OFF_WARNING });
    const url = buildAuthorizationUrl(conn, loopback.redirectUri, state, codeVerifier);
    ctx.onProgress?.({ step: 'browser', message: 'Waiting for the sign-in in the browser', url });
    if (ctx.openUrl) {
      try {
        await ctx.openUrl(url);
      } catch (cause) {
        throw new TokensmithError(
          'internal',
          `The browser could not be opened; open this URL yourself: ${url}`,
          { cause },
        );
      }
    }
    const callback = await loopback.callback;
    // RFC 9207: when the server names itself in the callback, it must be the configured issuer.
    if (
      callback.params.iss &&
      conn.issuer &&
      callback.params.iss.replace(/\/$/, '') !== conn.issuer.replace(/\/$/, '')
    ) {
      throw new TokensmithError(
        'invalid_response',
        `The authorization response came from ${callback.params.iss}, not the configured issuer ${conn.issuer}.`,
      );
    }
    ctx.onProgress?.({ step: 'callback', message: 'Authorization received; exchanging the code' });
    const grant: Array<[string, string]> = [
      ['grant_type', 'authorization_code'],
      ['code', callback.code],
      ['redirect_uri', loopback.redirectUri],
    ];
    if (codeVerifier) grant.push(['code_verifier', codeVerifier]);
    // The code carries the scope; resource, audience and custom token parameters still apply.
    const params = requestParameters({ ...conn, params: { ...conn.params, scope: '' } }, 'token');
    const prepared = await prepareTokenRequest(conn, [...grant, ...params], 'token', ctx, {
      includeRequestParameters: false,
    });
    const sent = await callTokenEndpoint(conn, prepared, ctx);
    const result = conn.pkce ? sent : { ...sent, warnings: [...sent.warnings, PKCE_OFF_WARNING] };
    if (prepared.clientAssertion) {
      return {
        ...result,
        assertionCheck: await checkBuiltAssertion(
          conn,
          prepared.clientAssertion,
          undefined,
          ctx,
          conn.client.id,
        ),
      };
    }
    return result;
  } finally {
    await loopback.close();
  }
}
