/**
 * The handlers of every channel of the contract, on top of a workspace. The Electron main
 * process and the browser-mode host both serve exactly this; each only adds transport.
 * Requests are parsed with the contract's schemas; failures come back as `ErrorData`.
 * Secrets go to the UI masked (SECRET_MASK) and a mask sent back keeps the stored value.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { z } from 'zod';
import {
  contract,
  SECRET_MASK,
  type CachedTokenView,
  type Channel,
  type ChannelResponse,
  type ConnectionSummary,
  type KeystoreSummary,
  type ParsedRequest,
  type ProgressEvent,
  type JwkServerStatus,
  type SigningKeysView,
} from '../../shared/contract.js';
import { connectionSchema, type Connection } from '../../shared/connection.js';
import { keystoreEntry, proxyAlias, type KeystoreEntry } from '../../shared/resources.js';
import {
  ENV_REFERENCE,
  forEachSecret,
  type SecretOwner,
  type StoreDocument,
} from '../../shared/store-model.js';
import type { Result } from '../../shared/result.js';
import { TokensmithError, toErrorData } from './errors.js';
import { HttpClient } from './http/http-client.js';
import { obtainToken } from './token-service.js';
import { refreshToken, buildConnectionAssertion, checkClientAssertion } from './oauth/grants.js';
import type { FlowContext } from './oauth/flow-context.js';
import { discover, checkAgainstMetadata, endpointsFromMetadata } from './oauth/discovery.js';
import { networkProfileFor, resolveSigningKey } from './resources.js';
import { resolveConnectionSecrets, type Environment } from './store/env-references.js';
import { atomicWriteFile } from './store/atomic-file.js';
import { detectKeystoreKind, listAliases, loadKeystore, findEntry } from './keys/keystore.js';
import { describeCertificate, parseCertificate } from './keys/certificate.js';
import { generateKeyPair, entryToPem } from './keys/keygen.js';
import { toJwks } from './keys/jwks.js';
import { exportConnections, selectConnections } from './transfer/connections-json.js';
import { toCurl, toEnvFile } from './transfer/runtime-export.js';
import { decodeToken, verifyToken } from './jwt/jwt-inspect.js';
import { cacheKey } from './cache/cache-key.js';
import { callApi } from './api-call.js';
import { obtainAuthToken } from './auth-token.js';
import {
  builderIssuer,
  builderJwksUrl,
  ensureStoredSigningKeys,
  currentSigningKeys,
  nextRotation,
  rotateStoredSigningKeys,
  rotationPolicy,
} from './keys/signing-keys.js';
import { builderJwks } from './keys/builder-jwks.js';
import { startJwkServer, type JwkServer } from './jwk-server.js';
import { exportServerXml } from './transfer/server-xml.js';
import { importFile } from './transfer/import-file.js';
import type { Workspace } from './workspace.js';

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

function maskSecrets<T extends object>(owner: SecretOwner, record: T): T {
  const copy = structuredClone(record) as Record<string, unknown>;
  forEachSecret(owner, copy, (_path, value, set) => {
    if (!ENV_REFERENCE.test(value)) set(SECRET_MASK);
  });
  return copy as T;
}

/** Puts stored secrets back where the UI sent the mask. */
function unmaskSecrets(
  owner: SecretOwner,
  incoming: Record<string, unknown>,
  stored: object | undefined,
): void {
  forEachSecret(owner, incoming, (path, value, set) => {
    if (value !== SECRET_MASK) return;
    let storedValue = '';
    if (stored)
      forEachSecret(
        owner,
        stored as Record<string, unknown>,
        (p, v) => p === path && (storedValue = v),
      );
    set(storedValue);
  });
}

function invalid(error: z.ZodError, prefix = ''): TokensmithError {
  const first = error.issues[0];
  const field = [prefix, ...(first?.path ?? []).map(String)].filter(Boolean).join('.');
  return new TokensmithError(
    'invalid_input',
    first ? `${field ? `${field}: ` : ''}${first.message}` : 'Invalid input',
    {
      ...(field ? { field } : {}),
      detail: {
        issues: error.issues.map((i) => ({
          field: i.path.map(String).join('.'),
          message: i.message,
        })),
      },
    },
  );
}

const safeFileName = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'keystore';

export function createAppService(options: AppServiceOptions) {
  const { workspace, env } = options;
  const http = new HttpClient();
  const running = new Map<string, AbortController>();
  const lastErrors = new Map<string, string>();
  const keystoreDir = join(workspace.dataDir, 'keystores');
  const draftsPath = join(workspace.dataDir, 'drafts.json');

  const read = () => workspace.store.read();

  let jwkServer: JwkServer | undefined;
  let jwkServerError: ReturnType<typeof toErrorData> | undefined;

  async function jwkStatus(): Promise<JwkServerStatus> {
    const { jwkServerEnabled, jwkServerPort } = (await read()).settings;
    return {
      enabled: jwkServerEnabled,
      port: jwkServerPort,
      running: jwkServer !== undefined,
      ...(jwkServer ? { baseUrl: jwkServer.baseUrl } : {}),
      ...(jwkServerError ? { error: jwkServerError } : {}),
    };
  }

  /** Starts or stops the JWKS server to match the settings. */
  async function applyJwkServer(): Promise<JwkServerStatus> {
    const { jwkServerEnabled, jwkServerPort } = (await read()).settings;
    if (jwkServer && (!jwkServerEnabled || jwkServer.port !== jwkServerPort)) {
      await jwkServer.close();
      jwkServer = undefined;
    }
    jwkServerError = undefined;
    if (jwkServerEnabled && !jwkServer) {
      try {
        jwkServer = await startJwkServer(jwkServerPort, async (builderId) => {
          await currentSigningKeys(workspace.store, builderId);
          const doc = await read();
          return (await builderJwks(doc, builderId, workspace.registry(doc))).jwks;
        });
      } catch (e) {
        jwkServerError = toErrorData(e);
      }
    }
    return jwkStatus();
  }

  async function signingKeysView(builderId: string): Promise<SigningKeysView> {
    await currentSigningKeys(workspace.store, builderId);
    const doc = await read();
    const set = doc.signingKeys.find((k) => k.builderId === builderId);
    const policy = rotationPolicy(doc, builderId);
    const next = nextRotation(set, policy);
    const base = `http://127.0.0.1:${doc.settings.jwkServerPort}`;
    return {
      builderId,
      keys: (set?.keys ?? []).map((k, i) => ({
        kid: k.kid,
        algorithm: k.algorithm,
        createdAt: k.createdAt,
        signing: i === 0,
      })),
      ...(await builderJwks(doc, builderId, workspace.registry(doc))),
      jwksUrl: builderJwksUrl(base, builderId),
      issuer: builderIssuer(base, builderId),
      serving: jwkServer !== undefined,
      ...(policy
        ? { rotation: { everyMinutes: policy.rotationMinutes, keySize: policy.keySize } }
        : {}),
      ...(next ? { nextRotationAt: next.toISOString() } : {}),
    };
  }

  function connectionFromUi(raw: unknown, doc: StoreDocument): Connection {
    if (!raw || typeof raw !== 'object')
      throw new TokensmithError('invalid_input', 'No connection given.');
    const incoming = structuredClone(raw) as Record<string, unknown>;
    if (typeof incoming.id !== 'string' || !incoming.id)
      incoming.id = randomBytes(8).toString('hex');
    unmaskSecrets(
      'connection',
      incoming,
      doc.connections.find((c) => c.id === incoming.id),
    );
    const parsed = connectionSchema.safeParse(incoming);
    if (!parsed.success) throw invalid(parsed.error);
    return parsed.data;
  }

  async function withFlow<T>(
    requestId: string,
    connectionId: string | undefined,
    run: (ctx: FlowContext) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    running.get(requestId)?.abort();
    running.set(requestId, controller);
    const doc = await read();
    const ctx: FlowContext = {
      http,
      resources: workspace.registry(doc),
      signal: controller.signal,
      onProgress: (progress) => options.emit({ requestId, progress }),
      ...(options.openUrl ? { openUrl: options.openUrl } : {}),
    };
    try {
      const result = await run(ctx);
      if (connectionId) lastErrors.delete(connectionId);
      return result;
    } catch (e) {
      const data = toErrorData(e);
      if (connectionId && data.code !== 'cancelled') lastErrors.set(connectionId, data.message);
      throw e;
    } finally {
      running.delete(requestId);
    }
  }

  async function saveCacheQuietly(): Promise<void> {
    await workspace.saveCache().catch(() => undefined);
  }

  async function keystoreSummary(
    entry: KeystoreEntry,
    doc: StoreDocument,
  ): Promise<KeystoreSummary> {
    const summary: KeystoreSummary = {
      name: entry.name,
      purpose: entry.purpose,
      kind: entry.kind,
      fileName: basename(entry.path),
      aliases: [],
    };
    try {
      const { keystore } = await workspace.registry(doc).keystore(entry.name);
      summary.aliases = listAliases(keystore);
    } catch (e) {
      summary.error = toErrorData(e);
    }
    return summary;
  }

  async function readDrafts(): Promise<Record<string, unknown>> {
    try {
      const sealed = (JSON.parse(await readFile(draftsPath, 'utf8')) as { sealed: string }).sealed;
      return JSON.parse(workspace.cipher.decrypt(sealed)) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  const handlers: Handlers = {
    'app:info': async () => ({
      version: options.version,
      mode: options.mode,
      dataDir: workspace.dataDir,
      secretStorage: options.secretStorage,
    }),

    'connections:list': async () => {
      const doc = await read();
      return doc.connections.map((c): ConnectionSummary => {
        const cached = workspace.cache.get(cacheKey(resolveSafely(c)));
        const summary: ConnectionSummary = {
          id: c.id,
          name: c.name,
          type: c.type,
          tokenEndpoint: c.tokenEndpoint,
          description: c.description,
        };
        if (cached) summary.tokenValidUntil = new Date(cached.expiresAt).toISOString();
        const error = lastErrors.get(c.id);
        if (error) summary.lastError = error;
        return summary;
      });
    },

    'connections:get': async ({ id }) => {
      const conn = (await read()).connections.find((c) => c.id === id);
      if (!conn) throw new TokensmithError('not_found', 'This connection no longer exists.');
      return maskSecrets('connection', conn);
    },

    'connections:save': async ({ connection }) => {
      let saved: Connection | undefined;
      await workspace.store.update((doc) => {
        const conn = connectionFromUi(connection, doc);
        const clash = doc.connections.find((c) => c.name === conn.name && c.id !== conn.id);
        if (clash)
          throw new TokensmithError(
            'invalid_input',
            `A connection named "${conn.name}" already exists.`,
            { field: 'name' },
          );
        const i = doc.connections.findIndex((c) => c.id === conn.id);
        if (i >= 0) doc.connections[i] = conn;
        else doc.connections.push(conn);
        saved = conn;
      });
      await ensureStoredSigningKeys(workspace.store);
      return maskSecrets('connection', saved as Connection);
    },

    'connections:delete': async ({ id }) => {
      let deleted = false;
      await workspace.store.update((doc) => {
        const before = doc.connections.length;
        doc.connections = doc.connections.filter((c) => c.id !== id);
        deleted = doc.connections.length < before;
      });
      if (workspace.cache.clear(id)) await saveCacheQuietly();
      return { deleted };
    },

    'connections:duplicate': async ({ id }) => {
      let copy: Connection | undefined;
      await workspace.store.update((doc) => {
        const source = doc.connections.find((c) => c.id === id);
        if (!source) throw new TokensmithError('not_found', 'This connection no longer exists.');
        const names = new Set(doc.connections.map((c) => c.name));
        let name = `${source.name} (copy)`;
        for (let n = 2; names.has(name); n++) name = `${source.name} (copy ${n})`;
        copy = { ...structuredClone(source), id: randomBytes(8).toString('hex'), name };
        doc.connections.push(copy);
      });
      return maskSecrets('connection', copy as Connection);
    },

    'tokens:generate': async ({ requestId, connection, useCache }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      const obtained = await withFlow(requestId, conn.id, (ctx) =>
        obtainToken(conn, ctx, {
          cache: workspace.cache,
          readCache: useCache,
          refreshBeforeMs: doc.settings.refreshBeforeSeconds * 1000,
        }),
      );
      if (obtained.source !== 'cache') await saveCacheQuietly();
      return { ...obtained.result, source: obtained.source };
    },

    'tokens:refresh': async ({ requestId, connection, refreshToken: token }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      const result = await withFlow(requestId, conn.id, (ctx) => refreshToken(conn, token, ctx));
      workspace.cache.set(cacheKey(conn), conn, result);
      await saveCacheQuietly();
      return { ...result, source: 'refresh' as const };
    },

    'tokens:cancel': async ({ requestId }) => {
      const controller = running.get(requestId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    'assertions:generate': async ({ requestId, connection }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      return withFlow(requestId, undefined, (ctx) => buildConnectionAssertion(conn, ctx));
    },

    'assertions:check': async ({ connection, assertion }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      if (conn.type !== 'jwt_client_assertion')
        throw new TokensmithError(
          'invalid_input',
          'Only a JWT Client Assertion connection has a client assertion to check.',
        );
      return checkClientAssertion(conn, assertion, { http, resources: workspace.registry(doc) });
    },

    'api:call': async ({ requestId, connection, method, url, headers, body, retryCheckLevel }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      const result = await withFlow(requestId, conn.id, (ctx) =>
        callApi(
          conn,
          {
            method,
            url,
            headers: Object.fromEntries(headers.map((h) => [h.name, h.value])),
            ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
          },
          ctx,
          {
            cache: workspace.cache,
            ...(retryCheckLevel !== undefined ? { retryCheckLevel } : {}),
            refreshBeforeMs: doc.settings.refreshBeforeSeconds * 1000,
          },
        ),
      );
      if (result.tokenSource !== 'cache' || result.authTokenSource === 'network')
        await saveCacheQuietly();
      return result;
    },

    'authToken:fetch': async ({ requestId, connection, useCache }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      const { result, source } = await withFlow(requestId, conn.id, (ctx) =>
        obtainAuthToken(conn, ctx, { cache: workspace.cache, readCache: useCache }),
      );
      if (source === 'network') await saveCacheQuietly();
      return { ...result, source };
    },

    'signingKeys:get': async ({ builderId }) => signingKeysView(builderId),

    'signingKeys:rotate': async ({ builderId }) => {
      await rotateStoredSigningKeys(workspace.store, builderId);
      return signingKeysView(builderId);
    },

    'jwkServer:status': async () => jwkStatus(),

    'jwkServer:configure': async ({ enabled, port }) => {
      await workspace.store.update((doc) => {
        doc.settings.jwkServerEnabled = enabled;
        doc.settings.jwkServerPort = port;
      });
      return applyJwkServer();
    },

    'discovery:run': async ({ connection }) => {
      const doc = await read();
      const conn = resolveConnectionSecrets(connectionFromUi(connection, doc), env);
      if (!conn.issuer)
        throw new TokensmithError('invalid_input', 'Enter the Issuer to discover its endpoints.', {
          field: 'issuer',
        });
      const resources = workspace.registry(doc);
      const found = await discover(conn.issuer, http, await networkProfileFor(conn, resources));
      let signingKey;
      if (conn.jwt.signing.keystore)
        signingKey = await resolveSigningKey(conn, resources).then(
          (k) => k.privateKey,
          () => undefined,
        );
      return {
        ...endpointsFromMetadata(found.metadata),
        warnings: checkAgainstMetadata(conn, found.metadata, signingKey),
        metadataUrl: found.url,
      };
    },

    'keystores:list': async () => {
      const doc = await read();
      return Promise.all(doc.keystores.map((k) => keystoreSummary(k, doc)));
    },

    'keystores:import': async (req) => {
      const data = Buffer.from(req.content, 'base64');
      const certificateData = req.certificateContent
        ? Buffer.from(req.certificateContent, 'base64')
        : undefined;
      const kind = req.kind ?? detectKeystoreKind(req.fileName, data);
      // Refuse a wrong password or a damaged file before anything is written.
      loadKeystore({
        kind,
        data,
        ...(certificateData ? { certificateData } : {}),
        password: req.password,
        keyPasswords: req.keyPasswords,
        label: `${req.purpose} "${req.name}"`,
      });
      await mkdir(keystoreDir, { recursive: true, mode: 0o700 });
      const stem = `${safeFileName(req.name)}-${randomBytes(4).toString('hex')}`;
      const path = join(keystoreDir, `${stem}${extname(req.fileName) || `.${kind}`}`);
      await writeFile(path, data, { mode: 0o600 });
      let certificatePath = '';
      if (certificateData) {
        certificatePath = join(
          keystoreDir,
          `${stem}-chain${extname(req.certificateFileName ?? '') || '.pem'}`,
        );
        await writeFile(certificatePath, certificateData, { mode: 0o600 });
      }
      const entry = keystoreEntry.parse({
        name: req.name,
        purpose: req.purpose,
        kind,
        path,
        certificatePath,
        password: req.password,
        keyPasswords: req.keyPasswords,
      });
      const doc = await workspace.store.update((d) => {
        const i = d.keystores.findIndex((k) => k.name === req.name);
        if (i >= 0 && !req.replace)
          throw new TokensmithError(
            'invalid_input',
            `A keystore named "${req.name}" already exists.`,
            { field: 'name' },
          );
        if (i >= 0) d.keystores[i] = entry;
        else d.keystores.push(entry);
      });
      return keystoreSummary(entry, doc);
    },

    'keystores:delete': async ({ name }) => {
      let removed: KeystoreEntry | undefined;
      await workspace.store.update((doc) => {
        const users = doc.connections.filter((c) =>
          [c.jwt.signing.keystore, c.ssl.keystoreAlias, c.ssl.truststoreAlias].includes(name),
        );
        if (users.length)
          throw new TokensmithError(
            'invalid_input',
            `"${name}" is used by ${users.map((c) => `"${c.name}"`).join(', ')}; change those connections first.`,
          );
        removed = doc.keystores.find((k) => k.name === name);
        doc.keystores = doc.keystores.filter((k) => k.name !== name);
      });
      if (removed?.path.startsWith(keystoreDir)) {
        await rm(removed.path, { force: true });
        if (removed.certificatePath) await rm(removed.certificatePath, { force: true });
      }
      return { deleted: removed !== undefined };
    },

    'keystores:generate': async (req) => {
      const entry = await generateKeyPair({
        algorithm: req.algorithm,
        subject: req.subject,
        validityDays: req.validityDays,
        alias: 'key',
      });
      const passphrase = randomBytes(24).toString('base64url');
      await mkdir(keystoreDir, { recursive: true, mode: 0o700 });
      const path = join(
        keystoreDir,
        `${safeFileName(req.name)}-${randomBytes(4).toString('hex')}.pem`,
      );
      await writeFile(path, entryToPem(entry, passphrase), { mode: 0o600 });
      const stored = keystoreEntry.parse({
        name: req.name,
        kind: 'pem',
        path,
        password: passphrase,
      });
      const doc = await workspace.store.update((d) => {
        if (d.keystores.some((k) => k.name === req.name))
          throw new TokensmithError(
            'invalid_input',
            `A keystore named "${req.name}" already exists.`,
            { field: 'name' },
          );
        d.keystores.push(stored);
      });
      return keystoreSummary(stored, doc);
    },

    'keystores:exportCertificate': async ({ name, alias }) => {
      const { keystore, label } = await workspace.registry(await read()).keystore(name);
      const entry = findEntry(keystore, alias, label);
      if (!entry.chain[0])
        throw new TokensmithError('keystore_no_key', `The alias "${alias}" has no certificate.`);
      return { fileName: `${safeFileName(alias)}.pem`, pem: entry.chain[0].toString() };
    },

    'keystores:exportJwks': async ({ name }) => {
      const { keystore } = await workspace.registry(await read()).keystore(name);
      const withKeys = keystore.entries.filter((e) => e.chain.length > 0 || e.privateKey);
      return {
        fileName: `${safeFileName(name)}.jwks.json`,
        jwks: (await toJwks(withKeys)) as { keys: Array<Record<string, unknown>> },
      };
    },

    'certificates:inspect': async ({ fileName, content }) =>
      describeCertificate(parseCertificate(Buffer.from(content, 'base64'), fileName)),

    'proxies:list': async () => (await read()).proxies.map((p) => maskSecrets('proxy', p)),

    'proxies:save': async ({ proxy, previousName }) => {
      let saved;
      await workspace.store.update((doc) => {
        const incoming = structuredClone(proxy ?? {}) as Record<string, unknown>;
        unmaskSecrets(
          'proxy',
          incoming,
          doc.proxies.find((p) => p.name === (previousName ?? incoming.name)),
        );
        const parsed = proxyAlias.safeParse(incoming);
        if (!parsed.success) throw invalid(parsed.error);
        const clash = doc.proxies.find(
          (p) => p.name === parsed.data.name && p.name !== previousName,
        );
        if (clash)
          throw new TokensmithError(
            'invalid_input',
            `A proxy alias named "${parsed.data.name}" already exists.`,
            { field: 'name' },
          );
        doc.proxies = doc.proxies.filter((p) => p.name !== (previousName ?? parsed.data.name));
        doc.proxies.push(parsed.data);
        if (previousName && previousName !== parsed.data.name) {
          for (const c of doc.connections)
            if (c.proxyAlias === previousName) c.proxyAlias = parsed.data.name;
        }
        saved = parsed.data;
      });
      return maskSecrets('proxy', saved as unknown as ChannelResponse<'proxies:save'>);
    },

    'proxies:delete': async ({ name }) => {
      let deleted = false;
      await workspace.store.update((doc) => {
        const users = doc.connections.filter((c) => c.proxyAlias === name);
        if (users.length)
          throw new TokensmithError(
            'invalid_input',
            `"${name}" is used by ${users.map((c) => `"${c.name}"`).join(', ')}; change those connections first.`,
          );
        deleted = doc.proxies.some((p) => p.name === name);
        doc.proxies = doc.proxies.filter((p) => p.name !== name);
      });
      return { deleted };
    },

    'transfer:export': async ({ names, passphrase, format, includeSecrets }) => {
      const doc = await read();
      if (format === 'json') {
        const out = exportConnections(doc, { names, ...(passphrase ? { passphrase } : {}) });
        return {
          fileName: 'tokensmith-connections.json',
          content: JSON.stringify(out, null, 2) + '\n',
          requiredSecrets: out.requiredSecrets,
          notes: [],
        };
      }
      if (format === 'server.xml') {
        const out = exportServerXml(doc, { names, includeSecrets });
        return {
          fileName: 'server.xml',
          content: out.xml,
          requiredSecrets: out.variables,
          notes: out.notes,
        };
      }
      const selected = selectConnections(doc, names);
      return {
        fileName: format === 'curl' ? 'tokensmith-connections.sh' : 'tokensmith-connections.env',
        content: selected.map((c) => (format === 'curl' ? toCurl(c) : toEnvFile(c))).join('\n'),
        requiredSecrets: [],
        notes: [],
      };
    },

    'transfer:import': async ({ content, passphrase, replace }) =>
      importFile(workspace.store, content, { replace, ...(passphrase ? { passphrase } : {}) }),

    'jwt:decode': async ({ token }) => decodeToken(token),

    'jwt:verify': async (req) =>
      verifyToken(
        req.token,
        { method: req.method, value: req.value, issuer: req.issuer, audience: req.audience },
        http,
      ),

    'cache:list': async () => {
      workspace.cache.prune();
      return workspace.cache.entries().map((e): CachedTokenView => ({
        connectionId: e.connectionId,
        connectionName: e.connectionName,
        scope: e.result.scope ?? '',
        expiresAt: new Date(e.expiresAt).toISOString(),
        refreshable: Boolean(e.result.refreshToken),
      }));
    },

    'cache:status': async () => {
      const p = workspace.cache.pruning;
      return {
        size: workspace.cache.size,
        pruneIntervalSeconds: Math.round(p.intervalMs / 1000),
        ...(p.lastRunAt ? { lastPrunedAt: new Date(p.lastRunAt).toISOString() } : {}),
        lastRemoved: p.lastRemoved,
        totalRemoved: p.totalRemoved,
      };
    },

    'cache:clear': async ({ connectionId }) => {
      const removed = workspace.cache.clear(connectionId);
      await saveCacheQuietly();
      return { removed };
    },

    'drafts:get': async ({ key }) => ({ draft: (await readDrafts())[key] ?? null }),

    'drafts:save': async ({ key, draft }) => {
      const drafts = await readDrafts();
      if (draft === null) delete drafts[key];
      else drafts[key] = draft;
      await atomicWriteFile(
        draftsPath,
        JSON.stringify({ sealed: workspace.cipher.encrypt(JSON.stringify(drafts)) }),
      );
      return { saved: true };
    },
  };

  /** The cache key needs resolved secrets; an unset ${env:} just means "no cached token". */
  function resolveSafely(c: Connection): Connection {
    try {
      return resolveConnectionSecrets(c, env);
    } catch {
      return c;
    }
  }

  /** Validates the request against the contract and runs the handler; never throws. */
  async function dispatch(channel: string, raw: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(contract, channel)) {
      return { ok: false, error: { code: 'not_found', message: `Unknown channel ${channel}` } };
    }
    const c = channel as Channel;
    const parsed = contract[c].request.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, error: invalid(parsed.error).toData() };
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
    start: () => applyJwkServer(),
    async close() {
      for (const controller of running.values()) controller.abort();
      await jwkServer?.close();
      jwkServer = undefined;
      await http.close();
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;
