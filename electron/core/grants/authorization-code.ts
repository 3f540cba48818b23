/**
 * Authorization Code grant (RFC 6749 §4.1) for a native app: PKCE S256 (RFC 7636) on by default,
 * `state` always, the system browser and an RFC 8252 loopback redirect, then the code exchange
 * at the token endpoint with the connection's client authentication.
 */
import type { AuthorizationCodeConnection } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import {
  PKCE_OFF_WARNING,
  buildAuthorizationUrl,
  randomToken,
  redirectUriOf,
} from '../oauth/authorization-request.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { startLoopbackRedirect } from '../oauth/loopback-redirect.js';
import type { ResolvedConnection } from '../oauth/resolve.js';
import { prepareTokenRequest } from '../oauth/token-request.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';

/** What the redirect brings and the flow kept: the code exchange's own parameters. */
export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier?: string;
}

/** Placeholders of an exported code exchange (the user signs in and fills them). */
export const EXPORTED_CODE = '\u0000var:CODE\u0000';
export const EXPORTED_CODE_VERIFIER = '\u0000var:CODE_VERIFIER\u0000';

/** Signs in: listen on the loopback, open the browser, wait for the callback. */
async function signIn(
  resolved: ResolvedConnection<AuthorizationCodeConnection>,
  ctx: FlowContext,
): Promise<CodeExchange> {
  const { conn } = resolved;
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
    return {
      code: callback.code,
      redirectUri: loopback.redirectUri,
      ...(codeVerifier ? { codeVerifier } : {}),
    };
  } finally {
    await loopback.close();
  }
}

export const authorizationCode: Grant<AuthorizationCodeConnection, CodeExchange> = {
  prepare(resolved, input) {
    const grant: Array<[string, string]> = [
      ['grant_type', 'authorization_code'],
      ['code', input.code],
      ['redirect_uri', input.redirectUri],
    ];
    if (input.codeVerifier) grant.push(['code_verifier', input.codeVerifier]);
    // The code carries the scope; resource, audience and custom token parameters still apply.
    return prepareTokenRequest(resolved, grant, 'token-without-scope');
  },
  async run(resolved, ctx) {
    const code = await signIn(resolved, ctx);
    resolved.secrets.push(code.code, ...(code.codeVerifier ? [code.codeVerifier] : []));
    const result = await runPrepared(resolved, authorizationCode.prepare(resolved, code), ctx);
    return resolved.conn.pkce
      ? result
      : { ...result, warnings: [...result.warnings, PKCE_OFF_WARNING] };
  },
  exportInput: ({ conn }) => ({
    code: EXPORTED_CODE,
    redirectUri: redirectUriOf(conn),
    ...(conn.pkce ? { codeVerifier: EXPORTED_CODE_VERIFIER } : {}),
  }),
};
