/**
 * A session over a workspace: what every use case needs from its host (the Electron main
 * process, the browser-mode host, a CLI command, a test) — the store, the environment that
 * `${env:NAME}` secrets come from, one HTTP client, the running flows and how progress and
 * sign-in URLs reach the user.
 */
import type { ProgressEvent } from '../../../shared/contract.js';
import type { Connection } from '../../../shared/connection.js';
import type { FlowProgress } from '../../../shared/token-result.js';
import { toErrorData } from '../errors.js';
import { HttpClient } from '../http/http-client.js';
import { Trace, TraceLog } from '../http/trace.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { resolveConnectionSecrets, type Environment } from '../store/env-references.js';
import { recordsOf } from '../workspace/trust.js';
import type { Workspace } from '../workspace.js';

export interface Session {
  workspace: Workspace;
  env: Environment;
  http: HttpClient;
  /** Progress of running flows, by request (the app's status line). */
  emit?: (event: ProgressEvent) => void;
  /** Opens a sign-in URL: the system browser (desktop, CLI) or nothing (browser mode opens a tab). */
  openUrl?: (url: string) => Promise<void> | void;
  /** Running flows by request ID, for Cancel. */
  running: Map<string, AbortController>;
  /** The last failure of each connection, for the list; cleared by a success. */
  lastErrors: Map<string, string>;
  /** The app's: every run with a request ID is traced, its last runs kept for Export trace. */
  traces?: TraceLog;
}

export function createSession(options: {
  workspace: Workspace;
  env: Environment;
  emit?: Session['emit'];
  openUrl?: Session['openUrl'];
  /** Keep the traces of the last runs (the app's Export trace). */
  keepTraces?: boolean;
}): Session {
  return {
    workspace: options.workspace,
    env: options.env,
    http: new HttpClient(),
    ...(options.emit ? { emit: options.emit } : {}),
    ...(options.openUrl ? { openUrl: options.openUrl } : {}),
    running: new Map(),
    lastErrors: new Map(),
    ...(options.keepTraces ? { traces: new TraceLog() } : {}),
  };
}

/** Cancels what runs and closes the session's connections. */
export async function closeSession(session: Session): Promise<void> {
  for (const controller of session.running.values()) controller.abort();
  await session.http.close();
}

export interface FlowOptions {
  requestId?: string;
  /** Whose status the outcome is (the connections list shows the last error). */
  connectionId?: string;
  signal?: AbortSignal;
  onProgress?: (progress: FlowProgress) => void;
  /** Records every HTTP leg of the flow (a HAR to export: use-cases/trace.ts). */
  trace?: Trace;
}

/** Runs a flow with a cancellable context over the current store. */
export async function withFlow<T>(
  session: Session,
  options: FlowOptions,
  run: (ctx: FlowContext) => Promise<T>,
): Promise<T> {
  const { requestId, connectionId } = options;
  const controller = new AbortController();
  const forward = () => controller.abort();
  options.signal?.addEventListener('abort', forward, { once: true });
  if (requestId) {
    session.running.get(requestId)?.abort();
    session.running.set(requestId, controller);
  }
  const doc = await session.workspace.store.read();
  let trace = options.trace;
  if (!trace && requestId && session.traces) {
    trace = new Trace();
    session.traces.keep(requestId, trace, connectionId);
  }
  const ctx: FlowContext = {
    http: trace ? session.http.traced(trace) : session.http,
    resources: session.workspace.registry(doc),
    signal: controller.signal,
    onProgress: (progress) => {
      options.onProgress?.(progress);
      if (requestId) session.emit?.({ requestId, progress });
    },
    ...(session.openUrl ? { openUrl: session.openUrl } : {}),
  };
  try {
    const result = await run(ctx);
    if (connectionId) session.lastErrors.delete(connectionId);
    return result;
  } catch (e) {
    const data = toErrorData(e);
    if (connectionId && data.code !== 'cancelled')
      session.lastErrors.set(connectionId, data.message);
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', forward);
    if (requestId && session.running.get(requestId) === controller)
      session.running.delete(requestId);
  }
}

/** Cancels a running flow; false when nothing ran under that ID. */
export function cancelFlow(session: Session, requestId: string): boolean {
  const controller = session.running.get(requestId);
  controller?.abort();
  return controller !== undefined;
}

/** The connection with its `${env:NAME}` secrets read from the session's environment. */
export function resolved(session: Session, conn: Connection): Connection {
  session.workspace.guard(recordsOf(conn));
  return resolveConnectionSecrets(conn, session.env);
}

/** Saves the token cache; a failure to write it never fails the request that filled it. */
export async function saveCacheQuietly(session: Session): Promise<void> {
  await session.workspace.saveCache().catch(() => undefined);
}
