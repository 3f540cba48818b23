/**
 * DPoP (RFC 9449) end to end against oidc-provider's `features.dPoP` and the sandbox's resource
 * server, checked from what the servers received: proofs on token and refresh requests, the
 * nonce retry at the authorization server and at the API, `ath` on API calls, token_type DPoP,
 * and the check of the token's `cnf.jkt` against the proof key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  DEVICE_CLIENT,
  DPOP_CLIENT,
  DPOP_NONCE_CLIENT,
  DPOP_NONCE_REFUSED_API_PATH,
  SANDBOX_SECRET,
  startAuthorizationServer,
  type AuthorizationServer,
  type ReceivedRequest,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, failure, testContext } from '../../support/engine.js';
import { approveDevice } from '../../support/device-driver.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { refreshToken } from '../../../electron/core/grants/refresh.js';
import { callApi } from '../../../electron/core/api-call.js';
import { resolveConnection } from '../../../electron/core/oauth/resolve.js';
import { withBindingChecks } from '../../../electron/core/oauth/token-binding.js';
import { storedDpopKey } from '../../../electron/core/keys/dpop-keys.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import { cacheKey } from '../../../electron/core/cache/cache-key.js';
import type { Connection } from '../../../shared/connection.js';

let server: AuthorizationServer;

beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
    deviceIntervalSeconds: 1,
  });
});
afterAll(() => server.close());

const dpopConn = (extra: Record<string, unknown> = {}): Connection =>
  connection({
    type: 'client_credentials',
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    client: { id: DPOP_CLIENT, secret: SANDBOX_SECRET },
    params: { scope: 'api:read' },
    dpop: { enabled: true },
    ...extra,
  });

const proofOf = (r: ReceivedRequest) => {
  const proof = String(r.headers.dpop ?? '');
  return { header: decodeProtectedHeader(proof), claims: decodeJwt(proof) };
};

describe('DPoP on token and refresh requests', () => {
  it('sends a fresh proof, gets a DPoP token bound to the key, and checks cnf.jkt by introspection', async () => {
    const ctx = await testContext();
    const before = server.received.length;
    const result = await requestToken(dpopConn(), ctx);
    await requestToken(dpopConn(), ctx);
    await ctx.http.close();
    const tokens = server.received.slice(before).filter((r) => r.path === '/token');
    expect(tokens).toHaveLength(2);
    const [first, second] = tokens.map(proofOf);
    expect(first!.header.typ).toBe('dpop+jwt');
    expect(first!.header.alg).toBe('ES256');
    expect(first!.header.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(first!.header.jwk).not.toHaveProperty('d');
    expect(first!.claims).toMatchObject({ htm: 'POST', htu: server.tokenEndpoint });
    expect(Math.abs(Number(first!.claims.iat) - Date.now() / 1000)).toBeLessThan(5);
    expect(first!.claims.jti).not.toBe(second!.claims.jti);
    const jkt = await calculateJwkThumbprint(first!.header.jwk!, 'sha256');
    expect(result.tokenType).toBe('DPoP');
    expect(result.bindings).toEqual([
      {
        kind: 'dpop',
        expected: jkt,
        found: jkt,
        via: 'introspection',
        ok: true,
        message: 'cnf.jkt matches the DPoP proof key (by introspection).',
      },
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.exchanges.map((e) => e.label)).toEqual(['token', 'introspection']);
    // The proof is a JWT: masked like a token in the exchange.
    expect(result.exchanges[0]?.request.headers.dpop).toBe('eyJhbG…');
  });

  it('a JWT access token (resource indicator) is checked from its own cnf.jkt', async () => {
    const ctx = await testContext();
    const result = await requestToken(
      dpopConn({ params: { scope: 'api:read', resource: ['https://api.sandbox.test'] } }),
      ctx,
    );
    await ctx.http.close();
    expect(decodeJwt(result.token).cnf).toEqual({ jkt: result.bindings?.[0]?.expected });
    expect(result.bindings?.[0]).toMatchObject({ via: 'jwt', ok: true });
    expect(result.exchanges.map((e) => e.label)).toEqual(['token']);
  });

  it('refresh requests carry a proof too; the refreshed token stays DPoP-bound (device flow)', async () => {
    const ctx = await testContext();
    const conn = connection({
      type: 'device_code',
      issuer: server.issuer,
      tokenEndpoint: server.tokenEndpoint,
      client: { id: DEVICE_CLIENT },
      params: { scope: 'openid offline_access api:read' },
      dpop: { enabled: true },
    });
    let approving: Promise<unknown> | undefined;
    const first = await requestToken(conn, {
      ...ctx,
      onProgress: (p) => {
        if (p.step === 'device' && p.device)
          approving ??= approveDevice(p.device.verificationUriComplete!, 'alice');
      },
    });
    await approving;
    const before = server.received.length;
    const refreshed = await refreshToken(conn, first.refreshToken!, ctx);
    await ctx.http.close();
    const request = server.received.slice(before).find((r) => r.path === '/token')!;
    expect(request.form.get('grant_type')).toBe('refresh_token');
    expect(proofOf(request).claims).toMatchObject({ htm: 'POST', htu: server.tokenEndpoint });
    expect(first.tokenType).toBe('DPoP');
    expect(refreshed.tokenType).toBe('DPoP');
    expect(refreshed.bindings?.[0]?.ok).toBe(true);
  });

  it('a server that ignores the proof (the sandbox password grant) gets a Bearer token: a warning', async () => {
    const ctx = await testContext();
    const result = await requestToken(
      connection({
        type: 'password',
        issuer: server.issuer,
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
        username: 'alice',
        password: 'wonderland',
        params: { scope: 'api:read' },
        dpop: { enabled: true },
      }),
      ctx,
    );
    await ctx.http.close();
    expect(result.tokenType).toBe('Bearer');
    expect(result.bindings?.[0]?.ok).toBe(false);
    expect(result.warnings).toContain(
      `The server issued a Bearer token: it ignored the DPoP proof, and the token is not bound to the key (${result.bindings?.[0]?.expected}).`,
    );
  });

  it('use_dpop_nonce at the token endpoint: retried once with the server nonce, both legs shown', async () => {
    const ctx = await testContext();
    const before = server.received.length;
    const result = await requestToken(
      dpopConn({ client: { id: DPOP_NONCE_CLIENT, secret: SANDBOX_SECRET } }),
      ctx,
    );
    await ctx.http.close();
    const tokens = server.received.slice(before).filter((r) => r.path === '/token');
    expect(tokens).toHaveLength(2);
    expect(proofOf(tokens[0]!).claims.nonce).toBeUndefined();
    const challenge = result.exchanges[0]!;
    expect(challenge.response?.status).toBe(400);
    expect(challenge.response?.body).toContain('use_dpop_nonce');
    expect(proofOf(tokens[1]!).claims.nonce).toBe(challenge.response?.headers['dpop-nonce']);
    expect(result.tokenType).toBe('DPoP');
    expect(result.exchanges.map((e) => e.label)).toEqual(['token', 'token', 'introspection']);
  });

  it('the proof key can be a keystore alias (RSA: RS256 proofs)', async () => {
    const ctx = await testContext();
    const before = server.received.length;
    const result = await requestToken(
      dpopConn({
        dpop: { enabled: true, keySource: 'keystore', keystore: 'demo', alias: 'signing' },
      }),
      ctx,
    );
    await ctx.http.close();
    const proof = proofOf(server.received.slice(before).find((r) => r.path === '/token')!);
    expect(proof.header.alg).toBe('RS256');
    expect(proof.header.jwk).toMatchObject({ kty: 'RSA' });
    expect(result.bindings?.[0]?.ok).toBe(true);
  });

  it('a keystore source without a keystore is a clear error', async () => {
    const ctx = await testContext();
    const e = await failure(
      requestToken(dpopConn({ dpop: { enabled: true, keySource: 'keystore' } }), ctx),
    );
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('dpop.keystore');
    expect(e.message).toBe('Choose the Keystore Name of the DPoP proof key.');
  });
});

describe('DPoP on API calls (the sandbox resource server verifies the proof)', () => {
  it('sends Authorization: DPoP and a proof with ath = SHA-256 of the token', async () => {
    const ctx = await testContext();
    const before = server.received.length;
    const res = await callApi(dpopConn(), { method: 'GET', url: `${server.apiUrl}?q=1` }, ctx);
    await ctx.http.close();
    expect(res.status).toBe(200);
    expect(res.authorizationScheme).toBe('DPoP');
    expect(JSON.parse(res.body)).toMatchObject({ client_id: DPOP_CLIENT, token_type: 'DPoP' });
    const api = server.received.slice(before).find((r) => r.path === '/api/whoami')!;
    const token = String(api.headers.authorization).replace(/^DPoP /, '');
    expect(String(api.headers.authorization)).toMatch(/^DPoP /);
    expect(proofOf(api).claims).toMatchObject({
      htm: 'GET',
      htu: server.apiUrl,
      ath: createHash('sha256').update(token).digest('base64url'),
    });
  });

  it('answers the API’s nonce challenge once (401 use_dpop_nonce, DPoP-Nonce)', async () => {
    const ctx = await testContext();
    const before = server.received.length;
    const res = await callApi(dpopConn(), { method: 'GET', url: server.nonceApiUrl }, ctx);
    await ctx.http.close();
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(1);
    const calls = server.received.slice(before).filter((r) => r.path === '/api/whoami-nonce');
    expect(calls).toHaveLength(2);
    expect(proofOf(calls[0]!).claims.nonce).toBeUndefined();
    expect(proofOf(calls[1]!).claims.nonce).toEqual(expect.any(String));
  });

  it('a nonce refused twice is a specific error, not a loop', async () => {
    const ctx = await testContext();
    const before = server.received.length;
    const e = await failure(
      callApi(
        dpopConn(),
        { method: 'GET', url: `${server.issuer}${DPOP_NONCE_REFUSED_API_PATH}` },
        ctx,
      ),
    );
    await ctx.http.close();
    expect(e.code).toBe('oauth_error');
    expect(e.message).toBe(
      `The API at ${server.issuer} asked for a new DPoP nonce again after Tokensmith retried with the nonce it gave (use_dpop_nonce twice, RFC 9449 §9): its nonces may expire at once.`,
    );
    expect(
      server.received.slice(before).filter((r) => r.path === DPOP_NONCE_REFUSED_API_PATH),
    ).toHaveLength(2);
  });

  it('the resource server refuses a DPoP-bound token sent as Bearer, and a proof for another URL', async () => {
    const ctx = await testContext();
    const { token } = await requestToken(dpopConn(), ctx);
    await ctx.http.close();
    const asBearer = await fetch(server.apiUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toContain('The access token is DPoP-bound');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const wrongProof = await new SignJWT({ htm: 'GET', htu: `${server.issuer}/elsewhere` })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'dpop+jwt',
        jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
      })
      .setIssuedAt()
      .setJti('x')
      .sign(privateKey)
      .catch(() => 'not-a-proof');
    const forged = await fetch(server.apiUrl, {
      headers: { authorization: `DPoP ${token}`, dpop: wrongProof },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  });
});

describe('the proof key and the binding check', () => {
  it('a generated key is made once per connection and kept sealed in the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokensmith-dpop-'));
    const workspace = await openWorkspace(dir, {});
    const a = await storedDpopKey(workspace.store, 'conn-a');
    const again = await storedDpopKey(workspace.store, 'conn-a');
    const b = await storedDpopKey(workspace.store, 'conn-b');
    expect(a.export({ format: 'jwk' })).toEqual(again.export({ format: 'jwk' }));
    expect(b.export({ format: 'jwk' })).not.toEqual(a.export({ format: 'jwk' }));
    expect(a.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const text = readFileSync(join(dir, 'store.json'), 'utf8');
    const pem = a.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(text).not.toContain(pem.split('\n')[1]);
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('a token bound to another key, or a Bearer token, is a warning with both thumbprints', async () => {
    const ctx = await testContext();
    const conn = dpopConn({ issuer: '' });
    const resolved = resolveConnection(conn, ctx);
    const expected = (await resolved.dpop())!.jkt;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwt = await new SignJWT({ cnf: { jkt: 'another-thumbprint' } })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    const base = {
      token: jwt,
      accessToken: jwt,
      tokenPath: '$.access_token',
      fields: {},
      obtainedAt: '',
      warnings: [],
      exchanges: [],
    };
    const bound = await withBindingChecks(resolved, { ...base, tokenType: 'DPoP' }, ctx);
    expect(bound.bindings?.[0]).toMatchObject({
      ok: false,
      found: 'another-thumbprint',
      expected,
      via: 'jwt',
    });
    expect(bound.warnings).toEqual([
      `cnf.jkt is another-thumbprint, not the DPoP proof key's thumbprint ${expected}: the token is bound to another key.`,
    ]);
    const bearer = await withBindingChecks(resolved, { ...base, tokenType: 'Bearer' }, ctx);
    expect(bearer.warnings[0]).toBe(
      `The server issued a Bearer token: it ignored the DPoP proof, and the token is not bound to the key (${expected}).`,
    );
    const opaque = await withBindingChecks(
      resolved,
      { ...base, token: 'opaque', accessToken: 'opaque', tokenType: 'DPoP' },
      ctx,
    );
    expect(opaque.bindings?.[0]).toMatchObject({ via: 'unchecked' });
    expect(opaque.warnings).toEqual([]);
  });

  it('DPoP enters the cache key (a bound token is never served to the plain connection)', () => {
    const plain = dpopConn({ dpop: { enabled: false } });
    expect(cacheKey(dpopConn())).not.toBe(cacheKey(plain));
    expect(cacheKey({ ...dpopConn(), id: 'other' } as Connection)).not.toBe(cacheKey(dpopConn()));
  });
});
