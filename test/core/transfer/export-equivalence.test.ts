/**
 * What Tokensmith exports behaves like what it tested: for every connection type and every
 * client authentication, the exported curl script, run by bash, makes a token endpoint receive
 * the same request Tokensmith sends — the same form fields, the same client authentication
 * bytes, a JWT with the same header and claims (its times and jti aside) — and the exported env
 * file, sourced by a shell, holds the same values. Hostile names and values run nothing, and
 * shellcheck finds nothing in the generated files.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { connectionSchema, type Connection } from '../../../shared/connection.js';
import { CONNECTION_TYPES, type ConnectionType } from '../../../shared/connection-types/index.js';
import { keystoreEntry } from '../../../shared/resources.js';
import { openWorkspace, type Workspace } from '../../../electron/core/workspace.js';
import { HttpClient } from '../../../electron/core/http/http-client.js';
import { GRANTS, requestToken } from '../../../electron/core/grants/registry.js';
import { resolveConnection } from '../../../electron/core/oauth/resolve.js';
import { sendTokenRequest } from '../../../electron/core/oauth/send.js';
import { redirectUriOf } from '../../../electron/core/oauth/authorization-request.js';
import { resolveConnectionSecrets } from '../../../electron/core/store/env-references.js';
import {
  envPrefix,
  exportCurl,
  exportEnv,
} from '../../../electron/core/transfer/runtime-export.js';
import type { FlowContext } from '../../../electron/core/oauth/flow-context.js';
import { fixtures } from '../../support/fixtures.js';
import { runBash } from '../../support/shell.js';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  form: Array<[string, string]>;
  body: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SECRET = 'p@ss:w+rd/%&=? x';
const DEVICE_CODE = 'the-device-code/+=';
const SUBJECT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.';
const ISSUED_JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJnYXRld2F5In0.';
const HOSTILE = `it's "$(touch MARK)" \`touch MARK\` $HOME; touch MARK & echo |`;

let server: Server;
let tokenEndpoint: string;
let origin: string;
let received: Received[] = [];
let dataDir: string;
let binDir: string;
let workspace: Workspace;
let ctx: FlowContext;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        form: [...new URLSearchParams(body)],
        body,
      });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/device')
        // RFC 8628 §3.2, with a short interval: the engine polls once and gets the token.
        res.end(
          JSON.stringify({
            device_code: DEVICE_CODE,
            user_code: 'ABCD-EFGH',
            verification_uri: 'https://as.example/device',
            interval: 0.01,
          }),
        );
      else if (req.url === '/jwt') res.end(JSON.stringify({ jwt: ISSUED_JWT }));
      else res.end(JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 60 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  origin = `http://127.0.0.1:${address.port}`;
  tokenEndpoint = `${origin}/oauth2/token`;

  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-equivalence-'));
  // The CLI on PATH, as a user installs it (npm install -g / npm link).
  binDir = mkdtempSync(join(tmpdir(), 'tokensmith-bin-'));
  symlinkSync(join(root, 'bin', 'tokensmith.js'), join(binDir, 'tokensmith'));
  const f = await fixtures();
  workspace = await openWorkspace(dataDir, {});
  await workspace.store.update((doc) => {
    doc.keystores.push(
      keystoreEntry.parse({
        name: 'demo',
        kind: 'pkcs12',
        path: f.path('rsa.p12'),
        password: 'changeit',
      }),
    );
  });
  ctx = { http: new HttpClient(), resources: workspace.registry(await workspace.store.read()) };
});

afterAll(async () => {
  await ctx?.http.close();
  await new Promise((resolve) => server?.close(resolve));
});

const signing = { keystore: 'demo' };

/** Each type and client authentication, as a user would configure it. */
function cases(): Array<[string, Record<string, unknown> & { type: ConnectionType }]> {
  const params = {
    scope: 'read write',
    resource: ['https://api.example/a', 'https://api.example/b'],
    audience: 'https://api.example',
    tokenParams: [{ name: 'tenant', value: "o'hara & co" }],
  };
  const base = { params };
  return [
    [
      'cc basic',
      { ...base, type: 'client_credentials', client: { id: 'cc id/1', secret: SECRET } },
    ],
    [
      'cc post',
      {
        ...base,
        type: 'client_credentials',
        client: { id: 'cc2', secret: SECRET, authMethod: 'client_secret_post' },
      },
    ],
    [
      // A public client (auth method none) is for the password grant; client credentials refuses it.
      'password none',
      {
        ...base,
        type: 'password',
        client: { id: 'public', authMethod: 'none' },
        username: 'bob',
        password: SECRET,
      },
    ],
    [
      'cc pkjwt',
      {
        ...base,
        type: 'client_credentials',
        client: { id: 'cc3', authMethod: 'private_key_jwt', sendClientIdWithAssertion: true },
        jwt: { signing },
      },
    ],
    [
      'cc secret jwt',
      {
        ...base,
        type: 'client_credentials',
        client: { id: 'cc4', secret: SECRET, authMethod: 'client_secret_jwt' },
      },
    ],
    [
      'password basic',
      {
        ...base,
        type: 'password',
        client: { id: 'ro', secret: SECRET },
        username: 'alice@example',
        password: `pw ${SECRET}`,
      },
    ],
    [
      'jwt bearer',
      {
        ...base,
        type: 'jwt_bearer',
        jwt: { signing, claims: { issuer: 'iss-1', subject: 'user@example' } },
      },
    ],
    [
      'client assertion',
      {
        ...base,
        type: 'jwt_client_assertion',
        client: { id: 'graph-app' },
        jwt: { signing, header: { includeX5tS256: true } },
      },
    ],
    [
      'pasted assertion',
      {
        ...base,
        type: 'jwt_client_assertion',
        client: { id: 'graph-app' },
        clientAssertion: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJncmFwaC1hcHAifQ.c2ln',
      },
    ],
    [
      'auth code',
      {
        ...base,
        type: 'authorization_code',
        authorizationEndpoint: 'https://as.example/authorize',
        client: { id: 'native', secret: SECRET },
        redirect: { port: 8765 },
      },
    ],
    [
      'hostile',
      {
        ...base,
        type: 'password',
        client: { id: HOSTILE, secret: HOSTILE },
        username: HOSTILE,
        password: HOSTILE,
        params: { ...params, scope: HOSTILE, tokenParams: [{ name: HOSTILE, value: HOSTILE }] },
      },
    ],
    [
      // The token request (§3.4) is what is exported: the device code is a variable the user sets
      // from the device authorization response; the engine's poll is compared with it.
      'device code',
      {
        ...base,
        type: 'device_code',
        deviceAuthorizationEndpoint: '/device',
        client: { id: 'tv app', secret: SECRET },
      },
    ],
    [
      'token exchange',
      {
        ...base,
        type: 'token_exchange',
        client: { id: 'exchanger', secret: SECRET, authMethod: 'client_secret_post' },
        subjectToken: { source: 'value', value: SUBJECT },
        actorToken: { source: 'value', value: `actor ${SECRET}` },
      },
    ],
    [
      'jwt gateway header',
      {
        type: 'jwt',
        tokenEndpoint: '/jwt',
        jwtIssuer: {
          requestMethod: 'POST',
          username: 'gw user',
          password: SECRET,
          claims: '{"aud":"my-api","scope":"a b"}',
        },
      },
    ],
  ];
}

/** The variables the exported files expect for the connection's secrets and run-time values. */
function environment(conn: Connection): Record<string, string> {
  const p = envPrefix(conn.name);
  const env: Record<string, string> = {
    [`${p}_CLIENT_SECRET`]: conn.client.secret,
    CODE: 'the-code',
    CODE_VERIFIER: 'the-verifier',
    TOKENSMITH_HOME: dataDir,
    PATH: `${binDir}:${process.env.PATH ?? ''}`,
  };
  if (conn.type === 'password') env[`${p}_PASSWORD`] = conn.password;
  if (conn.type === 'jwt_client_assertion') env[`${p}_CLIENT_ASSERTION`] = conn.clientAssertion;
  if (conn.type === 'device_code') env.DEVICE_CODE = DEVICE_CODE;
  if (conn.type === 'token_exchange') {
    env[`${p}_SUBJECT_TOKEN_VALUE`] = conn.subjectToken.value;
    env[`${p}_ACTOR_TOKEN_VALUE`] = conn.actorToken.value;
  }
  if (conn.type === 'jwt') env[`${p}_JWT_ISSUER_PASSWORD`] = conn.jwtIssuer.password;
  return env;
}

async function engineSends(conn: Connection): Promise<Received> {
  received = [];
  if (conn.type === 'authorization_code') {
    // The sign-in needs a browser; the code exchange is what is exported.
    const resolved = resolveConnection(conn, ctx);
    const prepared = await GRANTS.authorization_code.prepare(resolved, {
      code: 'the-code',
      redirectUri: redirectUriOf(conn),
      codeVerifier: 'the-verifier',
    });
    await sendTokenRequest(resolved, prepared, ctx);
  } else await requestToken(resolveConnectionSecrets(conn, {}), ctx);
  if (conn.type === 'device_code') {
    // The device authorization request, then one poll: the poll is the exported request.
    expect(received.map((r) => r.url)).toEqual(['/device', '/oauth2/token']);
    return received[1] as Received;
  }
  expect(received).toHaveLength(1);
  return received[0] as Received;
}

async function exportSends(conn: Connection, doc: Awaited<ReturnType<Workspace['store']['read']>>) {
  received = [];
  const script = await exportCurl([conn], doc);
  const cwd = mkdtempSync(join(tmpdir(), 'tokensmith-run-'));
  const run = await runBash(
    `cd ${JSON.stringify(cwd)} && ${script}`,
    environment(conn),
    [],
    60_000,
  );
  expect(run.status, run.stderr).toBe(0);
  expect(existsSync(join(cwd, 'MARK')), 'a value ran a command').toBe(false);
  expect(received).toHaveLength(1);
  return { sent: received[0] as Received, script };
}

const JWT_FIELDS = new Set(['assertion', 'client_assertion']);

function comparable(jwt: string) {
  const header = decodeProtectedHeader(jwt);
  const { iat, exp, jti, nbf, ...claims } = decodeJwt(jwt);
  return {
    header,
    claims,
    lifetime: (exp ?? 0) - (iat ?? 0),
    jti: jti !== undefined,
    nbf: nbf !== undefined,
  };
}

function expectSameRequest(engine: Received, exported: Received): void {
  expect(exported.method).toBe(engine.method);
  expect(exported.url).toBe(engine.url);
  expect(exported.headers['content-type']).toBe(engine.headers['content-type']);
  expect(exported.headers.accept).toBe(engine.headers.accept);
  if (engine.form.length === 0 || !engine.headers['content-type']?.includes('form'))
    expect(exported.body).toBe(engine.body); // not a form (the JWT issuer's JSON): the same bytes
  // Client authentication bytes, exactly.
  expect(exported.headers.authorization).toBe(engine.headers.authorization);
  const plain = (r: Received) => r.form.filter(([n]) => !JWT_FIELDS.has(n));
  expect(plain(exported)).toEqual(plain(engine));
  const jwts = (r: Received) => r.form.filter(([n]) => JWT_FIELDS.has(n));
  expect(jwts(exported).map(([n]) => n)).toEqual(jwts(engine).map(([n]) => n));
  for (const [i, [, value]] of jwts(engine).entries()) {
    const exportedValue = jwts(exported)[i]?.[1] ?? '';
    if (value.split('.').length === 3 && value === exportedValue) continue; // pasted: same bytes
    expect(comparable(exportedValue)).toEqual(comparable(value));
  }
}

/** A case's connection, its endpoints on the recording server. */
function connectionOf(name: string, input: Record<string, unknown>): Connection {
  const at = (v: unknown) => (typeof v === 'string' && v.startsWith('/') ? origin + v : v);
  return connectionSchema.parse({
    id: name.replace(/\W/g, ''),
    name,
    ...input,
    tokenEndpoint: at(input.tokenEndpoint) ?? tokenEndpoint,
    ...('deviceAuthorizationEndpoint' in input
      ? { deviceAuthorizationEndpoint: at(input.deviceAuthorizationEndpoint) }
      : {}),
  });
}

describe('exports behave like what Tokensmith sends', () => {
  it('every connection type of the registry has an equivalence case', () => {
    expect([...new Set(cases().map(([, c]) => c.type))].sort()).toEqual(
      [...CONNECTION_TYPES].sort(),
    );
  });

  it.each(cases())(
    '%s: the exported curl command sends the same request',
    async (name, input) => {
      const conn = connectionOf(name, input);
      await workspace.store.update((doc) => {
        doc.connections = doc.connections.filter((c) => c.name !== name).concat(conn);
      });
      const doc = await workspace.store.read();
      const engine = await engineSends(conn);
      const { sent, script } = await exportSends(conn, doc);
      expectSameRequest(engine, sent);
      expect(script).not.toContain(SECRET);
      // shellcheck: the exported script is clean bash.
      const check = spawnSync('shellcheck', ['-s', 'bash', '-'], {
        input: script,
        encoding: 'utf8',
      });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    },
    120_000,
  );

  // With the credentials in a body template, the exported command fills the template as the
  // engine does: the password is escaped for the body (JSON or form) at run time.
  it.each([
    ['JSON body', undefined, SECRET],
    ['JSON body, a password with quotes and a backslash', undefined, 'a"b\\c/d'],
    ['form body', 'user=${userid}&pass=${password}', SECRET],
  ] as const)(
    'jwt gateway, credentials in the %s: the export sends what the engine sends',
    async (_name, requestBody, password) => {
      const conn = connectionOf('jwt gateway body', {
        type: 'jwt',
        tokenEndpoint: '/jwt',
        jwtIssuer: {
          requestMethod: 'PUT',
          credentialLocation: 'body',
          username: 'gw user',
          password,
          ...(requestBody ? { requestBody } : {}),
        },
      });
      const doc = await workspace.store.read();
      const { sent, script } = await exportSends(conn, doc);
      expectSameRequest(await engineSends(conn), sent);
      expect(script).not.toContain(password);
      const check = spawnSync('shellcheck', ['-s', 'bash', '-'], {
        input: script,
        encoding: 'utf8',
      });
      expect(check.stdout + check.stderr).toBe('');
    },
    60_000,
  );

  it.each(cases().filter(([n]) => !['auth code'].includes(n)))(
    '%s: the exported env file holds the values of the request',
    async (name, input) => {
      const conn = connectionOf(name, input);
      const engine = await engineSends(conn);
      const file = await exportEnv([conn]);
      expect(file).not.toContain(SECRET);
      const dir = mkdtempSync(join(tmpdir(), 'tokensmith-env-'));
      writeFileSync(join(dir, 'conn.env'), file);
      const env = environment(conn);
      const run = await runBash(
        `cd ${JSON.stringify(dir)} && set -a && . ./conn.env && node -e 'console.log(JSON.stringify(process.env))'`,
        env,
      );
      expect(run.status, run.stderr).toBe(0);
      expect(existsSync(join(dir, 'MARK')), 'a value ran a command').toBe(false);
      const sourced = JSON.parse(run.stdout) as Record<string, string>;
      const p = envPrefix(conn.name);
      const value = (param: string) =>
        sourced[`${p}_${param.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`];
      expect(sourced[`${p}_TOKEN_ENDPOINT`]).toBe(conn.tokenEndpoint);
      const grouped = new Map<string, string[]>();
      // The JWT issuer's body is JSON, not a form: no parameters.
      const form = conn.type === 'jwt' ? [] : engine.form;
      for (const [n, v] of form) grouped.set(n, [...(grouped.get(n) ?? []), v]);
      for (const [n, values] of grouped) {
        if (JWT_FIELDS.has(n) && conn.type !== 'jwt_client_assertion') continue; // signed at run time
        if (JWT_FIELDS.has(n) && !('clientAssertion' in conn && conn.clientAssertion)) continue;
        expect(value(n), n).toBe(values.join(' '));
      }
      if (engine.headers.authorization && conn.type === 'jwt') {
        // A user's credentials (RFC 7617, as typed), not a client's.
        const basic = Buffer.from(String(engine.headers.authorization).slice(6), 'base64');
        expect(`${sourced[`${p}_USERNAME`]}:${sourced[`${p}_PASSWORD`]}`).toBe(basic.toString());
      } else if (engine.headers.authorization) {
        const [id, secret] = Buffer.from(String(engine.headers.authorization).slice(6), 'base64')
          .toString()
          .split(':')
          .map((s) => new URLSearchParams(`v=${s}`).get('v'));
        expect(sourced[`${p}_CLIENT_ID`]).toBe(id);
        expect(sourced[`${p}_CLIENT_SECRET`]).toBe(secret);
      }
      const check = spawnSync('shellcheck', ['-s', 'sh', '-e', 'SC2034', '-'], {
        input: file,
        encoding: 'utf8',
      });
      expect(check.stdout + check.stderr).toBe('');
    },
    60_000,
  );
});
