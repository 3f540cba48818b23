/**
 * DESIGN.md's reliability bar: every bad input gets its own code and a clear message. Endpoints
 * that misbehave (HTML error pages, slow or huge answers) are plain local HTTP servers that
 * answer exactly that way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrivateKey } from 'node:crypto';
import { connectionSchema } from '../../shared/connection.js';
import { connection, failure, fixtureKeystores, testContext } from '../support/engine.js';
import { requestToken } from '../../electron/core/grants/registry.js';
import { HttpClient } from '../../electron/core/http/http-client.js';
import { DEFAULT_NETWORK_PROFILE } from '../../electron/core/http/network-profile.js';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../sandbox/authorization-server.js';
import { fixtures } from '../support/fixtures.js';

type Behaviour = (res: ServerResponse) => void;
const behaviours: Record<string, Behaviour> = {
  '/html-500': (res) =>
    res
      .writeHead(500, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<html><body><h1>Internal Server Error</h1>${'<p>stack frame</p>'.repeat(400)}</body></html>`,
      ),
  '/html-200': (res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Login page</html>'),
  '/json-array': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[1,2]'),
  '/malformed-400': (res) =>
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error": "invalid_'),
  '/error-200': (res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"error":"bad_verification_code","error_description":"The code is wrong"}'),
  '/no-token': (res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"token_type":"Bearer","expires_in":60}'),
  '/odd-type': (res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"access_token":"abc","token_type":"weird","expires_in":"3600"}'),
  '/slow': () => undefined,
  '/huge': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"access_token":"${'x'.repeat(3 * 1024 * 1024)}"}`);
  },
};

let broken: Server;
let base: string;
let oidc: AuthorizationServer;
beforeAll(async () => {
  broken = createServer((req, res) => {
    req.resume();
    (behaviours[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
  oidc = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
  });
});
afterAll(async () => {
  broken.closeAllConnections();
  broken.close();
  await oidc.close();
});

const cc = (tokenEndpoint: string, extra: Record<string, unknown> = {}) =>
  connection({
    type: 'client_credentials',
    tokenEndpoint,
    client: { id: 'c', secret: 's' },
    ...extra,
  });

describe('bad server behaviour', () => {
  it('an HTML 500 page: status, content type and the first 2 KB', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc(`${base}/html-500`), ctx));
    expect(e.code).toBe('http_status');
    expect(e.message).toMatch(
      /answered HTTP 500 \(text\/html\): <html><body><h1>Internal Server Error/,
    );
    expect(e.detail).toMatchObject({ status: 500, contentType: 'text/html; charset=utf-8' });
    expect((e.detail?.body as string).length).toBe(2048);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a 200 that is not JSON, or not an object: invalid_response', async () => {
    const ctx = await testContext();
    expect((await failure(requestToken(cc(`${base}/html-200`), ctx))).message).toMatch(
      /answered 200 but not with a JSON object \(text\/html\)/,
    );
    expect((await failure(requestToken(cc(`${base}/json-array`), ctx))).code).toBe(
      'invalid_response',
    );
  });

  it('malformed JSON on a 400 is shown as the raw body', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc(`${base}/malformed-400`), ctx));
    expect(e.code).toBe('http_status');
    expect(e.message).toContain('{"error": "invalid_');
  });

  it('an OAuth error sent with 200 is still an OAuth error', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc(`${base}/error-200`), ctx));
    expect(e.code).toBe('oauth_error');
    expect(e.message).toBe(
      'The authorization server answered 200 bad_verification_code: The code is wrong',
    );
  });

  it('no access_token: missing_token', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc(`${base}/no-token`), ctx));
    expect(e.code).toBe('missing_token');
    expect(e.message).toContain('it has: token_type, expires_in');
  });

  it('an unexpected token_type and a string expires_in are accepted with warnings', async () => {
    const ctx = await testContext();
    const r = await requestToken(cc(`${base}/odd-type`), ctx);
    expect(r.token).toBe('abc');
    expect(r.expiresIn).toBe(3600);
    expect(r.warnings).toEqual([expect.stringContaining('Unexpected token_type "weird"')]);
  });

  it('a server slower than the read timeout: timeout', async () => {
    const ctx = await testContext();
    const e = await failure(
      requestToken(cc(`${base}/slow`, { timeouts: { readSeconds: 0.3 } }), ctx),
    );
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/did not answer within 0.3 s/);
    await ctx.http.close();
  });

  it('a huge response is cut off: response_too_large', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc(`${base}/huge`), ctx));
    expect(e.code).toBe('response_too_large');
    expect(e.message).toMatch(/larger than 1024 KB/);
  });

  it('a server that is down: connection_refused', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc('http://127.0.0.1:9/token'), ctx));
    expect(e.code).toBe('connection_refused');
    expect(e.message).toBe(
      'Connection refused by 127.0.0.1:9: is the server running and the port right?',
    );
  });

  it('a host name that does not resolve: dns', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(cc('http://tokensmith-test.invalid/token'), ctx));
    expect(e.code).toBe('dns');
    expect(e.message).toContain('tokensmith-test.invalid could not be resolved');
  });

  it('cancelling a request: cancelled', async () => {
    const ctx = await testContext();
    const controller = new AbortController();
    const p = requestToken(cc(`${base}/slow`), { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(p)).code).toBe('cancelled');
    await ctx.http.close();
  });
});

describe('bad user input', () => {
  it('malformed URLs are refused by the model with a field message', () => {
    const parsed = connectionSchema.safeParse({
      id: 'x',
      name: 'x',
      type: 'client_credentials',
      tokenEndpoint: 'login.example.com/token',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['tokenEndpoint'],
      message: 'Enter an absolute http:// or https:// URL',
    });
    const ftp = connectionSchema.safeParse({
      id: 'x',
      name: 'x',
      type: 'client_credentials',
      tokenEndpoint: 'ftp://example.com',
    });
    expect(ftp.success).toBe(false);
    const resource = connectionSchema.safeParse({
      id: 'x',
      name: 'x',
      type: 'client_credentials',
      tokenEndpoint: 'https://a.test',
      params: { resource: ['https://api.test/#frag'] },
    });
    expect(resource.error?.issues[0]?.message).toMatch(/without a fragment/);
  });

  it('the HTTP client refuses a non-URL and a non-http scheme', async () => {
    const http = new HttpClient();
    const e1 = await failure(
      http.send({ method: 'GET', url: 'not a url', headers: {} }, DEFAULT_NETWORK_PROFILE),
    );
    expect(e1.code).toBe('invalid_input');
    const e2 = await failure(
      http.send({ method: 'GET', url: 'file:///etc/passwd', headers: {} }, DEFAULT_NETWORK_PROFILE),
    );
    expect(e2.message).toMatch(/Only http/);
  });

  it('invalid claims JSON fails before anything is sent', async () => {
    const ctx = await testContext();
    const before = oidc.received.length;
    const e = await failure(
      requestToken(
        connection({
          type: 'jwt_bearer',
          tokenEndpoint: oidc.tokenEndpoint,
          jwt: {
            signing: { keystore: 'demo', alias: 'signing' },
            claims: { issuer: 'i', subject: 's', customClaims: '{"aud": }' },
          },
        }),
        ctx,
      ),
    );
    expect(e.code).toBe('claims_json');
    expect(e.field).toBe('jwt.claims.customClaims');
    expect(oidc.received.length).toBe(before);
  });

  it('a wrong keystore password, a missing keystore file, an unknown alias, a key-less alias', async () => {
    const f = await fixtures();
    const ctx = await testContext({
      keystores: await fixtureKeystores([
        { name: 'wrong-pass', kind: 'pkcs12', path: f.path('rsa.p12'), password: 'nope' },
        { name: 'gone', kind: 'pkcs12', path: f.path('does-not-exist.p12'), password: 'x' },
      ]),
    });
    const jwtConn = (signing: Record<string, string>) =>
      connection({
        type: 'jwt_bearer',
        tokenEndpoint: oidc.tokenEndpoint,
        jwt: { signing, claims: { issuer: 'i', subject: 's' } },
      });
    const wrong = await failure(
      requestToken(jwtConn({ keystore: 'wrong-pass', alias: 'signing' }), ctx),
    );
    expect([wrong.code, wrong.message]).toEqual([
      'keystore_password',
      'Wrong password for keystore "wrong-pass": the PKCS#12 integrity check failed.',
    ]);
    const gone = await failure(requestToken(jwtConn({ keystore: 'gone', alias: 'x' }), ctx));
    expect(gone.code).toBe('not_found');
    expect(gone.message).toMatch(/file of keystore "gone" is missing/);
    expect(
      (await failure(requestToken(jwtConn({ keystore: 'demo', alias: 'nope' }), ctx))).code,
    ).toBe('alias_not_found');
    expect(
      (await failure(requestToken(jwtConn({ keystore: 'cert-only', alias: 'certificate-1' }), ctx)))
        .code,
    ).toBe('keystore_no_key');
    expect((await failure(requestToken(jwtConn({ keystore: '', alias: '' }), ctx))).field).toBe(
      'jwt.signing.keystore',
    );
    expect(
      (await failure(requestToken(jwtConn({ keystore: 'no-such', alias: 'x' }), ctx))).code,
    ).toBe('not_found');
  });

  it('an expired signing certificate is refused unless explicitly allowed', async () => {
    const ctx = await testContext();
    const conn = (allowExpiredCertificate: boolean) =>
      connection({
        type: 'client_credentials',
        tokenEndpoint: `${base}/no-token`,
        client: { id: 'c', authMethod: 'private_key_jwt' },
        jwt: { signing: { keystore: 'expired', alias: 'key', allowExpiredCertificate } },
      });
    const e = await failure(requestToken(conn(false), ctx));
    expect(e.code).toBe('certificate_expired');
    expect(e.message).toMatch(/expired on 2021-01-01/);
    // Allowed: the assertion is signed and sent (this endpoint then has no token).
    expect((await failure(requestToken(conn(true), ctx))).code).toBe('missing_token');
  });

  it('private_key_jwt without a client ID names the field', async () => {
    const ctx = await testContext();
    const e = await failure(
      requestToken(cc(`${base}/no-token`, { client: { authMethod: 'private_key_jwt' } }), ctx),
    );
    expect([e.code, e.field]).toEqual(['invalid_input', 'client.id']);
  });
});
