/**
 * The access token cache. A token is served only while it has at least `minRemainingMs` of
 * lifetime left (z/OS Connect: one second); expired entries are pruned periodically; entries can
 * be cleared one connection at a time or all at once. Assertions are never cached — only the
 * tokens obtained with them. A hit is a Map lookup: no I/O, no network.
 */
import type { TokenResult } from '../../../shared/token-result.js';
import { without } from '../lazy-property.js';

export interface CachedToken {
  key: string;
  connectionId: string;
  connectionName: string;
  result: Omit<TokenResult, 'exchanges'>;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface TokenCacheOptions {
  minRemainingMs?: number;
  now?: () => number;
}

export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  #timer: NodeJS.Timeout | undefined;
  minRemainingMs: number;
  readonly #now: () => number;
  /** Called after every change, e.g. to persist the cache. */
  onChange: (() => void) | undefined;

  constructor(options: TokenCacheOptions = {}) {
    this.minRemainingMs = options.minRemainingMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** A usable token for the key, or undefined (absent, expired, or within the minimum lifetime). */
  get(key: string, minRemainingMs = this.minRemainingMs): CachedToken | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt - this.#now() < minRemainingMs) return undefined;
    return entry;
  }

  /** The entry even when it is too old to use — its refresh token may still be good. */
  peek(key: string): CachedToken | undefined {
    return this.#entries.get(key);
  }

  /** Stores a token that says when it expires; tokens without an expiry are not cached. */
  set(
    key: string,
    connection: { id: string; name: string },
    result: TokenResult,
  ): CachedToken | undefined {
    if (!result.expiresAt) return undefined;
    // Neither is read: a check or a masked exchange not shown is never made.
    const kept = without(result, ['exchanges', 'assertionCheck']);
    const entry: CachedToken = {
      key,
      connectionId: connection.id,
      connectionName: connection.name,
      result: kept,
      expiresAt: Date.parse(result.expiresAt),
    };
    this.#entries.set(key, entry);
    this.onChange?.();
    return entry;
  }

  delete(key: string): void {
    if (this.#entries.delete(key)) this.onChange?.();
  }

  /** Clears one connection's tokens, or all; returns how many were removed. */
  clear(connectionId?: string): number {
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (connectionId === undefined || entry.connectionId === connectionId) {
        this.#entries.delete(key);
        removed++;
      }
    }
    if (removed) this.onChange?.();
    return removed;
  }

  /** When pruning last ran and what it removed, for the Token Cache view. */
  readonly pruning = { lastRunAt: 0, lastRemoved: 0, totalRemoved: 0, intervalMs: 0 };

  /** Removes expired entries that cannot be refreshed; returns how many. */
  prune(): number {
    const now = this.#now();
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now && !entry.result.refreshToken) {
        this.#entries.delete(key);
        removed++;
      }
    }
    this.pruning.lastRunAt = now;
    this.pruning.lastRemoved = removed;
    this.pruning.totalRemoved += removed;
    if (removed) this.onChange?.();
    return removed;
  }

  startPruning(intervalMs: number): void {
    this.stopPruning();
    this.pruning.intervalMs = intervalMs;
    this.#timer = setInterval(() => this.prune(), intervalMs);
    this.#timer.unref();
  }

  stopPruning(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  entries(): CachedToken[] {
    return [...this.#entries.values()];
  }

  /** Replaces the contents (loading a persisted cache). */
  load(entries: CachedToken[]): void {
    this.#entries.clear();
    for (const e of entries) this.#entries.set(e.key, e);
  }

  get size(): number {
    return this.#entries.size;
  }
}
