/**
 * Getting a token the way a user relies on: from the cache while it is good, refreshed
 * proactively shortly before it expires, and obtained anew when there is nothing to reuse or the
 * refresh token is refused (`invalid_grant`: for Authorization Code that means a new sign-in).
 */
import { descriptorOf, type Connection } from '../../shared/connection.js';
import type { TokenResult } from '../../shared/token-result.js';
import { OAuthError } from './errors.js';
import { cacheKey } from './cache/cache-key.js';
import type { TokenCache } from './cache/token-cache.js';
import { nowOf, type FlowContext } from './oauth/flow-context.js';
import { refreshToken } from './grants/refresh.js';
import { keyedConnection, requestToken } from './grants/registry.js';

export type TokenSource = 'cache' | 'refresh' | 'network';

export interface ObtainedToken {
  result: TokenResult;
  source: TokenSource;
}

export interface ObtainTokenOptions {
  cache?: TokenCache;
  /** Neither read nor write the cache. */
  noCache?: boolean;
  /** Refresh this long before expiry when a refresh token is at hand. */
  refreshBeforeMs?: number;
  /** false: always ask the server (Generate Access Token in the UI), still caching the result. */
  readCache?: boolean;
  /** The connection ready for the network (endpoints discovered); called only when it is needed. */
  ready?: (conn: Connection) => Promise<Connection>;
}

/** The cache key of a connection's token (a token exchange's is known once its inputs are). */
export async function tokenCacheKey(conn: Connection, ctx: FlowContext): Promise<string> {
  return cacheKey(await keyedConnection(conn, ctx));
}

export async function obtainToken(
  conn: Connection,
  ctx: FlowContext,
  options: ObtainTokenOptions = {},
): Promise<ObtainedToken> {
  const cache = options.noCache ? undefined : options.cache;
  const own = conn.cache;
  const refreshBeforeMs =
    own.refreshBeforeSeconds !== null
      ? own.refreshBeforeSeconds * 1000
      : (options.refreshBeforeMs ?? 60_000);
  const minRemainingMs =
    own.minRemainingSeconds !== null ? own.minRemainingSeconds * 1000 : undefined;
  const key = cache ? await tokenCacheKey(conn, ctx) : '';
  const ready = async () => (options.ready ? options.ready(conn) : conn);
  if (cache && options.readCache !== false) {
    const hit = cache.get(key, minRemainingMs);
    // Without refresh tokens (z/OS Connect's rule) a token is reused until the minimum
    // remaining lifetime, then replaced by a new token request.
    const useRefresh = own.useRefreshToken;
    const refreshable = useRefresh && hit?.result.refreshToken;
    if (hit && (!refreshable || hit.expiresAt - nowOf(ctx) > refreshBeforeMs)) {
      return { result: { ...hit.result, exchanges: [] }, source: 'cache' };
    }
    const stale = hit ?? cache.peek(key);
    const refresh = useRefresh ? stale?.result.refreshToken : undefined;
    if (refresh) {
      try {
        const result = await refreshToken(await ready(), refresh, ctx);
        cache.set(key, conn, result);
        return { result, source: 'refresh' };
      } catch (e) {
        if (e instanceof OAuthError && e.error === 'invalid_grant') {
          cache.delete(key);
          ctx.onProgress?.({
            step: 'refresh',
            message: descriptorOf(conn).interactive
              ? 'The refresh token was refused (invalid_grant): a new sign-in is needed.'
              : 'The refresh token was refused (invalid_grant): requesting a new token.',
          });
        } else if (hit) {
          // The token is still valid; the early refresh can wait for the next use.
          return {
            result: {
              ...hit.result,
              exchanges: [],
              warnings: [...hit.result.warnings, `Early refresh failed: ${(e as Error).message}`],
            },
            source: 'cache',
          };
        } else {
          throw e;
        }
      }
    }
  }
  const result = await requestToken(await ready(), ctx);
  cache?.set(key, conn, result);
  return { result, source: 'network' };
}
