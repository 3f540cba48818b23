/**
 * `tokensmith token|call --trace FILE` and the engine's trace export (what the app's Export
 * trace writes) against the sandbox: each HAR validates against the HAR 1.2 JSON schema
 * (har-schema, the one har-validator uses, with ajv), records every leg with its timings (and
 * the TLS peer's certificate over TLS), and holds no secret of the store nor any credential or
 * token that went over the wire — searched in plain, percent- and form-encoded, base64,
 * base64url and inside HTTP Basic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET, SANDBOX_USER } from '../../sandbox/constants.js';
import { sandboxTls, TLS_CLIENT_PASSPHRASE } from '../../sandbox/sandbox-tls.js';
import {
  createAppService,
  createSession,
  DEFAULT_NETWORK_PROFILE,
  getToken,
  Trace,
  traceHar,
} from '../../electron/core/index.js';
import { decodeForm } from '../../shared/masking.js';
import { runCli } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';

const require = createRequire(import.meta.url);
const KEYSTORE_PASSPHRASE = 'sandbox-demo-passphrase';

let sandbox: Sandbox;
let dataDir: string;
let validate: ValidateFunction;

const cli = (args: string[]) => runCli(['--data-dir', dataDir, ...args]);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-trace-'));
  sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  addFormats.default(ajv);
  const schemas = require('har-schema') as Record<string, { $id: string }>;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  validate = ajv.getSchema('har.json#') as ValidateFunction;
}, 30_000);
afterAll(() => sandbox.close());

/** How a value may travel: each form must be absent from the HAR. */
function encodings(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

function expectNoSecret(text: string, secrets: Record<string, string>): void {
  // No token, assertion or proof of any kind: not one whole JWT is left.
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  for (const [what, secret] of Object.entries(secrets)) {
    expect(secret.length, what).toBeGreaterThan(3);
    for (const form of encodings(secret))
      expect(text.includes(form), `${what} (${form.slice(0, 12)}…) is in the HAR`).toBe(false);
  }
}

const basic = (id: string, secret: string) =>
  Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

interface Har {
  log: {
    creator: { name: string };
    entries: Array<{
      request: {
        method: string;
        url: string;
        headers: Array<{ name: string; value: string }>;
        postData?: { params?: Array<{ name: string; value: string }> };
      };
      response: { status: number; statusText: string; content: { text?: string } };
      time: number;
      timings: { connect: number; wait: number; receive: number };
      _tlsPeerCertificate?: { fingerprint256?: string; pem?: string };
    }>;
  };
}

function readHar(path: string): { har: Har; text: string } {
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const text = readFileSync(path, 'utf8');
  const har = JSON.parse(text) as Har;
  expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
  return { har, text };
}

const STORE = {
  'client secret': SANDBOX_SECRET,
  password: SANDBOX_USER.password,
  'keystore password': KEYSTORE_PASSPHRASE,
  'TLS keystore password': TLS_CLIENT_PASSPHRASE,
  'Basic cc-basic': basic('cc-basic', SANDBOX_SECRET),
  'Basic ropc-basic': basic('ropc-basic', SANDBOX_SECRET),
};

describe('tokensmith token --trace', () => {
  it('client_secret_basic: the token leg, its Authorization masked, no secret nor token', async () => {
    const path = join(dataDir, 'cc.har');
    const run = await cli(['token', 'sandbox-client-credentials', '--no-cache', '--trace', path]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Trace: 1 HTTP leg written to ${path}`);
    const { har, text } = readHar(path);
    const [entry] = har.log.entries;
    expect(entry?.request.method).toBe('POST');
    expect(entry?.request.url).toBe(sandbox.server.tokenEndpoint);
    expect(entry?.response).toMatchObject({ status: 200, statusText: 'OK' });
    expect(entry?.request.headers).toContainEqual({ name: 'authorization', value: 'Basic ••••••' });
    expect(entry?.request.headers.map((h) => h.name.toLowerCase())).toContain('host');
    expect(entry?.timings.wait).toBeGreaterThan(0);
    // A new connection: its connect time is its own timing, and the entry's time is the sum.
    expect(entry?.timings.connect).toBeGreaterThan(0);
    const { connect, wait, receive } = entry!.timings;
    expect(entry?.time).toBeCloseTo(connect + wait + receive, 2);
    expectNoSecret(text, { ...STORE, 'access token': run.stdout });

    // A file that cannot be written is refused before anything is sent.
    const missing = join(dataDir, 'no-such-folder', 'x.har');
    const refused = await cli(['token', 'sandbox-client-credentials', '--trace', missing]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `tokensmith: --trace ${missing}: the folder ${join(dataDir, 'no-such-folder')} does not exist or cannot be written to.`,
    );
  });

  it('password grant: the password, access and refresh tokens are redacted', async () => {
    const path = join(dataDir, 'password.har');
    const run = await cli(['token', 'sandbox-password', '--no-cache', '--json', '--trace', path]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { accessToken: string; refreshToken: string };
    expect(result.refreshToken).toBeTruthy();
    const { har, text } = readHar(path);
    const params = har.log.entries[0]?.request.postData?.params ?? [];
    expect(params).toContainEqual({ name: 'password', value: '••••••' });
    expect(params).toContainEqual({ name: 'username', value: SANDBOX_USER.username });
    expectNoSecret(text, {
      ...STORE,
      'access token': result.accessToken,
      'refresh token': result.refreshToken,
    });
  });

  it('private_key_jwt: the assertion is masked; a failed flow (after discovery) still writes its trace', async () => {
    const path = join(dataDir, 'pkjwt.har');
    const run = await cli(['token', 'sandbox-private-key-jwt', '--no-cache', '--trace', path]);
    expect(run.code, run.stderr).toBe(0);
    const { har, text } = readHar(path);
    const assertion = har.log.entries[0]?.request.postData?.params?.find(
      (p) => p.name === 'client_assertion',
    );
    expect(assertion?.value).toBe('eyJhbG…');
    expectNoSecret(text, { ...STORE, 'access token': run.stdout });

    const failed = join(dataDir, 'failed.har');
    const wrong = 'a-wrong-secret-from-the-environment';
    const added = await cli([
      'connection',
      'add',
      'wrong-secret',
      '--type',
      'client_credentials',
      '--issuer',
      sandbox.server.issuer,
      '--client-id',
      'cc-basic',
      '--client-secret',
      '${env:WRONG_SECRET}',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const refused = await runCli(
      ['--data-dir', dataDir, 'token', 'wrong-secret', '--trace', failed],
      {
        env: { WRONG_SECRET: wrong },
      },
    );
    expect(refused.code).toBe(5);
    // Its endpoint discovered first (the discovery leg is in the trace), then refused.
    expect(refused.stderr).toContain('Trace: 2 HTTP legs');
    const trace = readHar(failed);
    expect(trace.har.log.entries.map((e) => [e.request.url, e.response.status])).toEqual([
      [`${sandbox.server.issuer}/.well-known/openid-configuration`, 200],
      [sandbox.server.tokenEndpoint, 401],
    ]);
    expectNoSecret(trace.text, {
      ...STORE,
      'wrong secret': wrong,
      Basic: basic('cc-basic', wrong),
    });
  });

  it('DPoP with a nonce: both legs, the proofs masked', async () => {
    const path = join(dataDir, 'dpop.har');
    const run = await cli(['token', 'sandbox-dpop-nonce', '--no-cache', '--trace', path]);
    expect(run.code, run.stderr).toBe(0);
    const { har, text } = readHar(path);
    // The nonce challenge and the retry, then the binding check: cnf.jkt by introspection.
    const { issuer, tokenEndpoint } = sandbox.server;
    expect(har.log.entries.map((e) => [e.request.url, e.response.status])).toEqual([
      [tokenEndpoint, 400],
      [tokenEndpoint, 200],
      [`${issuer}/.well-known/openid-configuration`, 200],
      [`${tokenEndpoint}/introspection`, 200],
    ]);
    for (const entry of har.log.entries.slice(0, 2))
      expect(entry.request.headers).toContainEqual({ name: 'dpop', value: 'eyJhbG…' });
    expectNoSecret(text, { ...STORE, 'access token': run.stdout });
  });

  it('over TLS: the entry carries the server certificate', async () => {
    const path = join(dataDir, 'tls.har');
    const run = await cli(['token', 'sandbox-certificate-bound', '--no-cache', '--trace', path]);
    expect(run.code, run.stderr).toBe(0);
    const { har, text } = readHar(path);
    const server = new X509Certificate((await sandboxTls(dataDir)).serverCert);
    const peer = har.log.entries[0]?._tlsPeerCertificate;
    expect(peer?.fingerprint256).toBe(server.fingerprint256);
    expect(new X509Certificate(peer?.pem ?? '').fingerprint256).toBe(server.fingerprint256);
    expectNoSecret(text, { ...STORE, 'access token': run.stdout });
  });
});

describe('tokensmith call --trace and the app export', () => {
  it('call: the token leg and the API leg, the Bearer token masked', async () => {
    const path = join(dataDir, 'call.har');
    await cli(['cache', 'clear', 'sandbox-password']);
    const run = await cli(['call', 'sandbox-password', sandbox.server.apiUrl, '--trace', path]);
    expect(run.code, run.stderr).toBe(0);
    const { har, text } = readHar(path);
    expect(har.log.entries.map((e) => e.request.url)).toEqual([
      sandbox.server.tokenEndpoint,
      sandbox.server.apiUrl,
    ]);
    const auth = har.log.entries[1]?.request.headers.find((h) => h.name === 'authorization');
    expect(auth?.value).toMatch(/^Bearer (eyJhbG…|••••••)$/);
    // What is not secret stays readable: the API's answer names the user, client and scope.
    expect(JSON.parse(har.log.entries[1]?.response.content.text ?? '')).toMatchObject({
      sub: SANDBOX_USER.username,
      client_id: 'ropc-basic',
      scope: 'openid offline_access api:read',
    });
    // The token the call used: the one it left in the cache.
    const token = await cli(['token', 'sandbox-password']);
    expect(token.stderr).toContain('from the cache');
    expectNoSecret(text, { ...STORE, 'access token': token.stdout });
  });

  it('the engine export (Export trace): a JWT bearer flow, every assertion and token it sent', async () => {
    const session = createSession({ workspace: sandbox.workspace, env: {} });
    const doc = await sandbox.workspace.store.read();
    const conn = doc.connections.find((c) => c.name === 'sandbox-jwt-bearer');
    const trace = new Trace();
    const { result } = await getToken(session, conn!, { noCache: true, trace });
    const har = await traceHar(session, trace, { connection: conn!, creatorVersion: '1.0.0' });
    const text = JSON.stringify(har);
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    // What went over the wire, read from the trace itself.
    const sent = Object.fromEntries(
      decodeForm(trace.legs[0]?.request.body ?? '').filter(([k]) => k === 'assertion'),
    );
    expect(sent.assertion).toMatch(/^eyJ/);
    expectNoSecret(text, { ...STORE, assertion: sent.assertion!, 'access token': result.token });

    // A traced client refuses what is not a URL as the client does, with nothing recorded.
    const bad = new Trace();
    await expect(
      session.http
        .traced(bad)
        .send({ method: 'GET', url: 'not a url', headers: {} }, DEFAULT_NETWORK_PROFILE),
    ).rejects.toThrow('Not a valid URL: not a url');
    expect(bad.legs).toEqual([]);
  });

  it('the app: tokens:generate then trace:export, also for a run that failed', async () => {
    const app = createAppService({
      workspace: sandbox.workspace,
      env: {},
      mode: 'browser',
      version: '9.9.9',
      emit: () => undefined,
    });
    const get = await app.dispatch('connections:get', { id: 'sandbox-password' });
    const connection = (get as { value: { client: { secret: string } } }).value;
    expect(connection.client.secret).toBe('••••••••');
    const run = (await app.dispatch('tokens:generate', { requestId: 'run-1', connection })) as {
      ok: boolean;
      value: { token: string; refreshToken: string };
    };
    expect(run.ok).toBe(true);
    const out = (await app.dispatch('trace:export', { requestId: 'run-1' })) as {
      value: { fileName: string; har: Har & { log: { creator: { version: string } } } };
    };
    const { fileName, har } = out.value;
    expect(fileName).toMatch(/^sandbox-password-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.har$/);
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    expect(har.log.creator).toEqual({ name: 'Tokensmith', version: '9.9.9' });
    expect(har.log.entries.map((e) => e.request.url)).toEqual([sandbox.server.tokenEndpoint]);
    expectNoSecret(JSON.stringify(har), {
      ...STORE,
      'access token': run.value.token,
      'refresh token': run.value.refreshToken,
    });

    const refused = await app.dispatch('tokens:generate', {
      requestId: 'run-2',
      connection: { ...connection, password: 'a-typed-wrong-password' },
    });
    expect(refused.ok).toBe(false);
    const failed = (await app.dispatch('trace:export', { requestId: 'run-2' })) as {
      value: { har: Har };
    };
    expect(failed.value.har.log.entries[0]?.response.status).toBe(400);
    expectNoSecret(JSON.stringify(failed.value.har), {
      ...STORE,
      'typed password': 'a-typed-wrong-password',
    });
    expect(await app.dispatch('trace:export', { requestId: 'unknown' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await app.close();
  });
});
