/**
 * What a flow needs from its host (desktop main process, CLI, browser mode, tests): injected,
 * never reached for globally.
 */
import type { FlowProgress } from '../../../shared/token-result.js';
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
}

export function nowOf(ctx: Pick<FlowContext, 'now'>): number {
  return ctx.now ? ctx.now() : Date.now();
}
