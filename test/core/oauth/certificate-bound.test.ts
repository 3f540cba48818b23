/**
 * Certificate-bound access tokens (RFC 8705 §3) against oidc-provider behind TLS with
 * `features.mTLS.certificateBoundAccessTokens`: the token request presents the SSL Connection's
 * client certificate, the result checks `cnf.x5t#S256` against it, and Try API sends the same
 * certificate — the sandbox's resource server refuses the token over a connection with another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { decodeJwt } from 'jose';
import {
  MTLS_BOUND_CLIENT,
  SANDBOX_SECRET,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures, type Fixtures } from '../../support/fixtures.js';
import { connection, testContext } from '../../support/engine.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { callApi } from '../../../electron/core/api-call.js';
import { x5tS256 } from '../../../electron/core/keys/certificate.js';
import type { Connection } from '../../../shared/connection.js';

let f: Fixtures;
let server: AuthorizationServer;
let thumbprint: string;

beforeAll(async () => {
  f = await fixtures();
  server = await startAuthorizationServer({
    signingKey: createPrivateKey(f.text('rsa.key')),
    tls: {
      key: f.text('server.key'),
      cert: f.text('server.crt'),
      ca: f.text('ca.crt'),
      requestCert: true,
    },
  });
  thumbprint = x5tS256(new X509Certificate(f.read('client.crt')));
});
afterAll(() => server.close());

const bound = (extra: Record<string, unknown> = {}): Connection =>
  connection({
    type: 'client_credentials',
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    client: { id: MTLS_BOUND_CLIENT, secret: SANDBOX_SECRET },
    params: { scope: 'api:read' },
    ssl: { enabled: true, truststoreAlias: 'test-ca', keystoreAlias: 'mtls', keyAlias: 'mtls' },
    ...extra,
  });

/** Another client certificate from the same CA: trusted by the server, but not the bound one. */
function otherClientCertificate(): { key: string; cert: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: f.dir, stdio: 'pipe' });
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'client2.key',
    '-out',
    'client2.csr',
    '-subj',
    '/CN=another-client',
  );
  run(
    'x509',
    '-req',
    '-in',
    'client2.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client2.crt',
    '-days',
    '2',
  );
  return { key: f.text('client2.key'), cert: f.text('client2.crt') };
}

describe('certificate-bound tokens (RFC 8705)', () => {
  it('checks cnf.x5t#S256 against the client certificate (by introspection of the opaque token)', async () => {
    const ctx = await testContext();
    const result = await requestToken(bound(), ctx);
    await ctx.http.close();
    expect(server.tokenRequests().at(-1)?.clientCertificateSubject).toBe('tokensmith-mtls-client');
    expect(result.bindings).toEqual([
      {
        kind: 'mtls',
        expected: thumbprint,
        found: thumbprint,
        via: 'introspection',
        ok: true,
        message: 'cnf.x5t#S256 matches the client certificate (by introspection).',
      },
    ]);
  });

  it('reads it from a JWT access token itself', async () => {
    const ctx = await testContext();
    const result = await requestToken(
      bound({ params: { scope: 'api:read', resource: ['https://api.sandbox.test'] } }),
      ctx,
    );
    await ctx.http.close();
    expect(decodeJwt(result.token).cnf).toEqual({ 'x5t#S256': thumbprint });
    expect(result.bindings?.[0]).toMatchObject({ via: 'jwt', ok: true });
  });

  it('a client whose tokens the server does not bind: said, not warned', async () => {
    const ctx = await testContext();
    const result = await requestToken(
      bound({ client: { id: 'cc-basic', secret: SANDBOX_SECRET } }),
      ctx,
    );
    await ctx.http.close();
    expect(result.bindings?.[0]).toMatchObject({ kind: 'mtls', via: 'introspection' });
    expect(result.bindings?.[0]?.ok).toBeUndefined();
    expect(result.bindings?.[0]?.message).toBe(
      'The token has no cnf.x5t#S256: the server did not bind it to the client certificate (it may not issue certificate-bound tokens).',
    );
    expect(result.warnings).toEqual([]);
  });

  it('Try API sends the same certificate; the API refuses the token with another certificate', async () => {
    const ctx = await testContext();
    const res = await callApi(bound(), { method: 'GET', url: server.apiUrl }, ctx);
    await ctx.http.close();
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      client_id: MTLS_BOUND_CLIENT,
      cnf: { 'x5t#S256': thumbprint },
    });
    expect(server.received.at(-1)?.clientCertificateSubject).toBe('tokensmith-mtls-client');

    const token = String(server.received.at(-1)?.headers.authorization).replace(/^Bearer /, '');
    const other = otherClientCertificate();
    const refused = await new Promise<{ status: number; challenge: string }>((resolve, reject) => {
      httpsRequest(
        server.apiUrl,
        { ...other, ca: f.text('ca.crt'), headers: { authorization: `Bearer ${token}` } },
        (r) => {
          r.resume();
          resolve({ status: r.statusCode ?? 0, challenge: String(r.headers['www-authenticate']) });
        },
      )
        .on('error', reject)
        .end();
    });
    expect(refused.status).toBe(401);
    expect(refused.challenge).toContain(
      'bound to a client certificate (RFC 8705) that this request did not present',
    );
  });
});
