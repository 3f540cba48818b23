/**
 * The token cache rules (z/OS Connect seed 001, DESIGN) and refresh, against the sandbox's real
 * authorization server with a controllable clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { decodeJwt } from 'jose';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  type AuthorizationServer,
} from '../../sandbox/authorization-server.js';
import { fixtures } from '../support/fixtures.js';
import { connection, testContext } from '../support/engine.js';
import { TokenCache } from '../../electron/core/cache/token-cache.js';
import { cacheKey, cacheKeyInputs } from '../../electron/core/cache/cache-key.js';
import { obtainToken } from '../../electron/core/token-service.js';
import type { FlowContext } from '../../electron/core/oauth/flow-context.js';
import type { HttpClient } from '../../electron/core/http/http-client.js';
import type { Connection } from '../../shared/connection.js';

let server: AuthorizationServer;
let ctx: FlowContext & { http: HttpClient };
let clock = Date.now();

beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
    accessTokenTtlSeconds: 300,
  });
  ctx = { ...(await testContext()), now: () => clock };
});
afterAll(async () => {
  await ctx.http.close();
  await server.close();
});

const cc = (extra: Record<string, unknown> = {}): Connection =>
  connection({
    type: 'client_credentials',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'cc-basic', secret: SANDBOX_SECRET },
    params: { scope: 'api:read' },
    ...extra,
  });

const tokenRequests = () => server.tokenRequests().length;

describe('token cache', () => {
  it('a hit serves the same token without any network request', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    const first = await obtainToken(cc(), ctx, { cache });
    expect(first.source).toBe('network');
    const before = server.received.length;
    const second = await obtainToken(cc(), ctx, { cache });
    expect(second.source).toBe('cache');
    expect(second.result.token).toBe(first.result.token);
    expect(server.received.length).toBe(before);
  });

  it('every OAuth input is part of the key: any change is a miss', async () => {
    const base = cc();
    const variants: Connection[] = [
      cc({ tokenEndpoint: `${server.issuer}/token?x=1` }),
      cc({ client: { id: 'cc-post', secret: SANDBOX_SECRET } }),
      cc({ client: { id: 'cc-basic', secret: 'other' } }),
      cc({ client: { id: 'cc-basic', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' } }),
      cc({ params: { scope: 'api:write' } }),
      cc({ params: { scope: 'api:read', resource: ['https://r.test/'] } }),
      cc({ params: { scope: 'api:read', audience: 'aud' } }),
      cc({ params: { scope: 'api:read', tokenParams: [{ name: 'x', value: '1' }] } }),
      cc({
        client: { id: 'cc-basic', authMethod: 'private_key_jwt' },
        jwt: { signing: { keystore: 'demo', alias: 'signing' } },
      }),
      cc({
        client: { id: 'cc-basic', authMethod: 'private_key_jwt' },
        jwt: { signing: { keystore: 'ec', alias: 'ec-signing' } },
      }),
      connection({
        type: 'password',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-basic', secret: SANDBOX_SECRET },
        params: { scope: 'api:read' },
        username: 'alice',
        password: 'x',
      }),
      connection({
        type: 'password',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-basic', secret: SANDBOX_SECRET },
        params: { scope: 'api:read' },
        username: 'bob',
        password: 'x',
      }),
    ];
    const keys = new Set([base, ...variants].map(cacheKey));
    expect(keys.size).toBe(variants.length + 1);
    // Order of scopes does not matter; the display name does not either.
    expect(cacheKey(cc({ params: { scope: 'b a' } }))).toBe(
      cacheKey(cc({ params: { scope: 'a  b' } })),
    );
    expect(cacheKey(cc({ name: 'renamed' }))).toBe(cacheKey(base));
  });

  it('secrets are in the key only as hashes', () => {
    const inputs = JSON.stringify(
      cacheKeyInputs(
        connection({
          type: 'password',
          tokenEndpoint: server.tokenEndpoint,
          client: { id: 'c', secret: SANDBOX_SECRET },
          username: 'u',
          password: 'hunter2-password',
        }),
      ),
    );
    expect(inputs).not.toContain(SANDBOX_SECRET);
    expect(inputs).not.toContain('hunter2-password');
  });

  it('a token with less than one second left is replaced; the minimum is configurable', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    const first = await obtainToken(cc(), ctx, { cache });
    const expiresAt = Date.parse(first.result.expiresAt!);
    clock = expiresAt - 1500;
    expect((await obtainToken(cc(), ctx, { cache })).source).toBe('cache');
    clock = expiresAt - 999;
    const before = tokenRequests();
    const renewed = await obtainToken(cc(), ctx, { cache });
    expect(renewed.source).toBe('network');
    expect(tokenRequests()).toBe(before + 1);

    cache.minRemainingMs = 60_000;
    clock = Date.parse(renewed.result.expiresAt!) - 59_000;
    expect((await obtainToken(cc(), ctx, { cache })).source).toBe('network');
  });

  it('assertions are never cached: each network request signs a new one', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    const conn = cc({
      client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
      jwt: { signing: { keystore: 'demo', alias: 'signing' } },
    });
    await obtainToken(conn, ctx, { cache });
    const a1 = server.tokenRequests().at(-1)!.form.get('client_assertion')!;
    expect(JSON.stringify(cache.entries())).not.toContain(a1);
    cache.clear();
    await obtainToken(conn, ctx, { cache });
    const a2 = server.tokenRequests().at(-1)!.form.get('client_assertion')!;
    expect(decodeJwt(a2).jti).not.toBe(decodeJwt(a1).jti);
  });

  it('--no-cache neither reads nor writes', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    // A warm cache: a plain call would be served from it.
    const cached = await obtainToken(cc(), ctx, { cache });
    const entries = JSON.stringify(cache.entries());
    expect(cache.size).toBe(1);
    const before = tokenRequests();
    const fresh = await obtainToken(cc(), ctx, { cache, noCache: true });
    // Not read: a request was made, and its token is another.
    expect(fresh.source).toBe('network');
    expect(tokenRequests()).toBe(before + 1);
    expect(fresh.result.token).not.toBe(cached.result.token);
    // Not written: the entry is the one from before, byte for byte.
    expect(JSON.stringify(cache.entries())).toBe(entries);
    expect((await obtainToken(cc(), ctx, { cache })).result.token).toBe(cached.result.token);
  });

  it('prunes expired entries and clears one connection or all', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    await obtainToken(cc({ id: 'a' }), ctx, { cache });
    await obtainToken(cc({ id: 'b', params: { scope: 'api:write' } }), ctx, { cache });
    expect(cache.size).toBe(2);
    expect(cache.clear('a')).toBe(1);
    expect(cache.entries().map((e) => e.connectionId)).toEqual(['b']);
    clock += 3600_000;
    expect(cache.prune()).toBe(1);
    expect(cache.size).toBe(0);
    await obtainToken(cc(), ctx, { cache });
    expect(cache.clear()).toBe(1);
  });

  it('periodic pruning runs on its own', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    await obtainToken(cc(), ctx, { cache });
    clock += 3600_000;
    cache.startPruning(20);
    await expect.poll(() => cache.size, { timeout: 2000 }).toBe(0);
    cache.stopPruning();
  });
});

describe('refresh that users can rely on', () => {
  const pw = (extra: Record<string, unknown> = {}) =>
    connection({
      type: 'password',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'ropc-public' },
      username: 'alice',
      password: 'wonderland',
      params: { scope: 'openid offline_access' },
      ...extra,
    });

  it('refreshes proactively shortly before expiry', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    const first = await obtainToken(pw(), ctx, { cache, refreshBeforeMs: 60_000 });
    clock = Date.parse(first.result.expiresAt!) - 120_000;
    expect((await obtainToken(pw(), ctx, { cache, refreshBeforeMs: 60_000 })).source).toBe('cache');
    clock = Date.parse(first.result.expiresAt!) - 30_000;
    const refreshed = await obtainToken(pw(), ctx, { cache, refreshBeforeMs: 60_000 });
    expect(refreshed.source).toBe('refresh');
    expect(server.tokenRequests().at(-1)!.form.get('grant_type')).toBe('refresh_token');
    expect(refreshed.result.token).not.toBe(first.result.token);
    expect((await obtainToken(pw(), ctx, { cache, refreshBeforeMs: 60_000 })).result.token).toBe(
      refreshed.result.token,
    );
  });

  it('an expired token is refreshed rather than requested anew', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    const first = await obtainToken(pw(), ctx, { cache });
    clock = Date.parse(first.result.expiresAt!) + 10_000;
    expect((await obtainToken(pw(), ctx, { cache })).source).toBe('refresh');
  });

  it('invalid_grant on refresh falls back to the full flow and says so', async () => {
    clock = Date.now();
    const cache = new TokenCache({ now: () => clock });
    const first = await obtainToken(pw(), ctx, { cache });
    const key = cacheKey(pw());
    const entry = cache.peek(key)!;
    cache.load([{ ...entry, result: { ...entry.result, refreshToken: 'revoked-or-unknown' } }]);
    clock = Date.parse(first.result.expiresAt!) + 10_000;
    const messages: string[] = [];
    const again = await obtainToken(
      pw(),
      { ...ctx, onProgress: (p) => messages.push(p.message) },
      { cache },
    );
    expect(again.source).toBe('network');
    expect(server.tokenRequests().at(-1)!.form.get('grant_type')).toBe('password');
    expect(messages).toContain(
      'The refresh token was refused (invalid_grant): requesting a new token.',
    );
  });
});

describe('cache performance', () => {
  it('looks up one of 10,000 entries without I/O', () => {
    const cache = new TokenCache();
    const result = {
      token: 't',
      tokenPath: '$.access_token',
      obtainedAt: new Date().toISOString(),
      fields: {},
      warnings: [],
      exchanges: [],
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    };
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, { id: `c${i}`, name: `c${i}` }, result);
    expect(cache.get('k5000')?.result.token).toBe('t');
    expect(cache.get('missing')).toBeUndefined();
  });
});
