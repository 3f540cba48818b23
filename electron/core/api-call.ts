/**
 * Try API: calls a URL with the connection's access token in `Authorization: Bearer …` (or
 * `DPoP …` with a proof for a DPoP-bound token, RFC 9449 §7; a resource server's nonce challenge
 * is answered once, §9; a JWT connection's JWT in its own header and scheme, API Gateway seed
 * 003), over the connection's network profile. Per z/OS Connect (seed 001): when the API answers 401 with a
 * `WWW-Authenticate` header containing `invalid_token`, a new token is obtained and the request
 * is retried once; with retry-check level 1, any 401 is retried without looking at the header.
 * A connection that combines OAuth with an authentication-server JWT (z/OS
 * `authenticationConfigRef="myoAuthConfig,myJWTConfig"`, seed 000) sends both: the access token
 * in Authorization, the JWT in its bespoke header; a retry renews both.
 */
import { apiTokenOf, type Connection } from '../../shared/connection.js';
import type { TokenResult } from '../../shared/token-result.js';
import type { TokenCache } from './cache/token-cache.js';
import { TokensmithError } from './errors.js';
import type { HttpRequest, HttpResponse } from './http/http-client.js';
import { nowOf, type FlowContext } from './oauth/flow-context.js';
import { networkProfileFor, resolveDpopKey } from './resources.js';
import { dpopProver, sendWithDpop } from './oauth/dpop.js';
import { obtainToken, tokenCacheKey, type TokenSource } from './token-service.js';
import { authTokenCacheKey, authTokenHeader, obtainAuthToken } from './auth-token.js';

export interface ApiRequest {
  method: HttpRequest['method'];
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ApiCallResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
  /** 1, or 2 when the request was retried with a new token. */
  attempts: number;
  /** `DPoP` when the token is DPoP-bound (RFC 9449 §7.1: sent with a proof carrying `ath`). */
  authorizationScheme: 'Bearer' | 'DPoP';
  tokenSource: TokenSource;
  /** The header that carried the authentication-server JWT, when the connection has one. */
  authTokenHeader?: string;
  authTokenSource?: 'cache' | 'network';
}

export interface ApiCallOptions {
  cache?: TokenCache;
  /** z/OS `tokenRetryCheckLevel`: 0 retries only on `invalid_token`, 1 on any 401; default: the connection's. */
  retryCheckLevel?: 0 | 1;
  refreshBeforeMs?: number;
  /** Told of each access token obtained for the call (the use case keeps the last one). */
  onToken?: (result: TokenResult, source: TokenSource) => void;
}

/** Whether a response means "the token was not accepted, get a new one and try again". */
export function shouldRetry(res: Pick<HttpResponse, 'status' | 'headers'>, level: 0 | 1): boolean {
  if (res.status !== 401) return false;
  if (level === 1) return true;
  return /invalid_token/i.test(res.headers['www-authenticate'] ?? '');
}

export async function callApi(
  conn: Connection,
  request: ApiRequest,
  ctx: FlowContext,
  options: ApiCallOptions = {},
): Promise<ApiCallResult> {
  if (!URL.canParse(request.url)) {
    throw new TokensmithError('invalid_input', `Not a valid URL: ${request.url}`, { field: 'url' });
  }
  const profile = await networkProfileFor(conn, ctx.resources, nowOf(ctx));
  const prover = conn.dpop.enabled
    ? await dpopProver(await resolveDpopKey(conn, ctx.resources))
    : undefined;
  let scheme: ApiCallResult['authorizationScheme'] = 'Bearer';
  const send = async (
    token: string,
    tokenType: string | undefined,
    jwt: string | undefined,
  ): Promise<HttpResponse> => {
    const headers: Record<string, string> = {
      accept: 'application/json, */*;q=0.5',
      'user-agent': 'Tokensmith',
      ...request.headers,
    };
    // The connection's token, in its header (Authorization, or the JWT type's own).
    const carrier = apiTokenOf(conn);
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === carrier.header.toLowerCase()) delete headers[name];
    // A DPoP-bound token goes with the DPoP scheme and a proof (RFC 9449 §7.1); any other as the
    // connection's carrier says (Bearer in Authorization, or the JWT type's own header).
    scheme = prover && /^dpop$/i.test(tokenType ?? '') ? 'DPoP' : 'Bearer';
    headers[carrier.header.toLowerCase()] =
      scheme === 'DPoP' ? `DPoP ${token}` : carrier.bearer ? `Bearer ${token}` : token;
    if (jwt !== undefined) {
      const [name, value] = authTokenHeader(conn.authToken, jwt);
      for (const existing of Object.keys(headers))
        if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      headers[name] = value;
    }
    const outgoing: HttpRequest = {
      method: request.method,
      url: request.url,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
    if (scheme === 'Bearer' || !prover) return ctx.http.send(outgoing, profile, ctx.signal);
    const sent = await sendWithDpop(ctx.http, outgoing, profile, ctx.signal, prover, {
      scope: 'rs',
      accessToken: token,
    });
    if (sent.nonceRefusedTwice)
      throw new TokensmithError(
        'oauth_error',
        `The API at ${new URL(request.url).origin} asked for a new DPoP nonce again after Tokensmith retried with the nonce it gave (use_dpop_nonce twice, RFC 9449 §9): its nonces may expire at once.`,
        {
          detail: {
            status: sent.response.status,
            wwwAuthenticate: sent.response.headers['www-authenticate'] ?? '',
          },
        },
      );
    return sent.response;
  };
  const tokenOptions = {
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.refreshBeforeMs !== undefined ? { refreshBeforeMs: options.refreshBeforeMs } : {}),
  };
  const jwtOptions = options.cache ? { cache: options.cache } : {};
  const combined = conn.authToken.enabled;
  let obtained = await obtainToken(conn, ctx, tokenOptions);
  options.onToken?.(obtained.result, obtained.source);
  let jwt = combined ? await obtainAuthToken(conn, ctx, jwtOptions) : undefined;
  let res = await send(obtained.result.token, obtained.result.tokenType, jwt?.result.token);
  let attempts = 1;
  const level = options.retryCheckLevel ?? (conn.api.retryCheckLevel === 1 ? 1 : 0);
  if (shouldRetry(res, level)) {
    // The token may have expired on its way, or been revoked: never reuse it.
    if (options.cache) options.cache.delete(await tokenCacheKey(conn, ctx));
    obtained = await obtainToken(conn, ctx, { ...tokenOptions, readCache: false });
    options.onToken?.(obtained.result, obtained.source);
    if (combined) {
      options.cache?.delete(authTokenCacheKey(conn.authToken));
      jwt = await obtainAuthToken(conn, ctx, { ...jwtOptions, readCache: false });
    }
    res = await send(obtained.result.token, obtained.result.tokenType, jwt?.result.token);
    attempts = 2;
  }
  return {
    ...(jwt ? { authTokenHeader: conn.authToken.header, authTokenSource: jwt.source } : {}),
    status: res.status,
    headers: res.headers,
    body: res.body.toString('utf8'),
    durationMs: Math.round(res.durationMs * 10) / 10,
    attempts,
    authorizationScheme: scheme,
    tokenSource: obtained.source,
  };
}
