/**
 * Try API with the z/OS Connect retry rule, against the sandbox's protected API: 401 with
 * invalid_token → one retry with a new token; retry-check level 1 → any 401 is retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  PLAIN_401_API_PATH,
  type AuthorizationServer,
} from '../../sandbox/authorization-server.js';
import { fixtures } from '../support/fixtures.js';
import { connection, failure, testContext } from '../support/engine.js';
import { TokenCache } from '../../electron/core/cache/token-cache.js';
import { cacheKey } from '../../electron/core/cache/cache-key.js';
import { callApi, shouldRetry } from '../../electron/core/api-call.js';
import { obtainToken } from '../../electron/core/token-service.js';
import type { FlowContext } from '../../electron/core/oauth/flow-context.js';
import type { HttpClient } from '../../electron/core/http/http-client.js';

let server: AuthorizationServer;
let ctx: FlowContext & { http: HttpClient };
beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
  });
  ctx = await testContext();
});
afterAll(async () => {
  await ctx.http.close();
  await server.close();
});

const cc = () =>
  connection({
    type: 'client_credentials',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'cc-basic', secret: SANDBOX_SECRET },
  });

/** A cache whose token for the connection the API no longer accepts (revoked or expired on the way). */
async function cacheWithStaleToken(): Promise<TokenCache> {
  const cache = new TokenCache();
  await obtainToken(cc(), ctx, { cache });
  const entry = cache.peek(cacheKey(cc()))!;
  cache.load([{ ...entry, result: { ...entry.result, token: 'revoked-token-value' } }]);
  return cache;
}

describe('Try API', () => {
  it('sends the token as Bearer and returns status, headers, body and timing', async () => {
    const result = await callApi(cc(), { method: 'GET', url: server.apiUrl }, ctx, {
      cache: new TokenCache(),
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ client_id: 'cc-basic', method: 'GET' });
    expect(result.attempts).toBe(1);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('401 with invalid_token: a new token, one retry, 200; the stale token leaves the cache', async () => {
    const cache = await cacheWithStaleToken();
    const tokenRequests = server.tokenRequests().length;
    const result = await callApi(cc(), { method: 'GET', url: server.apiUrl }, ctx, { cache });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(2);
    expect(server.tokenRequests().length).toBe(tokenRequests + 1);
    expect(cache.peek(cacheKey(cc()))?.result.token).not.toBe('revoked-token-value');
  });

  it('a bare 401 is not retried at level 0, and is at level 1', async () => {
    const url = `${server.issuer}${PLAIN_401_API_PATH}`;
    const level0 = await callApi(cc(), { method: 'GET', url }, ctx, {
      cache: await cacheWithStaleToken(),
    });
    expect([level0.status, level0.attempts]).toEqual([401, 1]);
    const level1 = await callApi(cc(), { method: 'GET', url }, ctx, {
      cache: await cacheWithStaleToken(),
      retryCheckLevel: 1,
    });
    expect([level1.status, level1.attempts]).toEqual([200, 2]);
  });

  it('retries once only', async () => {
    const url = `${server.issuer}${PLAIN_401_API_PATH}`;
    const bad = connection({
      type: 'client_credentials',
      tokenEndpoint: `${server.issuer}/token`,
      client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      tokenPath: '$.token_type',
    });
    const result = await callApi(bad, { method: 'GET', url }, ctx, { retryCheckLevel: 1 });
    expect([result.status, result.attempts]).toEqual([401, 2]);
  });

  it('the rule itself', () => {
    const h = (v: string) => ({ 'www-authenticate': v });
    expect(shouldRetry({ status: 401, headers: h('Bearer error="invalid_token"') }, 0)).toBe(true);
    expect(shouldRetry({ status: 401, headers: h('Bearer realm="x"') }, 0)).toBe(false);
    expect(shouldRetry({ status: 401, headers: {} }, 1)).toBe(true);
    expect(shouldRetry({ status: 403, headers: h('Bearer error="invalid_token"') }, 1)).toBe(false);
  });

  it('a malformed URL is invalid_input', async () => {
    expect((await failure(callApi(cc(), { method: 'GET', url: 'not a url' }, ctx))).code).toBe(
      'invalid_input',
    );
  });
});
