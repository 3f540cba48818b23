/**
 * Every channel of the contract, mapped to its use case. The Electron main process and the
 * browser-mode host both serve exactly this; each only adds transport. Requests are parsed with
 * the contract's schemas; failures come back as `ErrorData`; secrets go to the UI masked
 * (SECRET_MASK) and a mask sent back keeps the stored value.
 */
import {
  contract,
  type Channel,
  type ChannelResponse,
  type ParsedRequest,
  type ProgressEvent,
} from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
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
import { JwkServerControl } from './use-cases/jwk-server.js';
import * as keystores from './use-cases/keystores.js';
import { deleteProxy, listProxies, saveProxy } from './use-cases/proxies.js';
import { maskSecrets } from './use-cases/secret-masks.js';
import { cancelFlow, closeSession, createSession, type Session } from './use-cases/session.js';
import { rotateSigningKeys, signingKeysView } from './use-cases/signing-keys.js';
import { getAuthToken, getToken, refreshWith, tryApi } from './use-cases/tokens.js';
import { exportAs, importText } from './use-cases/transfer.js';

export interface AppServiceOptions {
  workspace: Workspace;
  env: Environment;
  mode: 'desktop' | 'browser';
  secretStorage: string;
  version: string;
  emit: (event: ProgressEvent) => void;
  /** Desktop: the system browser. Browser mode: none (the page opens a tab on the progress event). */
  openUrl?: (url: string) => Promise<void> | void;
}

export type Handlers = {
  [C in Channel]: (request: ParsedRequest<C>) => Promise<ChannelResponse<C>>;
};

const base64 = (text: string) => Buffer.from(text, 'base64');

function handlersOf(s: Session, options: AppServiceOptions, jwk: JwkServerControl): Handlers {
  const doc = () => s.workspace.store.read();
  const fromUi = async (raw: unknown) => connectionFromUi(raw, await doc());
  const masked = <T extends object>(conn: T) => maskSecrets('connection', conn);
  return {
    'app:info': async () => ({
      version: options.version,
      mode: options.mode,
      dataDir: s.workspace.dataDir,
      secretStorage: options.secretStorage,
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
    'tokens:refresh': async ({ requestId, connection, refreshToken }) => ({
      ...(await refreshWith(s, await fromUi(connection), refreshToken, { requestId })),
      source: 'refresh' as const,
    }),
    'tokens:cancel': async ({ requestId }) => ({ cancelled: cancelFlow(s, requestId) }),
    'assertions:generate': async ({ requestId, connection }) =>
      generateAssertion(s, await fromUi(connection), { requestId }),
    'assertions:check': async ({ connection, assertion }) =>
      checkAssertion(s, await fromUi(connection), assertion),
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
    'signingKeys:get': ({ builderId }) => signingKeysView(s, builderId, jwk.running),
    'signingKeys:rotate': async ({ builderId }) => {
      await rotateSigningKeys(s, builderId);
      return signingKeysView(s, builderId, jwk.running);
    },
    'jwkServer:status': () => jwk.status(),
    'jwkServer:configure': ({ enabled, port }) => jwk.configure(enabled, port),
    'discovery:run': async ({ connection }) => discoverEndpoints(s, await fromUi(connection)),
    'keystores:list': () => keystores.listKeystores(s),
    'keystores:import': ({ content, certificateContent, ...req }) =>
      keystores.importKeystore(s, {
        ...req,
        data: base64(content),
        ...(certificateContent ? { certificateData: base64(certificateContent) } : {}),
      }),
    'keystores:delete': async ({ name }) => ({ deleted: await keystores.deleteKeystore(s, name) }),
    'keystores:generate': (req) => keystores.generateKeystore(s, req),
    'keystores:exportCertificate': ({ name, alias }) => keystores.exportCertificate(s, name, alias),
    'keystores:exportJwks': ({ name }) => keystores.exportKeystoreJwks(s, name),
    'certificates:inspect': async ({ fileName, content }) =>
      keystores.inspectCertificate(base64(content), fileName),
    'proxies:list': async () => (await listProxies(s)).map((p) => maskSecrets('proxy', p)),
    'proxies:save': async ({ proxy, previousName }) =>
      maskSecrets('proxy', await saveProxy(s, proxy, previousName)),
    'proxies:delete': async ({ name }) => ({ deleted: await deleteProxy(s, name) }),
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
    'drafts:get': async ({ key }) => ({ draft: await getDraft(s, key) }),
    'drafts:save': async ({ key, draft }) => {
      await saveDraft(s, key, draft);
      return { saved: true };
    },
  };
}

export function createAppService(options: AppServiceOptions) {
  const session = createSession({
    workspace: options.workspace,
    env: options.env,
    emit: options.emit,
    ...(options.openUrl ? { openUrl: options.openUrl } : {}),
  });
  const jwk = new JwkServerControl(session);
  const handlers = handlersOf(session, options, jwk);

  /** Validates the request against the contract and runs the handler; never throws. */
  async function dispatch(channel: string, raw: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(contract, channel)) {
      return { ok: false, error: { code: 'not_found', message: `Unknown channel ${channel}` } };
    }
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
      await jwk.close();
      await closeSession(session);
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;
