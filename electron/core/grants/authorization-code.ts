/**
 * Authorization Code grant (RFC 6749 §4.1) for a native app: PKCE S256 (RFC 7636) on by default,
 * `state` always, the system browser and an RFC 8252 loopback redirect, then the code exchange
 * at the token endpoint with the connection's client authentication.
 */
import type { AuthorizationCodeConnection } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import type { ExchangeRecord } from '../../../shared/token-result.js';
import {
  PKCE_OFF_WARNING,
  authorizationParams,
  authorizationUrl,
  randomToken,
  redirectUriOf,
} from '../oauth/authorization-request.js';
import type { AuthorizationServerMetadata } from '../oauth/discovery.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { startLoopbackRedirect } from '../oauth/loopback-redirect.js';
import {
  checkResponseIssuer,
  pushAuthorizationRequest,
  usesPar,
} from '../oauth/pushed-authorization.js';
import { serverMetadata } from '../oauth/server-metadata.js';
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

/** What signing in brought besides the code: the pushed request's exchange, warnings. */
interface SignedIn extends CodeExchange {
  exchanges: ExchangeRecord[];
  warnings: string[];
}

/**
 * The issuer's metadata for PAR and RFC 9207, when the connection names an issuer. A server
 * without metadata still signs in: what could not be checked is said in the warnings.
 */
async function metadataFor(
  resolved: ResolvedConnection<AuthorizationCodeConnection>,
  ctx: FlowContext,
  warnings: string[],
): Promise<AuthorizationServerMetadata | undefined> {
  try {
    return await serverMetadata(resolved, ctx);
  } catch (e) {
    warnings.push(
      `The issuer's metadata could not be read (${(e as Error).message}); whether the server requires PAR or promises iss in its responses (RFC 9207) was not checked.`,
    );
    return undefined;
  }
}

/** Signs in: listen on the loopback, open the browser, wait for the callback. */
async function signIn(
  resolved: ResolvedConnection<AuthorizationCodeConnection>,
  ctx: FlowContext,
): Promise<SignedIn> {
  const { conn } = resolved;
  if (!conn.client.id) {
    throw new TokensmithError('invalid_input', 'Client ID is required.', { field: 'client.id' });
  }
  const warnings: string[] = [];
  const exchanges: ExchangeRecord[] = [];
  const metadata = await metadataFor(resolved, ctx, warnings);
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
    const params = authorizationParams(conn, loopback.redirectUri, state, codeVerifier);
    let url = authorizationUrl(conn, params);
    if (usesPar(conn, metadata)) {
      const pushed = await pushAuthorizationRequest(resolved, ctx, params, metadata);
      exchanges.push(...pushed.exchanges);
      url = pushed.url;
    }
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
    checkResponseIssuer(callback.params.iss, conn, metadata);
    ctx.onProgress?.({ step: 'callback', message: 'Authorization received; exchanging the code' });
    return {
      code: callback.code,
      redirectUri: loopback.redirectUri,
      ...(codeVerifier ? { codeVerifier } : {}),
      exchanges,
      warnings,
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
    const { exchanges, warnings, ...code } = await signIn(resolved, ctx);
    resolved.secrets.push(code.code, ...(code.codeVerifier ? [code.codeVerifier] : []));
    const result = await runPrepared(resolved, authorizationCode.prepare(resolved, code), ctx);
    return {
      ...result,
      exchanges: [...exchanges, ...result.exchanges],
      warnings: [
        ...warnings,
        ...result.warnings,
        ...(resolved.conn.pkce ? [] : [PKCE_OFF_WARNING]),
      ],
    };
  },
  exportInput: ({ conn }) => ({
    code: EXPORTED_CODE,
    redirectUri: redirectUriOf(conn),
    ...(conn.pkce ? { codeVerifier: EXPORTED_CODE_VERIFIER } : {}),
  }),
};
