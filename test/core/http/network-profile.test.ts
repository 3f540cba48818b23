/**
 * One network profile per connection, applied to every leg: a real oidc-provider behind TLS
 * with a private CA that requires a client certificate, reached through a real CONNECT proxy
 * (the `proxy` package) that requires credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createPrivateKey } from 'node:crypto';
import { createProxy, type ProxyServer } from 'proxy';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures, type Fixtures } from '../../support/fixtures.js';
import { connection, fixtureKeystores, testContext, failure } from '../../support/engine.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { refreshToken } from '../../../electron/core/grants/refresh.js';
import { discover } from '../../../electron/core/oauth/discovery.js';
import { networkProfileFor } from '../../../electron/core/resources.js';
import type { ProxyAliasInput } from '../../../shared/resources.js';
import type { Connection } from '../../../shared/connection.js';

let f: Fixtures;
let server: AuthorizationServer;
let proxy: ProxyServer;
let proxyPort: number;
const connects: Array<{ target: string; auth: string | undefined }> = [];

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
    closeConnections: true,
  });
  proxy = createProxy(createHttpServer());
  proxy.authenticate = (req: IncomingMessage) =>
    req.headers['proxy-authorization'] ===
    `Basic ${Buffer.from('proxy-user:p@ss word').toString('base64')}`;
  proxy.prependListener('connect', (req: IncomingMessage) => {
    connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => proxy.close(resolve));
});

const proxies = (): ProxyAliasInput[] => [
  {
    name: 'corp',
    host: '127.0.0.1',
    port: proxyPort,
    username: 'proxy-user',
    password: 'p@ss word',
  },
  {
    name: 'corp-wrong',
    host: '127.0.0.1',
    port: proxyPort,
    username: 'proxy-user',
    password: 'nope',
  },
  {
    name: 'corp-bypass',
    host: '127.0.0.1',
    port: proxyPort,
    username: 'proxy-user',
    password: 'p@ss word',
    bypass: ['127.0.0.1'],
  },
];

const tlsConnection = (extra: Record<string, unknown> = {}): Connection =>
  connection({
    type: 'password',
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    username: 'alice',
    password: 'wonderland',
    client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
    params: { scope: 'openid offline_access' },
    ssl: { enabled: true, truststoreAlias: 'test-ca', keystoreAlias: 'mtls', keyAlias: 'mtls' },
    proxyAlias: 'corp',
    ...extra,
  });

describe('proxy, custom CA and client certificate on every leg', () => {
  it('token and refresh both go through the proxy with its credentials and present the client certificate', async () => {
    const ctx = await testContext({ proxies: proxies() });
    const before = connects.length;
    const seenBefore = server.tokenRequests().length;
    const result = await requestToken(tlsConnection(), ctx);
    await refreshToken(tlsConnection(), result.refreshToken!, ctx);
    await ctx.http.close();

    const tokenLegs = server.tokenRequests().slice(seenBefore);
    expect(tokenLegs.map((r) => r.form.get('grant_type'))).toEqual(['password', 'refresh_token']);
    expect(tokenLegs.map((r) => r.clientCertificateSubject)).toEqual([
      'tokensmith-mtls-client',
      'tokensmith-mtls-client',
    ]);
    // The server closes every connection, so each leg needed its own tunnel.
    const tunnels = connects.slice(before);
    expect(tunnels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tunnels.map((c) => c.target))).toEqual(new Set([`127.0.0.1:${server.port}`]));
    expect(
      tunnels.every(
        (c) => c.auth === `Basic ${Buffer.from('proxy-user:p@ss word').toString('base64')}`,
      ),
    ).toBe(true);
  });

  it('discovery uses the same profile', async () => {
    const ctx = await testContext({ proxies: proxies() });
    const before = connects.length;
    const conn = tlsConnection();
    const { metadata } = await discover(
      conn.issuer,
      ctx.http,
      await networkProfileFor(conn, ctx.resources),
    );
    await ctx.http.close();
    expect(metadata.token_endpoint).toBe(server.tokenEndpoint);
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(connects.length).toBeGreaterThan(before);
    expect(server.received.at(-1)?.clientCertificateSubject).toBe('tokensmith-mtls-client');
  });

  it('hosts on the bypass list go direct', async () => {
    const ctx = await testContext({ proxies: proxies() });
    const before = connects.length;
    const result = await requestToken(tlsConnection({ proxyAlias: 'corp-bypass' }), ctx);
    await ctx.http.close();
    expect(result.accessToken).toBeTruthy();
    expect(connects.length).toBe(before);
  });

  it('a proxy that refuses the credentials is proxy_auth (407)', async () => {
    const ctx = await testContext({ proxies: proxies() });
    const e = await failure(requestToken(tlsConnection({ proxyAlias: 'corp-wrong' }), ctx));
    await ctx.http.close();
    expect(e.code).toBe('proxy_auth');
    expect(e.message).toMatch(/407 Proxy Authentication Required/);
  });

  it('a proxy that is not running is connection_refused', async () => {
    const ctx = await testContext({ proxies: [{ name: 'down', host: '127.0.0.1', port: 9 }] });
    const e = await failure(requestToken(tlsConnection({ proxyAlias: 'down' }), ctx));
    expect(e.code).toBe('connection_refused');
    expect(e.message).toContain('proxy 127.0.0.1:9');
  });

  it('without the truststore the server certificate is untrusted', async () => {
    const ctx = await testContext({ proxies: proxies() });
    const e = await failure(
      requestToken(
        tlsConnection({ ssl: { enabled: true, keystoreAlias: 'mtls', keyAlias: 'mtls' } }),
        ctx,
      ),
    );
    expect(e.code).toBe('tls_untrusted');
    expect(e.message).toMatch(/not trusted .*Truststore Alias/);
  });

  it.each(['', 'corp'])(
    'without a client certificate the connection is refused, with a hint (proxy "%s")',
    async (proxyAlias) => {
      const ctx = await testContext({ proxies: proxies() });
      const e = await failure(
        requestToken(
          tlsConnection({ proxyAlias, ssl: { enabled: true, truststoreAlias: 'test-ca' } }),
          ctx,
        ),
      );
      expect(e.code, e.message).toBe('tls');
      expect(e.message).toMatch(
        /closed the TLS connection — it may require a client certificate: set SSL Connection → Keystore Alias and Key Alias\.$/,
      );
    },
  );

  it('an expired client certificate is refused before connecting', async () => {
    const ctx = await testContext({ keystores: await fixtureKeystores(), proxies: proxies() });
    const e = await failure(
      requestToken(
        tlsConnection({
          ssl: { enabled: true, truststoreAlias: 'test-ca', keystoreAlias: 'expired' },
        }),
        ctx,
      ),
    );
    expect(e.code).toBe('certificate_expired');
  });
});

describe('TLS failures against plain TLS servers', () => {
  async function tlsServer(cert: string): Promise<{ url: string; server: HttpsServer }> {
    const s = createHttpsServer({ key: f.text('server.key'), cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { url: `https://127.0.0.1:${(s.address() as AddressInfo).port}/token`, server: s };
  }

  it.each([
    ['wronghost.crt', 'tls_hostname', /not valid for that host name/],
    ['server-expired.crt', 'tls_expired', /has expired/],
  ])('%s → %s', async (certFile, code, message) => {
    const { url, server: s } = await tlsServer(f.text(certFile));
    const ctx = await testContext();
    const e = await failure(
      requestToken(
        connection({
          type: 'client_credentials',
          tokenEndpoint: url,
          client: { id: 'x', secret: 'y' },
          ssl: { enabled: true, truststoreAlias: 'test-ca' },
        }),
        ctx,
      ),
    );
    await ctx.http.close();
    s.close();
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});
