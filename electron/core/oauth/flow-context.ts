/**
 * What a flow needs from its host (desktop main process, CLI, browser mode, tests): injected,
 * never reached for globally.
 */
import type { FlowProgress, TokenResult } from '../../../shared/token-result.js';
import type { HttpClient } from '../http/http-client.js';
import type { ResourceResolver } from '../resources.js';

export interface FlowContext {
  http: HttpClient;
  resources: ResourceResolver;
  /** Milliseconds since the epoch; injected so tests can freeze time. */
  now?: () => number;
  /** Cancels the flow, including a wait for the browser. */
  signal?: AbortSignal;
  onProgress?: (progress: FlowProgress) => void;
  /** Opens the authorization URL in the system browser (desktop) or a new tab (browser mode). */
  openUrl?: (url: string) => Promise<void> | void;
  /**
   * Another saved connection's current token, by name — from the cache, refreshed or obtained
   * as that connection does (a token exchange's chained subject or actor, RFC 8693). Given by a
   * host that has a store; asked once per name and flow.
   */
  tokenOf?: (connectionName: string) => Promise<ChainedToken>;
}

export interface ChainedToken {
  result: TokenResult;
  source: 'cache' | 'refresh' | 'network';
}

export function nowOf(ctx: Pick<FlowContext, 'now'>): number {
  return ctx.now ? ctx.now() : Date.now();
}
