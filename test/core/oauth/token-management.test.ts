/**
 * Introspection (RFC 7662) and revocation (RFC 7009) of a connection's current token, as the
 * result panel and `tokensmith introspect|revoke` run them (the use cases over a session),
 * against oidc-provider's endpoints: client authentication, endpoints from the connection or
 * discovery, the cache entry cleared by a revocation, and a revoked token refused where used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SANDBOX_SECRET,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { failure, testContext } from '../../support/engine.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import {
  closeSession,
  createSession,
  type Session,
} from '../../../electron/core/use-cases/session.js';
import { getToken, refreshWith } from '../../../electron/core/use-cases/tokens.js';
import { introspect, revoke } from '../../../electron/core/use-cases/token-management.js';
import { introspectToken } from '../../../electron/core/oauth/token-management.js';
import { createAppService } from '../../../electron/core/app-service.js';
import { resolveConnection } from '../../../electron/core/oauth/resolve.js';
import {
  connectionSchema,
  type Connection,
  type ConnectionInput,
} from '../../../shared/connection.js';

let server: AuthorizationServer;
let session: Session;

const conns = (): ConnectionInput[] => [
  {
    id: 'cc',
    name: 'cc',
    type: 'client_credentials',
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'cc-basic', secret: SANDBOX_SECRET },
    params: { scope: 'api:read' },
  },
  {
    id: 'explicit',
    name: 'explicit',
    type: 'client_credentials',
    tokenEndpoint: server.tokenEndpoint,
    introspectionEndpoint: `${server.issuer}/token/introspection`,
    revocationEndpoint: `${server.issuer}/token/revocation`,
    client: { id: 'cc-post', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' },
    params: { scope: 'api:read' },
  },
  {
    id: 'nowhere',
    name: 'nowhere',
    type: 'client_credentials',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'cc-basic', secret: SANDBOX_SECRET },
  },
  {
    id: 'user',
    name: 'user',
    type: 'password',
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
    username: 'alice',
    password: 'wonderland',
    params: { scope: 'openid offline_access api:read' },
  },
];

const named = async (name: string): Promise<Connection> =>
  (await session.workspace.store.read()).connections.find((c) => c.name === name)!;

beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
  });
  const dir = mkdtempSync(join(tmpdir(), 'tokensmith-introspect-'));
  session = createSession({ workspace: await openWorkspace(dir, {}), env: {} });
  await session.workspace.store.update((doc) => {
    doc.connections = conns().map((c) => connectionSchema.parse(c));
  });
});
afterAll(async () => {
  await closeSession(session);
  await server.close();
});

describe('introspection (RFC 7662)', () => {
  it('asks about the current token with the client authentication; the endpoint from discovery', async () => {
    const conn = await named('cc');
    const { result } = await getToken(session, conn);
    const before = server.received.length;
    const answer = await introspect(session, conn);
    expect(answer.active).toBe(true);
    expect(answer.fields).toMatchObject({
      client_id: 'cc-basic',
      scope: 'api:read',
      token_type: 'Bearer',
    });
    expect(answer.tokenTypeHint).toBe('access_token');
    const sent = server.received.slice(before).find((r) => r.path === '/token/introspection')!;
    expect(sent.form.get('token')).toBe(result.token);
    expect(sent.form.get('token_type_hint')).toBe('access_token');
    expect(sent.headers.authorization).toMatch(/^Basic /);
    // The token is a credential: masked in the exchange shown.
    expect(answer.exchanges[0]?.request.body).toBe('token=••••••&token_type_hint=access_token');
  });

  it('uses the configured endpoints without discovery, with that connection’s client authentication', async () => {
    const conn = await named('explicit');
    await getToken(session, conn);
    const before = server.received.length;
    const answer = await introspect(session, conn);
    expect(answer.active).toBe(true);
    const seen = server.received.slice(before);
    expect(seen.some((r) => r.path.startsWith('/.well-known'))).toBe(false);
    expect(seen.find((r) => r.path === '/token/introspection')?.form.get('client_secret')).toBe(
      SANDBOX_SECRET,
    );
  });

  it('the refresh token, when asked for it', async () => {
    const conn = await named('user');
    await getToken(session, conn);
    const answer = await introspect(session, conn, { tokenTypeHint: 'refresh_token' });
    expect(answer.active).toBe(true);
    expect(answer.fields.token_type).toBeUndefined();
    expect(answer.fields.sub).toBe('alice');
  });

  it('bad paths: no token yet, no refresh token, no endpoint', async () => {
    await session.workspace.cache.clear();
    const none = await failure(introspect(session, await named('cc')));
    expect(none.code).toBe('not_found');
    expect(none.message).toBe(
      'There is no current token of "cc" to introspect: get one first (Generate Access Token, or tokensmith token cc).',
    );
    await getToken(session, await named('cc'));
    const noRefresh = await failure(
      introspect(session, await named('cc'), { tokenTypeHint: 'refresh_token' }),
    );
    expect(noRefresh.message).toBe('The current token of "cc" has no refresh token to introspect.');
    await getToken(session, await named('nowhere'));
    const noEndpoint = await failure(introspect(session, await named('nowhere')));
    expect(noEndpoint.field).toBe('introspectionEndpoint');
    expect(noEndpoint.message).toBe(
      'Enter the Introspection Endpoint, or the Issuer to discover it.',
    );
  });
});

describe('revocation (RFC 7009)', () => {
  it('revokes the current token and clears its cache entry; the revoked token is refused where used', async () => {
    const conn = await named('cc');
    const { result } = await getToken(session, conn, { readCache: false });
    const revoked = await revoke(session, conn);
    expect(revoked).toMatchObject({
      revoked: true,
      tokenTypeHint: 'access_token',
      cacheCleared: true,
    });
    const sent = server.received.filter((r) => r.path === '/token/revocation').at(-1)!;
    expect(sent.form.get('token')).toBe(result.token);
    expect(sent.headers.authorization).toMatch(/^Basic /);
    // The API refuses it: the token is unknown to the server now.
    const api = await fetch(server.apiUrl, {
      headers: { authorization: `Bearer ${result.token}` },
    });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toContain(
      'error_description="The access token is expired, revoked or unknown"',
    );
    // Introspection says so too.
    const ctx = await testContext();
    const answer = await introspectToken(
      resolveConnection(conn, ctx),
      ctx,
      result.token,
      'access_token',
    );
    await ctx.http.close();
    expect(answer.active).toBe(false);
    // And nothing serves it again: the next token comes from the server.
    const again = await getToken(session, conn);
    expect(again.source).toBe('network');
    expect(again.result.token).not.toBe(result.token);
  });

  it('revoking the refresh token: a refresh with it is refused (invalid_grant)', async () => {
    const conn = await named('user');
    const { result } = await getToken(session, conn);
    const revoked = await revoke(session, conn, { tokenTypeHint: 'refresh_token' });
    expect(revoked.cacheCleared).toBe(true);
    const e = await failure(refreshWith(session, conn, result.refreshToken!));
    expect(e.code).toBe('oauth_error');
    expect(e.message).toMatch(/invalid_grant/);
  });

  it('with nothing cached there is nothing to revoke', async () => {
    await session.workspace.cache.clear();
    const e = await failure(revoke(session, await named('cc')));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(
      'There is no current token of "cc" to revoke: get one first (Generate Access Token, or tokensmith token cc).',
    );
  });
});

describe('the contract channels (tokens:introspect, tokens:revoke)', () => {
  it('the app and browser mode reach the same use cases; a bad hint is refused by the schema', async () => {
    const service = createAppService({
      workspace: session.workspace,
      env: {},
      mode: 'browser',
      version: 'test',
      emit: () => undefined,
    });
    try {
      const got = await service.dispatch('connections:get', { id: 'explicit' });
      if (!got.ok) throw new Error(got.error.message);
      // The UI sends the connection as it shows it: secrets masked.
      const connection = got.value;
      await getToken(session, await named('explicit'));
      const introspected = await service.dispatch('tokens:introspect', {
        requestId: 'r1',
        connection,
      });
      expect(introspected).toMatchObject({
        ok: true,
        value: { active: true, tokenTypeHint: 'access_token' },
      });
      const revoked = await service.dispatch('tokens:revoke', { requestId: 'r2', connection });
      expect(revoked).toMatchObject({ ok: true, value: { revoked: true, cacheCleared: true } });
      const bad = await service.dispatch('tokens:revoke', {
        requestId: 'r3',
        connection,
        tokenTypeHint: 'id_token',
      });
      expect(bad).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'tokenTypeHint' },
      });
    } finally {
      await service.close();
    }
  });
});
