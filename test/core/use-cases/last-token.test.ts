/**
 * The last token set of a connection is kept with it (issue 14, item 14; CloudStreams seed 004
 * keeps the populated Connection Groups fields): recorded when a use case gets a token from the
 * server, by a refresh or for Try API; sealed in store.json; shown masked through the contract
 * channel when the connection is opened again (a new session over the same data folder); gone
 * with the connection and with `cache clear`; not kept for drafts or `--no-cache`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  SANDBOX_USER,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connectionSchema, type Connection } from '../../../shared/connection.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import { createAppService, type AppService } from '../../../electron/core/app-service.js';
import {
  closeSession,
  createSession,
  type Session,
} from '../../../electron/core/use-cases/session.js';
import { getToken, refreshWith, tryApi } from '../../../electron/core/use-cases/tokens.js';
import { lastToken } from '../../../electron/core/use-cases/last-token.js';
import { clearCache } from '../../../electron/core/use-cases/cache.js';
import { deleteConnection } from '../../../electron/core/use-cases/connections.js';

let server: AuthorizationServer;
let dataDir: string;
let session: Session;
let conn: Connection;

const open = async () => createSession({ workspace: await openWorkspace(dataDir, {}), env: {} });

beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
  });
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-last-token-'));
  session = await open();
  conn = connectionSchema.parse({
    id: 'pw',
    name: 'password grant',
    type: 'password',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
    username: SANDBOX_USER.username,
    password: SANDBOX_USER.password,
    params: { scope: 'openid offline_access api:read' },
  });
  await session.workspace.store.update((doc) => {
    doc.connections = [conn];
  });
});
afterAll(async () => {
  await closeSession(session);
  await server.close();
});

describe('the last token set of a connection', () => {
  it('is kept sealed when a token is obtained, and shown masked when the connection is opened again', async () => {
    const { result } = await getToken(session, conn, { readCache: false });
    const raw = readFileSync(join(dataDir, 'store.json'), 'utf8');
    expect(result.refreshToken).toBeTruthy();
    for (const secret of [result.token, result.refreshToken!]) expect(raw).not.toContain(secret);

    const reopened = await open();
    const view = await lastToken(reopened, conn.id);
    await closeSession(reopened);
    expect(view).toMatchObject({
      connectionId: 'pw',
      source: 'network',
      obtainedAt: result.obtainedAt,
      expiresAt: result.expiresAt,
      tokenType: 'Bearer',
      scope: result.scope,
      tokenPath: '$.access_token',
      token: '••••••',
      refreshToken: '••••••',
    });
    expect(view?.fields).toMatchObject({ access_token: '••••••', token_type: 'Bearer' });
    expect(JSON.stringify(view)).not.toContain(result.token);
  });

  it('follows a refresh and Try API; a cached token changes nothing', async () => {
    const first = await getToken(session, conn, { readCache: false });
    const refreshed = await refreshWith(session, conn, first.result.refreshToken!);
    expect(await lastToken(session, conn.id)).toMatchObject({
      source: 'refresh',
      obtainedAt: refreshed.obtainedAt,
    });
    const cached = await getToken(session, conn);
    expect(cached.source).toBe('cache');
    expect((await lastToken(session, conn.id))?.source).toBe('refresh');
    await clearCache(session);
    const called = await tryApi(session, conn, { method: 'GET', url: server.apiUrl });
    expect([called.status, called.tokenSource]).toEqual([200, 'network']);
    expect((await lastToken(session, conn.id))?.source).toBe('network');
  });

  it('is not kept for a draft nor with --no-cache', async () => {
    const draft = { ...conn, id: 'draft', name: 'draft' };
    await getToken(session, draft, { readCache: false });
    expect(await lastToken(session, 'draft')).toBeNull();
    await clearCache(session, conn.id);
    await getToken(session, conn, { noCache: true });
    expect(await lastToken(session, conn.id)).toBeNull();
  });

  it('goes with cache clear and with the connection; the contract channel serves it', async () => {
    const service: AppService = createAppService({
      workspace: session.workspace,
      env: {},
      mode: 'browser',
      version: 'test',
      emit: () => undefined,
    });
    await getToken(session, conn, { readCache: false });
    const served = await service.dispatch('tokens:last', { connectionId: conn.id });
    expect(served).toMatchObject({ ok: true, value: { connectionId: 'pw', token: '••••••' } });
    await clearCache(session, conn.id);
    expect(await lastToken(session, conn.id)).toBeNull();
    await getToken(session, conn, { readCache: false });
    await deleteConnection(session, conn.id);
    expect((await session.workspace.store.read()).lastTokens).toEqual([]);
    expect(await service.dispatch('tokens:last', { connectionId: conn.id })).toEqual({
      ok: true,
      value: null,
    });
    await service.close();
  });
});
