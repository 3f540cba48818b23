/**
 * Every channel of the contract, mapped to its use case. The Electron main process and the
 * browser-mode host both serve exactly this; each only adds transport. Requests are parsed with
 * the contract's schemas; failures come back as `ErrorData`; secrets go to the UI masked
 * (SECRET_MASK) and a mask sent back keeps the stored value.
 */
import {
  contract,
  type Channel,
  type ProgressEvent,
  type WorkspaceChangedEvent,
} from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
import { resourceHandlers, type Handlers } from './resource-handlers.js';
import { toErrorData } from './errors.js';
import { decodeToken, verifyToken } from './jwt/jwt-inspect.js';
import type { Environment } from './store/env-references.js';
import type { Workspace } from './workspace.js';
import { checkAssertion, discoverEndpoints, generateAssertion } from './use-cases/assertions.js';
import { cacheStatus, cachedTokens, clearCache, pruneCache } from './use-cases/cache.js';
import {
  connectionFromUi,
  deleteConnection,
  duplicateConnection,
  getConnection,
  invalidInput,
  listConnections,
  saveConnection,
} from './use-cases/connections.js';
import { getDraft, saveDraft } from './use-cases/drafts.js';
import { keptRefreshToken, lastToken } from './use-cases/last-token.js';
import { JwkServerControl } from './use-cases/jwk-server.js';
import { maskSecrets } from './use-cases/secret-masks.js';
import { cancelFlow, closeSession, createSession, type Session } from './use-cases/session.js';
import { getAuthToken, getToken, refreshWith, tryApi } from './use-cases/tokens.js';
import { introspect, revoke } from './use-cases/token-management.js';
import { exportTrace } from './use-cases/trace.js';
import { exportAs, importText } from './use-cases/transfer.js';
import { WorkspaceControl } from './use-cases/workspaces.js';

export interface AppServiceOptions {
  workspace: Workspace;
  env: Environment;
  mode: 'desktop' | 'browser';
  version: string;
  emit: (event: ProgressEvent) => void;
  /** The open workspace folder changed on disk (`workspace:changed`). */
  onWorkspaceChanged?: (event: WorkspaceChangedEvent) => void;
  /** Desktop: the system browser. Browser mode: none (the page opens a tab on the progress event). */
  openUrl?: (url: string) => Promise<void> | void;
}

export type { Handlers };

type Controls = { jwk: JwkServerControl; ws: WorkspaceControl };

function handlersOf(s: Session, options: AppServiceOptions, { jwk, ws }: Controls): Handlers {
  const doc = () => s.workspace.store.read();
  const fromUi = async (raw: unknown, stepAction?: string) =>
    connectionFromUi(raw, await doc(), stepAction);
  const masked = <T extends object>(conn: T) => maskSecrets('connection', conn);
  return {
    'app:info': async () => ({
      version: options.version,
      mode: options.mode,
      dataDir: s.workspace.dataDir,
      secretStorage: s.workspace.secretStorage,
    }),
    'connections:list': () => listConnections(s),
    'connections:get': async ({ id }) => masked(await getConnection(s, id)),
    'connections:save': async ({ connection }) =>
      masked(await saveConnection(s, (d) => connectionFromUi(connection, d))),
    'connections:delete': async ({ id }) => ({ deleted: await deleteConnection(s, id) }),
    'connections:duplicate': async ({ id }) => masked(await duplicateConnection(s, id)),
    'tokens:generate': async ({ requestId, connection, useCache }) => {
      const { result, source } = await getToken(s, await fromUi(connection), {
        requestId,
        readCache: useCache,
      });
      return { ...result, source };
    },
    'tokens:refresh': async ({ requestId, connection, refreshToken }) => {
      const conn = await fromUi(connection);
      const token = refreshToken ?? (await keptRefreshToken(s, conn.id));
      return { ...(await refreshWith(s, conn, token, { requestId })), source: 'refresh' as const };
    },
    'tokens:last': ({ connectionId }) => lastToken(s, connectionId),
    'trace:export': ({ requestId }) => exportTrace(s, requestId, options.version),
    'tokens:cancel': async ({ requestId }) => ({ cancelled: cancelFlow(s, requestId) }),
    'tokens:introspect': async ({ requestId, connection, tokenTypeHint }) =>
      introspect(s, await fromUi(connection), { requestId, tokenTypeHint }),
    'tokens:revoke': async ({ requestId, connection, tokenTypeHint }) =>
      revoke(s, await fromUi(connection), { requestId, tokenTypeHint }),
    'assertions:generate': async ({ requestId, connection }) =>
      generateAssertion(s, await fromUi(connection, 'generateJwt'), { requestId }),
    'assertions:check': async ({ connection, assertion }) =>
      checkAssertion(s, await fromUi(connection, 'generateJwt'), assertion),
    'api:call': async ({ requestId, connection, method, url, headers, body, retryCheckLevel }) =>
      tryApi(
        s,
        await fromUi(connection),
        {
          method,
          url,
          headers: Object.fromEntries(headers.map((h) => [h.name, h.value])),
          ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
        },
        { requestId, ...(retryCheckLevel !== undefined ? { retryCheckLevel } : {}) },
      ),
    'authToken:fetch': async ({ requestId, connection, useCache }) => {
      const { result, source } = await getAuthToken(s, await fromUi(connection), {
        requestId,
        readCache: useCache,
      });
      return { ...result, source };
    },
    'discovery:run': async ({ connection }) => discoverEndpoints(s, await fromUi(connection)),
    ...resourceHandlers(s, jwk),
    'transfer:export': ({ names, passphrase, format, includeSecrets }) =>
      exportAs(s, { names, format, includeSecrets, ...(passphrase ? { passphrase } : {}) }),
    'transfer:import': ({ content, passphrase, replace, confirm }) =>
      importText(s, content, { replace, confirm, ...(passphrase ? { passphrase } : {}) }),
    'jwt:decode': async ({ token }) => decodeToken(token),
    'jwt:verify': (req) =>
      verifyToken(
        req.token,
        { method: req.method, value: req.value, issuer: req.issuer, audience: req.audience },
        s.http,
      ),
    'cache:list': async () => (await pruneCache(s), cachedTokens(s)),
    'cache:status': async () => cacheStatus(s),
    'cache:clear': async ({ connectionId }) => ({ removed: await clearCache(s, connectionId) }),
    'workspace:current': () => ws.current(),
    'workspace:open': ({ folder, create }) => ws.open(folder, create),
    'workspace:close': async () => ws.close(),
    'workspace:recent': () => ws.recent(),
    'workspace:trust': ({ confirm }) => ws.trust(confirm),
    'drafts:get': async ({ key }) => ({ draft: await getDraft(s, key) }),
    'drafts:save': async ({ key, draft }) => {
      await saveDraft(s, key, draft);
      return { saved: true };
    },
  };
}

export function createAppService(options: AppServiceOptions) {
  const session = createSession({ ...options, keepTraces: true });
  const jwk = new JwkServerControl(session);
  const ws = new WorkspaceControl(session, options.onWorkspaceChanged);
  const handlers = handlersOf(session, options, { jwk, ws });

  /** Validates the request against the contract and runs the handler; never throws. */
  async function dispatch(channel: string, raw: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(contract, channel))
      return { ok: false, error: { code: 'not_found', message: `Unknown channel ${channel}` } };
    const c = channel as Channel;
    const parsed = contract[c].request.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, error: invalidInput(parsed.error).toData() };
    try {
      const handler = handlers[c] as (req: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (e) {
      return { ok: false, error: toErrorData(e) };
    }
  }

  return {
    handlers,
    dispatch,
    /** Starts what runs in the background while the app is open (the JWKS server, if enabled). */
    start: () => jwk.apply(),
    async close() {
      ws.dispose();
      await jwk.close();
      await closeSession(session);
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;
