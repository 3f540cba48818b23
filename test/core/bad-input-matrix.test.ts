/**
 * The bad-input matrix: every case goes through the app's own entry point (the contract's
 * `dispatch`, as the UI calls it), against real servers on loopback — the sandbox's
 * oidc-provider, misbehaving HTTP endpoints, TLS servers with the wrong certificate, an
 * authenticating proxy, the loopback redirect. Each case asserts the user-facing error class and
 * message, that the message carries no stack trace, and that store.json did not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy, type ProxyServer } from 'proxy';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET } from '../../sandbox/authorization-server.js';
import { createAppService, type AppService } from '../../electron/core/app-service.js';
import type { ErrorCode } from '../../shared/result.js';
import { fixtures, type Fixtures } from '../support/fixtures.js';

let f: Fixtures;
let sandbox: Sandbox;
let service: AppService;
let broken: Server;
let base: string;
let untrusted: HttpsServer;
let wrongHost: HttpsServer;
/** Servers that demand a client certificate issued by the test CA, one per TLS version. */
const mutualTls: Partial<Record<'TLSv1.2' | 'TLSv1.3', HttpsServer>> = {};
let proxy: ProxyServer;
let proxyPort: number;
let occupied: Server;
let occupiedPort: number;
let closedPort: number;
/** What the "browser" does with the authorization URL in the loopback cases. */
let onAuthorize: (url: string) => void = () => undefined;

const listen = async <S extends Server | HttpsServer>(server: S): Promise<S> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (s: Server | HttpsServer) => (s.address() as AddressInfo).port;

const behaviours: Record<string, (res: ServerResponse) => void> = {
  '/html-500': (res) =>
    res
      .writeHead(500, { 'content-type': 'text/html' })
      .end('<html><body><h1>Internal Server Error</h1></body></html>'),
  '/html-200': (res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Login</html>'),
  '/malformed': (res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token": "abc'),
  '/no-token': (res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"token_type":"Bearer"}'),
  '/odd-type': (res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"access_token":"abc","token_type":"weird","expires_in":60}'),
  '/slow': () => undefined,
  '/huge': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"access_token":"${'x'.repeat(2 * 1024 * 1024)}"}`);
  },
  '/error-200': (res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"error":"invalid_request","error_description":"Missing parameter"}'),
};

beforeAll(async () => {
  f = await fixtures();
  const dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-matrix-'));
  sandbox = await startSandbox({ dataDir, port: 0 });
  service = createAppService({
    workspace: sandbox.workspace,
    env: {},
    mode: 'browser',
    version: 'test',
    emit: () => undefined,
    openUrl: (url) => onAuthorize(url),
  });
  broken = await listen(
    createServer((req, res) => {
      req.resume();
      (behaviours[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    }),
  );
  base = `http://127.0.0.1:${portOf(broken)}`;
  const tls = (cert: string) =>
    listen(
      createHttpsServer({ key: f.text('server.key'), cert }, (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      ),
    );
  untrusted = await tls(f.text('server.crt'));
  wrongHost = await tls(f.text('wronghost.crt'));
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    mutualTls[version] = await listen(
      createHttpsServer(
        {
          key: f.text('server.key'),
          cert: f.text('server.crt'),
          ca: f.text('ca.crt'),
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: version,
          maxVersion: version,
        },
        (req, res) => {
          req.resume();
          const cn = (req.socket as TLSSocket).getPeerCertificate().subject.CN;
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ access_token: `mtls-${cn}`, token_type: 'Bearer' }));
        },
      ),
    );
  }
  proxy = createProxy(createServer());
  proxy.authenticate = () => false;
  proxyPort = portOf(await listen(proxy as unknown as Server));
  occupied = await listen(createServer());
  occupiedPort = portOf(occupied);
  const closing = await listen(createServer());
  closedPort = portOf(closing);
  await new Promise((resolve) => closing.close(resolve));

  // Resources the cases refer to, stored before the snapshot each case compares with.
  const ok = async (channel: string, request: unknown) => {
    const r = await service.dispatch(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  };
  const b64 = (name: string) => readFileSync(f.path(name)).toString('base64');
  await ok('keystores:import', {
    name: 'jks-keypass',
    fileName: 'keystore-keypass.jks',
    content: b64('keystore-keypass.jks'),
    password: 'storepass',
  });
  await ok('keystores:import', {
    name: 'ec',
    fileName: 'ec.p12',
    content: b64('ec.p12'),
    password: 'changeit',
  });
  await ok('keystores:import', {
    name: 'expired',
    fileName: 'expired.pem',
    content: b64('expired.pem'),
  });
  await ok('keystores:import', {
    name: 'cert-only',
    fileName: 'cert-only.p12',
    content: b64('cert-only.p12'),
    password: 'changeit',
  });
  await ok('keystores:import', {
    name: 'mtls',
    fileName: 'client.p12',
    content: b64('client.p12'),
    password: 'changeit',
  });
  await ok('keystores:import', {
    name: 'other-ca-client',
    fileName: 'other-client.p12',
    content: b64('other-client.p12'),
    password: 'changeit',
  });
  await ok('keystores:import', {
    name: 'test-ca',
    purpose: 'truststore',
    fileName: 'ca.crt',
    content: b64('ca.crt'),
  });
  await ok('proxies:save', {
    proxy: {
      name: 'refusing-proxy',
      host: '127.0.0.1',
      port: proxyPort,
      username: 'u',
      password: 'wrong',
    },
  });
});

afterAll(async () => {
  await service.close();
  await sandbox.close();
  for (const s of [broken, untrusted, wrongHost, occupied, ...Object.values(mutualTls)]) {
    s.closeAllConnections();
    s.close();
  }
  await new Promise((resolve) => proxy.close(resolve));
});

let n = 0;
const conn = (input: Record<string, unknown>) => ({
  id: `matrix-${++n}`,
  name: `matrix ${n}`,
  type: 'client_credentials',
  client: { id: 'c', secret: 's' },
  ...input,
});
const cc = (tokenEndpoint: string, input: Record<string, unknown> = {}) =>
  conn({ tokenEndpoint, ...input });
const token = (connection: Record<string, unknown>) =>
  ['tokens:generate', { requestId: `r${n}`, connection, useCache: false }] as const;
const save = (connection: Record<string, unknown>) => ['connections:save', { connection }] as const;
const signing = (keystore: string, alias = '', extra: Record<string, unknown> = {}) => ({
  client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
  jwt: { signing: { keystore, alias }, ...extra },
});
/** The "browser" answers the authorization request with these callbacks, one after the other. */
const loopback = (port: number, respond: (url: URL) => string | string[]) => {
  onAuthorize = (url) => {
    const auth = new URL(url);
    const redirect = auth.searchParams.get('redirect_uri') as string;
    void (async () => {
      for (const query of [respond(auth)].flat())
        await fetch(`${redirect}?${query}`).catch(() => undefined);
    })();
  };
  return conn({
    type: 'authorization_code',
    tokenEndpoint: sandbox.server.tokenEndpoint,
    authorizationEndpoint: sandbox.server.authorizationEndpoint,
    client: { id: 'native-app' },
    redirect: { port },
  });
};

interface Case {
  name: string;
  request: () => readonly [string, unknown];
  code: ErrorCode | 'warning';
  message: RegExp;
  field?: string;
  /** What the error's detail.cause (the raw failure kept for the details) must match. */
  cause?: RegExp;
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const mutualTlsToken = (
  version: keyof typeof mutualTls,
  keystoreAlias = '',
  params: Record<string, unknown> = {},
) =>
  token(
    cc(`https://127.0.0.1:${portOf(mutualTls[version] as HttpsServer)}/token`, {
      ssl: { enabled: true, truststoreAlias: 'test-ca', keystoreAlias },
      params,
    }),
  );
const xml = (body: string) => ['transfer:import', { content: body }] as const;

const CASES: Case[] = [
  // URLs and fields
  {
    name: 'empty token endpoint',
    request: () => save(cc('')),
    code: 'invalid_input',
    message: /tokenEndpoint: Enter the Token Endpoint, or the Issuer to discover it from/,
  },
  {
    name: 'token endpoint that is not a URL',
    request: () => save(cc('token endpoint')),
    code: 'invalid_input',
    message: /absolute http:\/\/ or https:\/\/ URL/,
  },
  {
    name: 'ftp:// token endpoint',
    request: () => save(cc('ftp://example.com/token')),
    code: 'invalid_input',
    message: /absolute http:\/\/ or https:\/\/ URL/,
  },
  {
    name: 'authorization code without authorization endpoint',
    request: () =>
      save(conn({ type: 'authorization_code', tokenEndpoint: 'https://as.example/token' })),
    code: 'invalid_input',
    message: /authorizationEndpoint/,
  },
  {
    name: 'resource with a fragment',
    request: () =>
      save(cc('https://as.example/token', { params: { resource: ['https://api.example/#x'] } })),
    code: 'invalid_input',
    message: /without a fragment/,
  },
  {
    name: 'redirect port out of range',
    request: () =>
      save(
        conn({
          type: 'authorization_code',
          tokenEndpoint: 'https://as.example/t',
          authorizationEndpoint: 'https://as.example/a',
          redirect: { port: 70000 },
        }),
      ),
    code: 'invalid_input',
    message: /0 to 65535/,
  },
  {
    name: 'token path that is not a path',
    request: () => save(cc('https://as.example/token', { tokenPath: 'access_token' })),
    code: 'invalid_input',
    message: /\$\.access_token/,
  },
  {
    name: 'missing connection name',
    request: () => save({ ...cc('https://as.example/token'), name: '' }),
    code: 'invalid_input',
    message: /Name is required/,
  },
  {
    name: 'duplicate connection name',
    request: () => save({ ...cc('https://as.example/token'), name: 'sandbox-password' }),
    code: 'invalid_input',
    message: /already exists/,
  },
  {
    name: 'authentication-server JWT in Authorization beside OAuth',
    request: () =>
      save(
        cc('https://as.example/token', {
          authToken: {
            enabled: true,
            tokenEndpoint: 'https://auth.example/jwt',
            header: 'Authorization',
          },
        }),
      ),
    code: 'invalid_input',
    message: /other than Authorization/,
  },
  {
    name: 'authentication-server credentials in the body of a GET',
    request: () =>
      save(
        cc('https://as.example/token', {
          authToken: {
            enabled: true,
            tokenEndpoint: 'https://auth.example/jwt',
            credentialLocation: 'body',
            requestMethod: 'GET',
          },
        }),
      ),
    code: 'invalid_input',
    message: /GET request carries no body/,
  },
  {
    name: 'generated key without a JWT builder ID',
    request: () => save(cc('https://as.example/token', { jwt: { signing: { jwkEnabled: true } } })),
    code: 'invalid_input',
    message: /JWT builder ID/,
  },
  {
    name: 'Try API with a malformed URL',
    request: () => [
      'api:call',
      { requestId: 'a', connection: cc(sandbox.server.tokenEndpoint), url: 'not a url' },
    ],
    code: 'invalid_input',
    message: /Not a valid URL/,
  },
  // JSON
  {
    name: 'claims JSON with a syntax error',
    request: () =>
      token(
        cc(sandbox.server.tokenEndpoint, signing('ec', '', { claims: { customClaims: '{"a": ' } })),
      ),
    code: 'claims_json',
    message: /not valid JSON/,
  },
  {
    name: 'claims JSON that is an array',
    request: () =>
      token(
        cc(sandbox.server.tokenEndpoint, {
          client: { id: 'c', secret: 's', authMethod: 'client_secret_jwt' },
          jwt: { claims: { customClaims: '[1]' } },
        }),
      ),
    code: 'claims_json',
    message: /must be a JSON object/,
  },
  {
    name: 'import file that is not JSON',
    request: () => ['transfer:import', { content: '{ nope' }],
    code: 'invalid_input',
    message: /Not valid JSON/,
  },
  {
    name: 'import file of another format',
    request: () => ['transfer:import', { content: '{"format":"other"}' }],
    code: 'invalid_input',
    message: /not a Tokensmith connections file/,
  },
  {
    name: 'import file with a bad URL in it',
    request: () => [
      'transfer:import',
      {
        content: JSON.stringify({
          format: 'tokensmith.connections',
          version: 1,
          connections: [cc('nope')],
        }),
      },
    ],
    code: 'invalid_input',
    message: /\/connections\/0\/tokenEndpoint/,
  },
  {
    name: 'import file with a wrong passphrase',
    request: () => [
      'transfer:import',
      {
        content: JSON.stringify({
          format: 'tokensmith.connections',
          version: 1,
          connections: [],
          secrets: {
            kdf: 'scrypt',
            N: 1024,
            r: 8,
            p: 1,
            salt: 'AA',
            iv: 'AAAAAAAAAAAAAAAA',
            tag: 'AAAAAAAAAAAAAAAAAAAAAA',
            data: 'AA',
          },
        }),
        passphrase: 'wrong-passphrase',
      },
    ],
    code: 'invalid_input',
    message: /passphrase/i,
  },
  {
    name: 'server.xml that is not well-formed',
    request: () => xml('<server><zosconnect_oAuthConfig id="a"></server>'),
    code: 'invalid_input',
    message: /not well-formed XML/,
  },
  {
    name: 'XML that is not a server.xml',
    request: () => xml('<beans/>'),
    code: 'invalid_input',
    message: /no <server> root element/,
  },
  {
    name: 'server.xml without an OAuth configuration',
    request: () => xml('<server><featureManager/></server>'),
    code: 'invalid_input',
    message: /no zosconnect_oAuthConfig/,
  },
  {
    name: 'a string that is not a JWT in the inspector',
    request: () => ['jwt:decode', { token: 'not-a-jwt' }],
    code: 'invalid_input',
    message: /JWT/,
  },
  // Keystores and certificates
  {
    name: 'PKCS#12 with the wrong password',
    request: () => [
      'keystores:import',
      {
        name: 'new',
        fileName: 'rsa.p12',
        content: b64(readFileSync(f.path('rsa.p12'))),
        password: 'wrong',
      },
    ],
    code: 'keystore_password',
    message: /password/i,
  },
  {
    name: 'PKCS#12 that is corrupt',
    request: () => [
      'keystores:import',
      {
        name: 'new',
        fileName: 'x.p12',
        content: b64('this is not a keystore at all'),
        password: 'x',
      },
    ],
    code: 'keystore_corrupt',
    message: /./,
  },
  {
    name: 'JKS with the wrong store password',
    request: () => [
      'keystores:import',
      {
        name: 'new',
        fileName: 'k.jks',
        content: b64(readFileSync(f.path('keystore-keypass.jks'))),
        password: 'wrong',
      },
    ],
    code: 'keystore_password',
    message: /password/i,
  },
  {
    name: 'JKS whose key password differs from the store password',
    request: () => token(cc(sandbox.server.tokenEndpoint, signing('jks-keypass', 'jwtsign'))),
    code: 'keystore_password',
    message: /jwtsign/,
  },
  {
    name: 'PEM certificate without its key, used to sign',
    request: () => token(cc(sandbox.server.tokenEndpoint, signing('cert-only'))),
    code: 'keystore_no_key',
    message: /no private key|key/i,
  },
  {
    name: 'a keystore name that does not exist',
    request: () => token(cc(sandbox.server.tokenEndpoint, signing('nowhere'))),
    code: 'not_found',
    message: /no keystore or truststore named "nowhere"/,
  },
  {
    name: 'an alias that is not in the keystore',
    request: () => token(cc(sandbox.server.tokenEndpoint, signing('ec', 'nobody'))),
    code: 'alias_not_found',
    message: /nobody/,
  },
  {
    name: 'an expired signing certificate',
    request: () => token(cc(sandbox.server.tokenEndpoint, signing('expired'))),
    code: 'certificate_expired',
    message: /expired on/,
  },
  {
    name: 'key type not matching the algorithm (EC key, RS256)',
    request: () =>
      token(cc(sandbox.server.tokenEndpoint, signing('ec', '', { header: { alg: 'RS256' } }))),
    code: 'key_algorithm',
    message: /RS256/,
  },
  {
    name: 'a certificate file that is not a certificate',
    request: () => ['certificates:inspect', { fileName: 'x.cer', content: b64('garbage') }],
    code: 'keystore_corrupt',
    message: /./,
  },
  // Server behaviour
  {
    name: 'refused connection',
    request: () => token(cc(`http://127.0.0.1:${closedPort}/token`)),
    code: 'connection_refused',
    message: /refused|not running/i,
  },
  {
    name: 'DNS failure',
    request: () => token(cc('http://tokensmith-nonexistent.invalid/token')),
    code: 'dns',
    message: /tokensmith-nonexistent\.invalid/,
  },
  {
    name: 'untrusted TLS certificate',
    request: () => token(cc(`https://127.0.0.1:${portOf(untrusted)}/token`)),
    code: 'tls_untrusted',
    message: /trust/i,
  },
  {
    name: 'TLS certificate for another host name',
    request: () =>
      token(
        cc(`https://127.0.0.1:${portOf(wrongHost)}/token`, {
          ssl: { enabled: true, truststoreAlias: 'test-ca' },
        }),
      ),
    code: 'tls_hostname',
    message: /not valid for that host name/,
  },
  ...(['TLSv1.2', 'TLSv1.3'] as const).flatMap((version): Case[] => [
    {
      name: `${version} server that wants a client certificate, none sent`,
      request: () => mutualTlsToken(version),
      code: 'tls',
      message:
        /^The server 127\.0\.0\.1:\d+ closed the TLS connection — it may require a client certificate: set SSL Connection → Keystore Alias and Key Alias\.$/,
      cause: /\((ERR_SSL_\w+|ECONNRESET|UND_ERR_SOCKET)\)$/,
    },
    {
      name: `${version} server that wants a client certificate, one from another CA sent`,
      request: () => mutualTlsToken(version, 'other-ca-client'),
      code: 'tls',
      message:
        /^The server 127\.0\.0\.1:\d+ closed the TLS connection — it may not accept the client certificate CN=tokensmith-other-client, issued by CN=Tokensmith Other CA, O=Elsewhere\./,
      cause: /\((ERR_SSL_\w+|ECONNRESET|UND_ERR_SOCKET)\)$/,
    },
  ]),
  {
    // The server hangs up on a request it has not read: the client sees a reset, not a close.
    name: 'TLSv1.3 server that wants a client certificate, one from another CA sent, large request',
    request: () =>
      mutualTlsToken('TLSv1.3', 'other-ca-client', {
        tokenParams: [{ name: 'padding', value: 'x'.repeat(512 * 1024) }],
      }),
    code: 'tls',
    message: /closed the TLS connection — it may not accept the client certificate CN=/,
    cause: /\((ECONNRESET|EPIPE)\)$/,
  },
  {
    name: 'proxy that answers 407',
    request: () => token(cc(sandbox.server.tokenEndpoint, { proxyAlias: 'refusing-proxy' })),
    code: 'proxy_auth',
    message: /407|proxy/i,
  },
  {
    name: '500 with an HTML page',
    request: () => token(cc(`${base}/html-500`)),
    code: 'http_status',
    message: /HTTP 500 \(text\/html\)/,
  },
  {
    name: '200 with an HTML page',
    request: () => token(cc(`${base}/html-200`)),
    code: 'invalid_response',
    message: /not with a JSON object/,
  },
  {
    name: 'a server slower than the read timeout',
    request: () => token(cc(`${base}/slow`, { timeouts: { readSeconds: 0.5 } })),
    code: 'timeout',
    message: /time/i,
  },
  {
    name: 'a huge response',
    request: () => token(cc(`${base}/huge`)),
    code: 'response_too_large',
    message: /larger than 1024 KB/,
  },
  {
    name: 'malformed JSON',
    request: () => token(cc(`${base}/malformed`)),
    code: 'invalid_response',
    message: /not with a JSON object/,
  },
  {
    name: 'missing access_token',
    request: () => token(cc(`${base}/no-token`)),
    code: 'missing_token',
    message: /no access_token/,
  },
  {
    name: 'unexpected token_type (accepted, with a warning)',
    request: () => token(cc(`${base}/odd-type`)),
    code: 'warning',
    message: /Unexpected token_type "weird"/,
  },
  {
    name: 'an OAuth error sent with 200',
    request: () => token(cc(`${base}/error-200`)),
    code: 'oauth_error',
    message: /invalid_request/,
  },
  {
    name: 'wrong client secret',
    request: () =>
      token(
        cc(sandbox.server.tokenEndpoint, {
          client: { id: 'cc-basic', secret: `${SANDBOX_SECRET}-wrong` },
        }),
      ),
    code: 'oauth_error',
    message: /invalid_client/,
  },
  // The loopback redirect
  {
    // Ignored, not fatal: the sign-in goes on and ends with the provider's real answer.
    name: 'redirect with a wrong state (ignored), then the real answer',
    request: () =>
      token(
        loopback(0, (u) => [
          'code=abc&state=forged-state',
          `error=access_denied&error_description=After%20the%20forgery&state=${u.searchParams.get('state')}`,
        ]),
      ),
    code: 'authorization_denied',
    message: /After the forgery/,
  },
  {
    name: 'redirect without a state (ignored), then the real answer',
    request: () =>
      token(
        loopback(0, (u) => [
          'code=abc',
          `error=access_denied&error_description=After%20no%20state&state=${u.searchParams.get('state')}`,
        ]),
      ),
    code: 'authorization_denied',
    message: /After no state/,
  },
  {
    name: 'redirect with error=access_denied',
    request: () =>
      token(
        loopback(
          0,
          (u) =>
            `error=access_denied&error_description=User%20said%20no&state=${u.searchParams.get('state')}`,
        ),
      ),
    code: 'authorization_denied',
    message: /access_denied|said no/,
  },
  {
    name: 'redirect port in use',
    request: () => token(loopback(occupiedPort, () => '')),
    code: 'port_in_use',
    message: /Port \d+ on 127\.0\.0\.1 is in use/,
  },
];

describe('bad-input matrix', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const storePath = join(sandbox.workspace.dataDir, 'store.json');
    const before = await readFile(storePath, 'utf8');
    const beforeDoc = await sandbox.workspace.store.read();
    const [channel, request] = c.request();
    const result = await service.dispatch(channel, request);
    if (c.code === 'warning') {
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const warnings = (result as { value: { warnings: string[] } }).value.warnings;
      expect(warnings.join('\n')).toMatch(c.message);
    } else {
      expect(result.ok, 'expected a failure').toBe(false);
      const error = (
        result as { error: { code: string; message: string; detail?: { cause?: string } } }
      ).error;
      expect(error.code, error.message).toBe(c.code);
      expect(error.message).toMatch(c.message);
      if (c.cause) expect(error.detail?.cause).toMatch(c.cause);
      // A message for a person: no stack trace, no source locations.
      expect(error.message).not.toMatch(/\n\s+at |\.ts:\d+|node:internal/);
    }
    if (c.code === 'warning') {
      // A token was obtained: the connection's last token set is kept (re-sealing the file);
      // nothing else changes.
      const { lastTokens: _after, ...after } = await sandbox.workspace.store.read();
      const { lastTokens: _before, ...unchanged } = beforeDoc;
      expect(after, 'store changed').toEqual(unchanged);
    } else expect(await readFile(storePath, 'utf8'), 'store.json changed').toBe(before);
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    '%s server that wants a client certificate accepts the test CA’s (the control)',
    async (version) => {
      const result = await service.dispatch(...mutualTlsToken(version, 'mtls'));
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect((result as { value: { token: string } }).value.token).toBe(
        'mtls-tokensmith-mtls-client',
      );
    },
  );
});
