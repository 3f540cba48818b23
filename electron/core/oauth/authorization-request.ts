/**
 * The authorization request of the Authorization Code grant (RFC 6749 §4.1.1) for a native app:
 * PKCE S256 (RFC 7636), `state`, the RFC 8252 loopback Redirect URI. The grant itself (sign-in,
 * then the code exchange) is `grants/authorization-code.ts`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizationCodeConnection } from '../../../shared/connection.js';
import { requestParameters, type FormParams } from './token-request.js';

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

/** The authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3), in order. */
export function authorizationParams(
  conn: AuthorizationCodeConnection,
  redirectUri: string,
  state: string,
  codeVerifier?: string,
): FormParams {
  const params: FormParams = [
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
  return params;
}

/** The authorization endpoint with `params` in its query (replacing same-named ones it has). */
export function authorizationUrl(conn: AuthorizationCodeConnection, params: FormParams): string {
  const url = new URL(conn.authorizationEndpoint);
  for (const name of new Set(params.map(([n]) => n))) url.searchParams.delete(name);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.href;
}

export function buildAuthorizationUrl(
  conn: AuthorizationCodeConnection,
  redirectUri: string,
  state: string,
  codeVerifier?: string,
): string {
  return authorizationUrl(conn, authorizationParams(conn, redirectUri, state, codeVerifier));
}

/** Said in the progress line and the result's warnings when a connection turns PKCE off. */
export const PKCE_OFF_WARNING =
  'PKCE is off: the authorization code is not bound to this sign-in, so a code intercepted on its way back (another program on this machine, a logged URL) can be exchanged by someone else (RFC 7636 §1). Turn PKCE on unless the provider refuses it.';
