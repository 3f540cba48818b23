/**
 * Getting tokens, as every face does it: Generate Access Token (always from the server, the
 * result cached), `tokensmith token` (from the cache while good), Refresh Token, the
 * authentication server's JWT, and Try API / `tokensmith call`.
 */
import type { Connection } from '../../../shared/connection.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { callApi, type ApiCallResult, type ApiRequest } from '../api-call.js';
import { obtainAuthToken } from '../auth-token.js';
import { refreshToken } from '../grants/refresh.js';
import {
  obtainToken,
  tokenCacheKey,
  type ObtainTokenOptions,
  type TokenSource,
} from '../token-service.js';
import { withEndpoints } from './endpoints.js';
import { rememberToken } from './last-token.js';
import { withTokenChain } from './token-chain.js';
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
  const base: ObtainTokenOptions = {
    cache: session.workspace.cache,
    noCache: request.noCache === true,
    readCache: request.readCache !== false,
    refreshBeforeMs: refreshBeforeSeconds * 1000,
  };
  let upstreamChanged = false;
  const onObtained = (source: TokenSource) => (upstreamChanged ||= source !== 'cache');
  try {
    const obtained = await withFlow(session, { ...request, connectionId: conn.id }, (ctx) => {
      const options = { ...base, ready: (c: Connection) => withEndpoints(session, c, ctx) };
      // A chained exchange's upstream tokens go by the cache as `tokensmith token` does.
      const chained: ObtainTokenOptions = { ...options, readCache: !options.noCache };
      const chain = withTokenChain(session, ctx, chained, [conn.name], onObtained);
      return obtainToken(use, chain, options);
    });
    if (obtained.source !== 'cache') {
      upstreamChanged = true;
      if (!request.noCache) await rememberToken(session, conn.id, obtained.result, obtained.source);
    }
    return obtained;
  } finally {
    if (upstreamChanged && !request.noCache) await saveCacheQuietly(session);
  }
}

export async function refreshWith(
  session: Session,
  conn: Connection,
  token: string,
  options: FlowOptions = {},
): Promise<TokenResult> {
  const use = resolved(session, conn);
  const result = await withFlow(session, { ...options, connectionId: conn.id }, async (ctx) => {
    const refreshed = await refreshToken(await withEndpoints(session, use, ctx), token, ctx);
    const chained = withTokenChain(session, ctx, { cache: session.workspace.cache }, [conn.name]);
    session.workspace.cache.set(await tokenCacheKey(use, chained), use, refreshed);
    return refreshed;
  });
  await saveCacheQuietly(session);
  await rememberToken(session, conn.id, result, 'refresh');
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
  const chain: ObtainTokenOptions = {
    ...(options.noCache ? { noCache: true } : { cache: session.workspace.cache }),
    refreshBeforeMs: refreshBeforeSeconds * 1000,
  };
  const obtained: Array<{ result: TokenResult; source: TokenSource }> = [];
  const result = await withFlow(session, { ...options, connectionId: conn.id }, async (ctx) => {
    const ready = (c: Connection) => withEndpoints(session, c, ctx);
    const chained = withTokenChain(session, ctx, { ...chain, ready }, [conn.name]);
    return callApi(await ready(use), call, chained, {
      onToken: (token, source) => obtained.push({ result: token, source }),
      ...(options.noCache ? {} : { cache: session.workspace.cache }),
      ...(options.retryCheckLevel !== undefined
        ? { retryCheckLevel: options.retryCheckLevel }
        : {}),
      refreshBeforeMs: refreshBeforeSeconds * 1000,
    });
  });
  if (!options.noCache && (result.tokenSource !== 'cache' || result.authTokenSource === 'network'))
    await saveCacheQuietly(session);
  const last = obtained.at(-1);
  if (last && !options.noCache) await rememberToken(session, conn.id, last.result, last.source);
  return result;
}
