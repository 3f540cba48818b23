/** The token cache: its entries, how pruning runs, clearing one connection's tokens or all. */
import type { CachedTokenView, CacheStatus } from '../../../shared/contract.js';
import { forgetTokens } from './last-token.js';
import { saveCacheQuietly, type Session } from './session.js';

export function cachedTokens(session: Session): CachedTokenView[] {
  return session.workspace.cache.entries().map((e) => ({
    connectionId: e.connectionId,
    connectionName: e.connectionName,
    scope: e.result.scope ?? '',
    expiresAt: new Date(e.expiresAt).toISOString(),
    refreshable: Boolean(e.result.refreshToken),
  }));
}

/** Prunes expired entries that cannot be refreshed; returns how many went. */
export async function pruneCache(session: Session): Promise<number> {
  const pruned = session.workspace.cache.prune();
  if (pruned) await saveCacheQuietly(session);
  return pruned;
}

export function cacheStatus(session: Session): CacheStatus {
  const { cache } = session.workspace;
  const p = cache.pruning;
  return {
    size: cache.size,
    pruneIntervalSeconds: Math.round(p.intervalMs / 1000),
    ...(p.lastRunAt ? { lastPrunedAt: new Date(p.lastRunAt).toISOString() } : {}),
    lastRemoved: p.lastRemoved,
    totalRemoved: p.totalRemoved,
  };
}

/** Clears cached tokens (one connection's or all) and the last token sets kept with them. */
export async function clearCache(session: Session, connectionId?: string): Promise<number> {
  const removed = session.workspace.cache.clear(connectionId);
  await session.workspace.saveCache();
  await forgetTokens(session, connectionId);
  return removed;
}
