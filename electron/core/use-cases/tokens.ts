/**
 * Getting tokens, as every face does it: Generate Access Token (always from the server, the
 * result cached), `tokensmith token` (from the cache while good), Refresh Token, the
 * authentication server's JWT, and Try API / `tokensmith call`.
 */
import type { Connection } from '../../../shared/connection.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { callApi, type ApiCallResult, type ApiRequest } from '../api-call.js';
import { obtainAuthToken } from '../auth-token.js';
import { cacheKey } from '../cache/cache-key.js';
import { refreshToken } from '../grants/refresh.js';
import { obtainToken, type TokenSource } from '../token-service.js';
import { withEndpoints } from './endpoints.js';
import { resolved, saveCacheQuietly, withFlow, type FlowOptions, type Session } from './session.js';

export interface TokenRequest extends FlowOptions {
  /** false: always ask the server (Generate Access Token), still caching the result. */
  readCache?: boolean;
  /** Neither read nor store a cached token. */
  noCache?: boolean;
}

async function settings(session: Session) {
  const doc = await session.workspace.store.read();
  session.workspace.cache.minRemainingMs = doc.settings.cacheMinRemainingSeconds * 1000;
  return doc.settings;
}

export async function getToken(
  session: Session,
  conn: Connection,
  request: TokenRequest = {},
): Promise<{ result: TokenResult; source: TokenSource }> {
  const { refreshBeforeSeconds } = await settings(session);
  const use = resolved(session, conn);
  const obtained = await withFlow(session, { ...request, connectionId: conn.id }, (ctx) =>
    obtainToken(use, ctx, {
      cache: session.workspace.cache,
      noCache: request.noCache === true,
      readCache: request.readCache !== false,
      refreshBeforeMs: refreshBeforeSeconds * 1000,
      ready: (c) => withEndpoints(session, c, ctx),
    }),
  );
  if (obtained.source !== 'cache' && !request.noCache) await saveCacheQuietly(session);
  return obtained;
}

export async function refreshWith(
  session: Session,
  conn: Connection,
  token: string,
  options: FlowOptions = {},
): Promise<TokenResult> {
  const use = resolved(session, conn);
  const result = await withFlow(session, { ...options, connectionId: conn.id }, async (ctx) =>
    refreshToken(await withEndpoints(session, use, ctx), token, ctx),
  );
  session.workspace.cache.set(cacheKey(use), use, result);
  await saveCacheQuietly(session);
  return result;
}

export async function getAuthToken(
  session: Session,
  conn: Connection,
  request: TokenRequest = {},
): Promise<{ result: TokenResult; source: 'cache' | 'network' }> {
  const use = resolved(session, conn);
  const out = await withFlow(session, { ...request, connectionId: conn.id }, (ctx) =>
    obtainAuthToken(use, ctx, {
      ...(request.noCache ? {} : { cache: session.workspace.cache }),
      readCache: request.readCache !== false,
    }),
  );
  if (out.source === 'network' && !request.noCache) await saveCacheQuietly(session);
  return out;
}

export async function tryApi(
  session: Session,
  conn: Connection,
  call: ApiRequest,
  options: FlowOptions & { retryCheckLevel?: 0 | 1; noCache?: boolean } = {},
): Promise<ApiCallResult> {
  const { refreshBeforeSeconds } = await settings(session);
  const use = resolved(session, conn);
  const result = await withFlow(session, { ...options, connectionId: conn.id }, async (ctx) =>
    callApi(await withEndpoints(session, use, ctx), call, ctx, {
      ...(options.noCache ? {} : { cache: session.workspace.cache }),
      ...(options.retryCheckLevel !== undefined
        ? { retryCheckLevel: options.retryCheckLevel }
        : {}),
      refreshBeforeMs: refreshBeforeSeconds * 1000,
    }),
  );
  if (!options.noCache && (result.tokenSource !== 'cache' || result.authTokenSource === 'network'))
    await saveCacheQuietly(session);
  return result;
}
