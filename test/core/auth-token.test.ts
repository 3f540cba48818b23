/**
 * The JWT authentication server of z/OS Connect (`zosconnect_authToken`, seed 000) against the
 * sandbox's non-OAuth authentication server, in its header and body variants, and an API call
 * that combines the OAuth access token (Authorization) with that JWT (a bespoke header).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { decodeJwt } from 'jose';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  SANDBOX_USER,
  AUTH_JWT_API_HEADER,
  AUTH_JWT_REQUEST_HEADER,
  AUTH_JWT_RESPONSE_HEADER,
  type AuthorizationServer,
} from '../../sandbox/authorization-server.js';
import { fixtures } from '../support/fixtures.js';
import { connection, failure, testContext } from '../support/engine.js';
import { connectionSchema, type ConnectionInput } from '../../shared/connection.js';
import { TokenCache } from '../../electron/core/cache/token-cache.js';
import { callApi } from '../../electron/core/api-call.js';
import {
  authTokenCacheKey,
  fillRequestBody,
  obtainAuthToken,
  requestAuthToken,
} from '../../electron/core/auth-token.js';
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

type AuthTokenInput = NonNullable<Extract<ConnectionInput, { type: 'password' }>['authToken']>;

const headerVariant = (): AuthTokenInput => ({
  enabled: true,
  tokenEndpoint: server.authJwtHeaderUrl,
  requestMethod: 'GET',
  username: SANDBOX_USER.username,
  password: SANDBOX_USER.password,
  credentialLocation: 'header',
  requestHeader: AUTH_JWT_REQUEST_HEADER,
  tokenLocation: 'header',
  responseHeader: AUTH_JWT_RESPONSE_HEADER,
  header: AUTH_JWT_API_HEADER,
});

const bodyVariant = (password = SANDBOX_USER.password): AuthTokenInput => ({
  enabled: true,
  tokenEndpoint: server.authJwtBodyUrl,
  requestMethod: 'POST',
  username: SANDBOX_USER.username,
  password,
  credentialLocation: 'body',
  requestBody: '{"username":"${userid}","password":"${password}"}',
  tokenLocation: 'body',
  responseFormat: 'JSON',
  tokenPath: '$.data.jwt',
  header: AUTH_JWT_API_HEADER,
});

const combined = (authToken: AuthTokenInput) =>
  connection({
    type: 'password',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
    username: SANDBOX_USER.username,
    password: SANDBOX_USER.password,
    authToken,
  });

describe('JWT from an authentication server', () => {
  it('header variant: Basic credentials in JWTReqAuthorization (GET), JWT from JWTResAuthorization', async () => {
    const before = server.received.length;
    const result = await requestAuthToken(combined(headerVariant()), ctx);
    const sent = server.received.slice(before).find((r) => r.path === '/authjwt/header')!;
    expect(sent.method).toBe('GET');
    expect(sent.headers[AUTH_JWT_REQUEST_HEADER.toLowerCase()]).toBe(
      `Basic ${Buffer.from('alice:wonderland').toString('base64')}`,
    );
    expect(sent.headers.authorization).toBeUndefined();
    expect(decodeJwt(result.token)).toMatchObject({ sub: 'alice' });
    expect(result.tokenPath).toBe(`header ${AUTH_JWT_RESPONSE_HEADER}`);
    expect(Date.parse(result.expiresAt!)).toBeGreaterThan(Date.now());
    // Neither the credentials nor the JWT appear in the exchange shown to the user.
    const shown = JSON.stringify(result.exchanges);
    expect(shown).not.toContain(Buffer.from('alice:wonderland').toString('base64'));
    expect(shown).not.toContain(result.token);
    expect(shown).toContain('Basic ••••••');
  });

  it('body variant: JSON credentials (POST, escaped), JWT at $.data.jwt', async () => {
    const before = server.received.length;
    const result = await requestAuthToken(combined(bodyVariant()), ctx);
    const sent = server.received.slice(before).find((r) => r.path === '/authjwt/body')!;
    expect(sent.method).toBe('POST');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({ username: 'alice', password: 'wonderland' });
    expect(decodeJwt(result.token).sub).toBe('alice');
    expect(JSON.stringify(result.exchanges)).not.toContain('wonderland');
    // Quotes and backslashes in a password stay valid JSON; a form body is URL-encoded.
    expect(JSON.parse(fillRequestBody('{"p":"${password}"}', 'u', 'a"b\\c'))).toEqual({
      p: 'a"b\\c',
    });
    expect(fillRequestBody('user=${userid}&pw=${password}', 'a b', 'x&y')).toBe(
      'user=a%20b&pw=x%26y',
    );
  });

  it("wrong password → the server's 401, with the exchange attached and the password masked", async () => {
    const e = await failure(requestAuthToken(combined(bodyVariant('not-the-password')), ctx));
    expect(e.code).toBe('http_status');
    expect(e.message).toMatch(/answered HTTP 401.*Unknown user or wrong password/);
    expect(JSON.stringify(e.detail)).not.toContain('not-the-password');
  });

  it('a response without the JWT names where it looked', async () => {
    const e = await failure(
      requestAuthToken(combined({ ...headerVariant(), responseHeader: 'X-Other' }), ctx),
    );
    expect(e.code).toBe('missing_token');
    expect(e.message).toMatch(/no JWT in the X-Other response header/);
  });

  it('caches the JWT until its exp, keyed by every input (password hashed)', async () => {
    const cache = new TokenCache();
    const conn = combined(headerVariant());
    const first = await obtainAuthToken(conn, ctx, { cache });
    const second = await obtainAuthToken(conn, ctx, { cache });
    expect([first.source, second.source]).toEqual(['network', 'cache']);
    expect(second.result.token).toBe(first.result.token);
    const other = combined({ ...headerVariant(), password: 'other' });
    expect(authTokenCacheKey(other.authToken)).not.toBe(authTokenCacheKey(conn.authToken));
    expect(authTokenCacheKey(conn.authToken)).not.toContain('wonderland');
  });

  it('the bespoke header may not be Authorization when combined with OAuth', () => {
    const parsed = connectionSchema.safeParse({
      id: 'x',
      name: 'x',
      type: 'client_credentials',
      tokenEndpoint: 'https://as.example/token',
      authToken: { ...headerVariant(), header: 'authorization' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['authToken', 'header'],
      message: expect.stringMatching(/other than Authorization: it carries the OAuth access token/),
    });
    const get = connectionSchema.safeParse({
      id: 'x',
      name: 'x',
      type: 'client_credentials',
      tokenEndpoint: 'https://as.example/token',
      authToken: { ...bodyVariant(), requestMethod: 'GET' },
    });
    expect(get.error?.issues[0]?.message).toMatch(/GET request carries no body/);
  });
});

describe('combined authentication: OAuth access token + authentication-server JWT', () => {
  for (const [label, variant] of [
    ['header variant', headerVariant],
    ['body variant', () => bodyVariant()],
  ] as const) {
    it(`sends Bearer access token and the JWT in ${AUTH_JWT_API_HEADER} (${label})`, async () => {
      const before = server.received.length;
      const result = await callApi(
        combined(variant()),
        { method: 'GET', url: server.combinedApiUrl },
        ctx,
        { cache: new TokenCache() },
      );
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body)).toEqual({
        sub: 'alice',
        client_id: 'ropc-basic',
        jwt_sub: 'alice',
      });
      expect(result.authTokenHeader).toBe(AUTH_JWT_API_HEADER);
      const call = server.received.slice(before).find((r) => r.path === '/api/combined')!;
      expect(call.headers.authorization).toMatch(/^Bearer /);
      expect(call.headers[AUTH_JWT_API_HEADER.toLowerCase()]).toMatch(/^Bearer eyJ/);
    });
  }

  it('a JWT the API rejects (invalid_token) → both tokens renewed, one retry, 200', async () => {
    const cache = new TokenCache();
    const conn = combined(headerVariant());
    await obtainAuthToken(conn, ctx, { cache });
    const key = authTokenCacheKey(conn.authToken);
    const entry = cache.peek(key)!;
    cache.load([
      { ...entry, result: { ...entry.result, token: 'eyJhbGciOiJIUzI1NiJ9.e30.stale' } },
    ]);
    const before = server.received.length;
    const result = await callApi(conn, { method: 'GET', url: server.combinedApiUrl }, ctx, {
      cache,
    });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(2);
    const paths = server.received.slice(before).map((r) => r.path);
    expect(paths.filter((p) => p === '/authjwt/header')).toHaveLength(1);
    expect(paths.filter((p) => p === '/api/combined')).toHaveLength(2);
  });

  it('without the JWT configured the API answers 401 and it is not retried twice', async () => {
    const conn = connection({
      type: 'password',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
      username: SANDBOX_USER.username,
      password: SANDBOX_USER.password,
    });
    const result = await callApi(conn, { method: 'GET', url: server.combinedApiUrl }, ctx, {
      cache: new TokenCache(),
    });
    expect(result.status).toBe(401);
    expect(result.attempts).toBe(2);
  });
});
