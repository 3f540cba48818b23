/**
 * The JWT connection type (API Gateway, seed 003) end to end against the sandbox's API Gateway
 * issuer and API: Basic credentials, claims, the JWT at $.jwt or in a header, a pasted JWT, the
 * JWT sent as Authorization: Bearer on Try API (checked by the API through the issuer's JWKS,
 * exp and aud), its prerequisites, and the exported curl command run against the same issuer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import {
  startAuthorizationServer,
  API_GATEWAY_AUDIENCE,
  AUTH_JWT_REQUEST_HEADER,
  AUTH_JWT_RESPONSE_HEADER,
  SANDBOX_USER,
  type AuthorizationServer,
} from '../../sandbox/authorization-server.js';
import { fixtures } from '../support/fixtures.js';
import { connection, failure, testContext } from '../support/engine.js';
import { runBash } from '../support/shell.js';
import type { ConnectionInput } from '../../shared/connection.js';
import { requestToken } from '../../electron/core/grants/registry.js';
import { callApi } from '../../electron/core/api-call.js';
import { TokenCache } from '../../electron/core/cache/token-cache.js';
import { exportCurl } from '../../electron/core/transfer/runtime-export.js';
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

type JwtInput = Extract<ConnectionInput, { type: 'jwt' }>;
const gateway = (extra: Partial<Omit<JwtInput, 'type'>> = {}) =>
  connection({
    type: 'jwt',
    tokenEndpoint: server.apiGateway.tokenUrl,
    jwtIssuer: { username: SANDBOX_USER.username, password: SANDBOX_USER.password },
    ...extra,
  });
const issuerRequests = () =>
  server.received.filter((r) => r.path === new URL(server.apiGateway.tokenUrl).pathname);

describe('JWT connection (API Gateway)', () => {
  it('gets the JWT with Basic credentials from getJsonWebToken ($.jwt), masked in the exchange', async () => {
    const result = await requestToken(gateway(), ctx);
    const claims = decodeJwt(result.token);
    expect(claims).toMatchObject({ iss: server.apiGateway.issuer, sub: 'alice' });
    expect(result).toMatchObject({ tokenType: 'JWT', tokenPath: '$.jwt' });
    expect(Date.parse(result.expiresAt!)).toBe(claims.exp! * 1000);
    const sent = issuerRequests().at(-1)!;
    expect(sent.method).toBe('GET');
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from('alice:wonderland').toString('base64')}`,
    );
    const shown = JSON.stringify(result.exchanges);
    expect(shown).not.toContain('wonderland');
    expect(shown).not.toContain(result.token);
    expect(result.exchanges[0]?.request.headers.Authorization).toBe('Basic ••••••');
  });

  it('claims go as a JSON body with POST and come back in the JWT', async () => {
    const result = await requestToken(
      gateway({
        jwtIssuer: {
          username: 'alice',
          password: 'wonderland',
          requestMethod: 'POST',
          claims: '{"app_id": "payments", "roles": ["reader"]}',
        },
      }),
      ctx,
    );
    expect(decodeJwt(result.token)).toMatchObject({ app_id: 'payments', roles: ['reader'] });
    expect(JSON.parse(issuerRequests().at(-1)!.body)).toEqual({
      app_id: 'payments',
      roles: ['reader'],
    });
  });

  it('the JWT from a response header (the z/OS-style authentication server)', async () => {
    const result = await requestToken(
      gateway({
        tokenEndpoint: server.authJwtHeaderUrl,
        jwtIssuer: {
          username: 'alice',
          password: 'wonderland',
          requestHeader: AUTH_JWT_REQUEST_HEADER,
          tokenLocation: 'header',
          responseHeader: AUTH_JWT_RESPONSE_HEADER,
        },
      }),
      ctx,
    );
    expect(decodeJwt(result.token).sub).toBe('alice');
    expect(result.tokenPath).toBe(`header ${AUTH_JWT_RESPONSE_HEADER}`);
  });

  it('a wrong password is the issuer’s 401; no password in the error', async () => {
    const e = await failure(
      requestToken(gateway({ jwtIssuer: { username: 'alice', password: 'n0t-it' } }), ctx),
    );
    expect(e.code).toBe('http_status');
    expect(JSON.stringify(e.toData())).not.toContain('n0t-it');
  });

  it('prerequisites: an issuer URL and a user name, unless a JWT is pasted', async () => {
    const none = connection({ type: 'jwt', tokenEndpoint: '' });
    const e = await failure(requestToken(none, ctx));
    expect([e.code, e.field]).toEqual(['invalid_input', 'tokenEndpoint']);
    const noUser = await failure(requestToken(gateway({ jwtIssuer: {} }), ctx));
    expect(noUser.field).toBe('jwtIssuer.username');
  });

  it('Try API sends it as Authorization: Bearer; the API checks it with the JWKS, exp and aud', async () => {
    const cache = new TokenCache();
    const conn = gateway();
    const first = await callApi(conn, { method: 'GET', url: server.apiGateway.apiUrl }, ctx, {
      cache,
    });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ sub: 'alice', aud: API_GATEWAY_AUDIENCE });
    const again = await callApi(conn, { method: 'GET', url: server.apiGateway.apiUrl }, ctx, {
      cache,
    });
    expect([again.status, again.tokenSource]).toEqual([200, 'cache']);

    // Another audience: the API refuses it (401 invalid_token), the retry gets the same kind.
    const otherAudience = gateway({
      jwtIssuer: {
        username: 'alice',
        password: 'wonderland',
        requestMethod: 'POST',
        claims: '{"aud":"elsewhere"}',
      },
    });
    const refused = await callApi(
      otherAudience,
      { method: 'GET', url: server.apiGateway.apiUrl },
      ctx,
    );
    expect([refused.status, refused.attempts]).toEqual([401, 2]);
    expect(JSON.parse(refused.body).error_description).toMatch(/aud/);
  });

  it('a pasted JWT is sent as it is; an expired or foreign one is refused by the API', async () => {
    const issued = (await requestToken(gateway(), ctx)).token;
    const pasted = await callApi(
      connection({ type: 'jwt', tokenEndpoint: '', pastedJwt: issued }),
      { method: 'GET', url: server.apiGateway.apiUrl },
      ctx,
    );
    expect(pasted.status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ aud: API_GATEWAY_AUDIENCE, sub: 'mallory' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(server.apiGateway.issuer)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode('not-the-gateway-key-0123456789abcdef'));
    const expired = await requestToken(
      gateway({
        jwtIssuer: {
          username: 'alice',
          password: 'wonderland',
          requestMethod: 'POST',
          claims: `{"exp": ${now - 120}}`,
        },
      }),
      ctx,
    );
    for (const token of [foreign, expired.token]) {
      const res = await callApi(
        connection({ type: 'jwt', tokenEndpoint: '', pastedJwt: token }),
        { method: 'GET', url: server.apiGateway.apiUrl },
        ctx,
      );
      expect(res.status).toBe(401);
    }
  });

  it('the exported curl command gets a JWT from the issuer, the password from the environment', async () => {
    const conn = gateway({ name: 'API GW' });
    const script = await exportCurl([conn]);
    expect(script).not.toContain('wonderland');
    expect(script).toContain('-X GET');
    const run = await runBash(script, { API_GW_JWT_ISSUER_PASSWORD: 'wonderland' });
    expect(run.status, run.stderr).toBe(0);
    expect(decodeJwt(JSON.parse(run.stdout).jwt).sub).toBe('alice');
  });
});
