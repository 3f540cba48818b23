/**
 * `tokensmith export --format postman|insomnia|bruno|httpie` (issue 26, item 3): each export is
 * run by the tool itself against the sandbox and must get a token the sandbox's API accepts,
 * sending the token request Tokensmith sends — newman runs the Postman collection, `bru run`
 * the Bruno folder, Debian's `http` the HTTPie session with its printed fill command. Insomnia
 * has no runner that installs here (inso needs libcurl binaries from outside the registry): its
 * export is checked against Insomnia's OAuth 2.0 model and renders to the same request.
 * No secret is in any file written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import newman from 'newman';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import {
  SANDBOX_SECRET,
  SANDBOX_USER,
  type ReceivedRequest,
} from '../../sandbox/authorization-server.js';
import { CLI_BIN, runCli, type CliOptions } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';
import { runBash } from '../support/shell.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BRU = join(ROOT, 'node_modules', '.bin', 'bru');

let sandbox: Sandbox;
let dataDir: string;
let work: string;
const cli = (args: string[], options: CliOptions = {}) =>
  runCli(['--data-dir', dataDir, '--no-workspace', ...args], options);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-apiclients-'));
  work = mkdtempSync(join(tmpdir(), 'tokensmith-apiclients-out-'));
  sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
});
afterAll(() => sandbox?.close());

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

function expectNoSecrets(paths: string[]): void {
  for (const p of paths) {
    const text = readFileSync(p, 'utf8');
    expect(text, p).not.toContain(SANDBOX_SECRET);
    expect(text, p).not.toContain(SANDBOX_USER.password);
    expect(statSync(p).mode & 0o077, p).toBe(0);
  }
}

/** What a token request carried that the client sent (headers the tools add of their own left out). */
function essence(r: ReceivedRequest) {
  return {
    authorization: r.headers.authorization,
    contentType: String(r.headers['content-type']).split(';')[0],
    form: [...r.form.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}

/** The token request Tokensmith itself sends for a connection (`tokensmith token`, no cache). */
async function tokensmithRequest(name: string) {
  const before = sandbox.server.tokenRequests().length;
  const run = await cli(['token', name, '--no-cache']);
  expect(run.code, run.stderr).toBe(0);
  const sent = sandbox.server.tokenRequests().slice(before);
  expect(sent).toHaveLength(1);
  return essence(sent[0]!);
}

const CONNECTIONS = [
  ['client credentials, Basic', 'sandbox-client-credentials', { client_secret: SANDBOX_SECRET }],
  ['client credentials, body', 'sandbox-client-secret-post', { client_secret: SANDBOX_SECRET }],
  [
    'password grant',
    'sandbox-password',
    { client_secret: SANDBOX_SECRET, password: SANDBOX_USER.password },
  ],
] as const;

describe('postman: newman runs the exported collection', () => {
  it.each(CONNECTIONS)('%s', async (_label, name, secrets) => {
    const out = join(work, `postman-${name}`);
    const run = await cli(['export', name, '--format', 'postman', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `Set these postman variables to the secrets: ${Object.keys(secrets).join(', ')}.`,
    );
    const written = filesUnder(out);
    expect(written.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      `${name}.postman_collection.json`,
      `${name}.postman_environment.json`,
    ]);
    expectNoSecrets(written);
    const collection = JSON.parse(
      readFileSync(join(out, `${name}.postman_collection.json`), 'utf8'),
    );
    const environment = JSON.parse(
      readFileSync(join(out, `${name}.postman_environment.json`), 'utf8'),
    );
    const auth = Object.fromEntries(
      (collection.auth.oauth2 as Array<{ key: string; value: unknown }>).map((p) => [
        p.key,
        p.value,
      ]),
    );
    expect(auth).toMatchObject({
      grant_type: name === 'sandbox-password' ? 'password_credentials' : 'client_credentials',
      accessTokenUrl: sandbox.server.tokenEndpoint,
      clientSecret: '{{client_secret}}',
      client_authentication: name === 'sandbox-client-secret-post' ? 'body' : 'header',
    });
    expect(environment.values.map((v: { key: string; value: string }) => [v.key, v.value])).toEqual(
      Object.keys(secrets).map((k) => [k, '']),
    );
    const before = sandbox.server.tokenRequests().length;
    const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) =>
      newman.run(
        {
          collection,
          environment,
          envVar: [
            ...Object.entries(secrets).map(([key, value]) => ({ key, value })),
            { key: 'base_url', value: sandbox.server.apiUrl },
          ],
          reporters: [],
          timeoutRequest: 10_000,
        },
        (err, s) => (err ? reject(err) : resolve(s)),
      ),
    );
    expect(summary.run.failures).toEqual([]);
    const [execution] = summary.run.executions;
    expect(execution?.response?.code).toBe(200);
    const sent = sandbox.server.tokenRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(essence(sent[0]!)).toEqual(await tokensmithRequest(name));
  });
});

function bru(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BRU, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: work },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('bruno: bru run runs the exported collection', () => {
  it.each(CONNECTIONS)('%s', async (_label, name, secrets) => {
    const out = join(work, `bruno-${name}`);
    const run = await cli(['export', name, '--format', 'bruno', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const written = filesUnder(out);
    expect(written.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      'API.bru',
      'bruno.json',
      join('environments', 'Tokensmith.bru'),
    ]);
    expectNoSecrets(written);
    const request = readFileSync(join(out, 'API.bru'), 'utf8');
    expect(request).toContain('auth:oauth2 {');
    expect(request).toContain('  client_secret: {{client_secret}}');
    const before = sandbox.server.tokenRequests().length;
    const report = join(work, `bru-${name}.json`);
    const result = await bru(
      [
        'run',
        'API.bru',
        '--env',
        'Tokensmith',
        ...Object.entries({ ...secrets, base_url: sandbox.server.apiUrl }).flatMap(([k, v]) => [
          '--env-var',
          `${k}=${v}`,
        ]),
        '--reporter-json',
        report,
      ],
      out,
    );
    expect(result.code, result.out).toBe(0);
    const [summary] = JSON.parse(readFileSync(report, 'utf8')) as Array<{
      results: Array<{ response: { status: number } }>;
    }>;
    expect(summary?.results[0]?.response.status).toBe(200);
    const sent = sandbox.server.tokenRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(essence(sent[0]!)).toEqual(await tokensmithRequest(name));
  });
});

describe('httpie: the session and its fill command', () => {
  it('the printed command puts a Tokensmith token in the session; later calls reuse it', async () => {
    const session = join(work, 'httpie', 'api.json');
    mkdirSync(dirname(session), { recursive: true });
    const run = await cli([
      'export',
      'sandbox-client-credentials',
      '--format',
      'httpie',
      '-o',
      session,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expectNoSecrets([session]);
    const command = /^ {2}(http --session=.*)$/m.exec(run.stderr)?.[1];
    expect(command, run.stderr).toBeDefined();
    // `tokensmith` on PATH is the CLI with this test's data folder.
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'tokensmith'),
      `#!/bin/sh\nexec '${process.execPath}' '${CLI_BIN}' --data-dir '${dataDir}' --no-workspace "$@"\n`,
      { mode: 0o755 },
    );
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      API_URL: sandbox.server.apiUrl,
      TOKENSMITH_SECRET_KEY_STORE: 'file',
      HOME: work,
    };
    const first = await runBash(`${command} --ignore-stdin --check-status --print=b`, env);
    expect(first.status, first.stderr).toBe(0);
    // The token is in the session now: a call without it is authorised.
    const again = await runBash(
      `http --session=${session} --ignore-stdin --check-status --print=b GET "$API_URL"`,
      env,
    );
    expect(again.status, again.stderr).toBe(0);
    const stored = JSON.parse(readFileSync(session, 'utf8')) as {
      headers: Array<{ name: string; value: string }>;
    };
    expect(stored.headers.find((h) => h.name === 'Authorization')?.value).toMatch(/^Bearer \S+$/);
  });
});

describe('refusals and usage', () => {
  it.each([
    [
      'postman',
      'sandbox-private-key-jwt',
      /Not exported to Postman: "sandbox-private-key-jwt" authenticates with private_key_jwt: Postman cannot sign the client assertion\./,
    ],
    ['bruno', 'sandbox-dpop', /Not exported to Bruno: "sandbox-dpop" uses DPoP \(RFC 9449\)/],
    [
      'insomnia',
      'sandbox-jwt-bearer',
      /Not exported to Insomnia: "sandbox-jwt-bearer" uses the JWT bearer grant/,
    ],
    [
      'httpie',
      'sandbox-zos-combined',
      /Not exported to HTTPie: "sandbox-zos-combined" also gets a JWT from a z\/OS authentication server/,
    ],
    [
      'postman',
      'sandbox-authorization-code',
      /uses Authorization Code: the sign-in happens in a browser/,
    ],
  ])('%s refuses %s', async (format, name, message) => {
    const run = await cli([
      'export',
      name,
      '--format',
      format,
      '--out',
      join(work, `refused-${format}`),
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a folder is needed for postman and bruno; one connection at a time', async () => {
    const noFolder = await cli(['export', 'sandbox-client-credentials', '--format', 'bruno']);
    expect(noFolder.code).not.toBe(0);
    expect(noFolder.stderr).toContain('give the folder to write them to with --out DIR');
    const two = await cli([
      'export',
      'sandbox-client-credentials',
      'sandbox-password',
      '--format',
      'insomnia',
    ]);
    expect(two.code).not.toBe(0);
    expect(two.stderr).toContain('Name one connection to export for Insomnia (2 were selected).');
  });
});
