/**
 * The hostile-input suite (issue 12): every crafted file of `hostile-files.ts` is imported
 * through the CLI (bin/tokensmith.js, as a child process) and through the app's dispatch (the
 * contract's entry point), each into a fresh copy of one data folder holding the user's things —
 * a signing keystore, a truststore, a proxy alias with a password, a connection with a client
 * secret, a JWT builder with a generated key — with a planted environment variable. Each run has
 * its own path on the attacker's recording endpoint, so runs go on side by side. For each file
 * and each face:
 *
 * - nothing is imported unless the file is valid, and nothing of the user's is bound without a
 *   confirmation: the outcome (refused with its problem, refused until named bindings are
 *   confirmed, or imported) is asserted, and a refused import leaves store.json byte for byte;
 * - nothing runs: whatever was imported is exported in every format (JSON, curl, env,
 *   server.xml), the curl script and the env file pass shellcheck and are run by bash, and no
 *   marker file appears;
 * - no file outside the data folder is read or deleted: bait files (a passwd-like file, a copy of
 *   the user's keystore, a FIFO that would hang whoever opened it) keep their access time and
 *   still exist;
 * - nothing of the user's is sent anywhere unconfirmed: `token` and `assertion` (CLI) and
 *   tokens:generate / assertions:generate (app) run for every connection the file names, and the
 *   attacker's recording token endpoint receives no request from a refused file, and from an
 *   imported one no planted value, no user secret and no JWT that verifies with the user's keys
 *   or lives longer than 24 hours;
 * - no secret appears in any output: CLI stdout and stderr, dispatch results and errors, the
 *   connection lists with their status, every export.
 *
 * Positive controls show the checks bite: once confirmed, the signing oracle does reach the
 * attacker with a JWT that verifies with the user's key (so the check above would see it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, jwtVerify } from 'jose';
import { createAppService, type AppService } from '../../electron/core/app-service.js';
import { openWorkspace } from '../../electron/core/workspace.js';
import { fixtures } from '../support/fixtures.js';
import { runBash } from '../support/shell.js';
import { HOSTILE_FILES, USER, type HostileFile, type Scene } from './hostile-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'tokensmith.js');
const RUN = randomBytes(6).toString('hex');
/** Values that must never leave: the user's secrets and the planted variable. */
const SECRETS = {
  clientSecret: `user-client-secret-${RUN}`,
  keystorePassword: `user-keystore-pass-${RUN}`,
  proxyPassword: `user-proxy-pass-${RUN}`,
  planted: `planted-env-value-${RUN}`,
};
const BAIT_TEXT = `root:x:0:0:bait-${RUN}:/root:/bin/bash`;
const OLD = new Date('2001-01-01T00:00:00Z');

interface Received {
  url: string;
  text: string;
}
interface Recorder {
  server: Server;
  url: string;
  received: Received[];
}

function recorder(): Promise<Recorder> {
  const received: Received[] = [];
  // Headers as large as a file's 1 MB secret makes them: recorded and checked, not refused (431).
  const server = createServer({ maxHeaderSize: 8 * 1024 * 1024 }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        text: `${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`,
      });
      if (req.url?.includes('/echo')) {
        // A broken server that reflects the request, credentials and all, in its error page.
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end(`<html><pre>${req.headers.authorization ?? ''}\n${body}</pre></html>`);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'recorded', token_type: 'Bearer', expires_in: 60 }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/token`,
        received,
      }),
    ),
  );
}

let evil: Recorder;
let legit: Recorder;
let outside: string;
let markerDir: string;
let bait: Scene['bait'];
/**
 * A writer waiting on the bait FIFO: its open returns only once something opens the FIFO to read
 * (blocking or not), and then it says so and exits. So "the FIFO was never opened" is observed.
 */
let fifoWatcher: ChildProcess;
let fifoOpened = false;
const expectFifoNeverOpened = () => {
  expect(fifoOpened, 'something opened the bait FIFO').toBe(false);
  expect(fifoWatcher.exitCode, 'the FIFO watcher ended').toBeNull();
};
/** The public keys of the user's: the keystore's certificate and each face's builder key. */
const userKeys: KeyObject[] = [];
/** Every secret's forms, filled in once the builders' private keys exist. */
const forbidden: string[] = [];

interface Outcome {
  ok: boolean;
  code?: string;
  message: string;
  value?: Record<string, unknown>;
  bindings?: string[];
}

interface Face {
  name: 'CLI' | 'app';
  home: string;
  userKeystoreFile: string;
  /** This run's own token endpoint on the attacker's recorder. */
  evil: string;
  /** A folder with `tokensmith` for this home, for PATH. */
  path: string;
  env: Record<string, string>;
  /** Every text this face showed: outputs, errors, lists, exports. */
  seen: string[];
  import(content: string, file: HostileFile, confirm?: 'all'): Promise<Outcome>;
  token(name: string): Promise<Outcome>;
  assertion(name: string): Promise<Outcome>;
  export(names: string[], format: string): Promise<Outcome & { content?: string }>;
  list(): Promise<Array<{ name: string; lastError?: string }>>;
}

const faceEnv = (home: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: home,
  TOKENSMITH_HOME: home,
  [USER.plantedVariable]: SECRETS.planted,
});

/** Fills a data folder with the user's things, through the app's own entry point. */
async function populate(home: string, env: Record<string, string>): Promise<AppService> {
  const f = await fixtures();
  const userP12 = join(outside, 'user.p12');
  const service = createAppService({
    workspace: await openWorkspace(home, env),
    env,
    mode: 'browser',
    version: 'test',
    emit: () => undefined,
  });
  const ok = async (channel: string, req: unknown) => {
    const r = await service.dispatch(channel, req);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  };
  await ok('keystores:import', {
    name: USER.keystore,
    kind: 'pkcs12',
    fileName: 'user.p12',
    content: readFileSync(userP12).toString('base64'),
    password: SECRETS.keystorePassword,
  });
  await ok('keystores:import', {
    name: USER.truststore,
    purpose: 'truststore',
    kind: 'pem',
    fileName: 'ca.crt',
    content: f.read('ca.crt').toString('base64'),
  });
  await ok('proxies:save', {
    proxy: {
      name: USER.proxy,
      host: '127.0.0.1',
      port: Number(new URL(legit.url).port),
      username: 'me',
      password: SECRETS.proxyPassword,
    },
  });
  await ok('connections:save', {
    connection: {
      id: USER.connectionId,
      name: USER.connection,
      type: 'client_credentials',
      tokenEndpoint: legit.url,
      client: { id: 'user-client', secret: SECRETS.clientSecret },
    },
  });
  await ok('connections:save', {
    connection: {
      id: 'user-zos-id',
      name: 'user-zos',
      type: 'client_credentials',
      tokenEndpoint: legit.url,
      client: { id: 'zos', authMethod: 'private_key_jwt' },
      jwt: { signing: { jwkEnabled: true, builderId: USER.builder } },
    },
  });
  const doc = JSON.parse(readFileSync(join(home, 'store.json'), 'utf8')) as {
    signingKeys: Array<{ keys: Array<{ publicKey: string }> }>;
  };
  userKeys.push(createPublicKey(doc.signingKeys[0]!.keys[0]!.publicKey));
  const workspace = await openWorkspace(home, env);
  const stored = await workspace.store.read();
  for (const pem of Object.values(stored.signingKeys[0]!.privateKeys))
    // A line from the middle of the PEM body: the key in any form that keeps its base64.
    forbidden.push(pem.split('\n')[5] as string);
  return service;
}

const evilFor = () => evil.url.replace(/\/token$/, `/run-${randomBytes(4).toString('hex')}/token`);

function cliFace(home: string, userKeystoreFile: string, path: string): Face {
  const env = faceEnv(home);
  const seen: string[] = [];
  const run = (args: string[], extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, '--data-dir', home, ...args], {
        cwd: home,
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => {
        seen.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      });
    });
  const outcome = async (args: string[], extraEnv?: Record<string, string>): Promise<Outcome> => {
    const r = await run([...args, '--json'], extraEnv);
    const json = (() => {
      try {
        return JSON.parse(r.stdout) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    })();
    if (r.code === 0) return { ok: true, message: r.stderr, ...(json ? { value: json } : {}) };
    return {
      ok: false,
      code: typeof json?.error === 'string' ? json.error : `exit ${r.code}`,
      message: r.stderr,
      ...(Array.isArray(json?.bindings)
        ? { bindings: (json.bindings as Array<{ id: string }>).map((b) => b.id) }
        : {}),
    };
  };
  return {
    name: 'CLI',
    home,
    userKeystoreFile,
    evil: evilFor(),
    path,
    env,
    seen,
    async import(content, file, confirm) {
      const path = join(outside, `import-${randomBytes(4).toString('hex')}.${file.format}`);
      writeFileSync(path, content);
      return outcome(
        [
          'import',
          path,
          ...(file.replace ? ['--replace'] : []),
          ...(file.passphrase ? ['--passphrase-env', 'IMPORT_PASSPHRASE'] : []),
          ...(confirm ? ['--allow-bind'] : []),
        ],
        file.passphrase ? { IMPORT_PASSPHRASE: file.passphrase } : {},
      );
    },
    token: (name) => outcome(['token', name, '--no-cache']),
    assertion: (name) => outcome(['assertion', name]),
    async export(names, format) {
      const r = await run(['export', ...names, '--format', format]);
      return { ok: r.code === 0, message: r.stderr, content: r.stdout };
    },
    async list() {
      const r = await run(['list', '--json']);
      return JSON.parse(r.stdout) as Array<{ name: string; lastError?: string }>;
    },
  };
}

function appFace(home: string, userKeystoreFile: string, path: string, service: AppService): Face {
  const env = faceEnv(home);
  const seen: string[] = [];
  let n = 0;
  const dispatch = async (channel: string, req: unknown): Promise<Outcome> => {
    const r = await service.dispatch(channel, req);
    seen.push(JSON.stringify(r));
    if (r.ok) return { ok: true, message: '', value: r.value as Record<string, unknown> };
    const bindings = (r.error.detail as { bindings?: Array<{ id: string }> } | undefined)?.bindings;
    return {
      ok: false,
      code: r.error.code,
      message: r.error.message,
      ...(bindings ? { bindings: bindings.map((b) => b.id) } : {}),
    };
  };
  /** The connection as the UI has it: from the list, then connections:get. */
  const connection = async (name: string) => {
    const list = await dispatch('connections:list', {});
    const found = (list.value as unknown as Array<{ id: string; name: string }>).find(
      (c) => c.name === name,
    );
    if (!found) return undefined;
    return (await dispatch('connections:get', { id: found.id })).value;
  };
  const notFound: Outcome = { ok: false, code: 'not_found', message: 'not in the list' };
  return {
    name: 'app',
    home,
    userKeystoreFile,
    evil: evilFor(),
    path,
    env,
    seen,
    import: (content, file, confirm) =>
      (async () => {
        const first = await dispatch('transfer:import', {
          content,
          replace: file.replace === true,
          ...(file.passphrase ? { passphrase: file.passphrase } : {}),
        });
        // The review step: the UI sends back the IDs the user confirmed.
        if (confirm && first.code === 'confirmation_required')
          return dispatch('transfer:import', {
            content,
            replace: file.replace === true,
            confirm: first.bindings,
            ...(file.passphrase ? { passphrase: file.passphrase } : {}),
          });
        return first;
      })(),
    async token(name) {
      const conn = await connection(name);
      if (!conn) return notFound;
      return dispatch('tokens:generate', {
        requestId: `t${n++}`,
        connection: conn,
        useCache: false,
      });
    },
    async assertion(name) {
      const conn = await connection(name);
      if (!conn) return notFound;
      return dispatch('assertions:generate', { requestId: `a${n++}`, connection: conn });
    },
    async export(names, format) {
      const r = await dispatch('transfer:export', { names, format });
      return { ...r, ...(r.value ? { content: String(r.value.content) } : {}) };
    },
    async list() {
      const r = await dispatch('connections:list', {});
      return r.value as unknown as Array<{ name: string; lastError?: string }>;
    },
  };
}

let template: string;
let templateKeystoreFile: string;
const services: AppService[] = [];

/** A fresh copy of the user's data folder (its store names its own keystore files). */
function copyOfUserData(): { home: string; userKeystoreFile: string } {
  const home = mkdtempSync(join(tmpdir(), 'tokensmith-hostile-'));
  cpSync(template, home, { recursive: true });
  const store = join(home, 'store.json');
  writeFileSync(store, readFileSync(store, 'utf8').split(template).join(home));
  return { home, userKeystoreFile: templateKeystoreFile.replace(template, home) };
}

/** A `tokensmith` on PATH for the home, for the `tokensmith assertion` calls of curl exports. */
function cliOnPath(home: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokensmith-path-'));
  writeFileSync(
    join(dir, 'tokensmith'),
    `#!/bin/sh\nexec "${process.execPath}" "${bin}" --data-dir "${home}" "$@"\n`,
  );
  chmodSync(join(dir, 'tokensmith'), 0o755);
  return dir;
}

async function newFace(name: Face['name']): Promise<Face> {
  const { home, userKeystoreFile } = copyOfUserData();
  const path = cliOnPath(home);
  if (name === 'CLI') return cliFace(home, userKeystoreFile, path);
  const env = faceEnv(home);
  const service = createAppService({
    workspace: await openWorkspace(home, env),
    env,
    mode: 'browser',
    version: 'test',
    emit: () => undefined,
  });
  services.push(service);
  return appFace(home, userKeystoreFile, path, service);
}

beforeAll(async () => {
  [evil, legit] = await Promise.all([recorder(), recorder()]);
  outside = mkdtempSync(join(tmpdir(), 'tokensmith-outside-'));
  markerDir = mkdtempSync(join(tmpdir(), 'tokensmith-marker-'));
  const f = await fixtures();
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    f.path('rsa.key'),
    '-in',
    f.path('rsa.crt'),
    '-name',
    'signing',
    '-out',
    join(outside, 'user.p12'),
    '-passout',
    `pass:${SECRETS.keystorePassword}`,
  ]);
  userKeys.push(new X509Certificate(f.read('rsa.crt')).publicKey);
  bait = {
    passwd: join(outside, 'passwd'),
    fifo: join(outside, 'fifo'),
    keystore: join(outside, 'secret.p12'),
  };
  writeFileSync(bait.passwd, `${BAIT_TEXT}\n`);
  copyFileSync(join(outside, 'user.p12'), bait.keystore);
  execFileSync('mkfifo', [bait.fifo]);
  fifoWatcher = spawn('sh', ['-c', 'exec 3>"$1"; echo opened', 'sh', bait.fifo], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  fifoWatcher.stdout?.on('data', () => (fifoOpened = true));
  // Access times older than the modification times: any read moves them (relatime).
  for (const p of [bait.passwd, bait.keystore]) utimesSync(p, OLD, statSync(p).mtime);

  template = mkdtempSync(join(tmpdir(), 'tokensmith-hostile-user-'));
  await (await populate(template, faceEnv(template))).close();
  const keystoreFile = readdirSync(join(template, 'keystores')).find((n) => n.endsWith('.p12'));
  templateKeystoreFile = join(template, 'keystores', keystoreFile as string);
  for (const s of Object.values(SECRETS)) {
    forbidden.push(
      s,
      Buffer.from(s).toString('base64'),
      Buffer.from(s).toString('base64url'),
      Buffer.from(s).toString('hex'),
    );
  }
  forbidden.push(`bait-${RUN}`);
  // The planted value as Basic credentials of client "x" (the echo control sends it so).
  forbidden.push(Buffer.from(`x:${SECRETS.planted}`).toString('base64'));
}, 120_000);

afterAll(async () => {
  // The watcher sees an open: the one made here (the last check above relied on it).
  expectFifoNeverOpened();
  const exited = new Promise((resolve) => fifoWatcher.once('exit', resolve));
  closeSync(openSync(bait.fifo, constants.O_RDONLY | constants.O_NONBLOCK));
  await exited;
  expect(fifoOpened, 'the FIFO watcher saw an open').toBe(true);
  for (const s of services) await s.close();
  evil?.server.close();
  legit?.server.close();
});

const scene = (face: Face): Scene => ({
  evil: face.evil,
  legit: legit.url,
  touch: `touch ${join(markerDir, 'ran')}`,
  bait,
  home: face.home,
  userKeystoreFile: face.userKeystoreFile,
});

const storeBytes = (home: string) => readFileSync(join(home, 'store.json'), 'utf8');

/** Fails naming the secret and where, without printing a possibly huge text. */
function expectNoSecret(text: string, where: string): void {
  const found = forbidden.find((secret) => text.includes(secret));
  expect(
    found,
    `a secret in ${where}: …${text.slice(Math.max(0, text.indexOf(found ?? '') - 80), text.indexOf(found ?? '') + 80)}…`,
  ).toBeUndefined();
}

/** The JWTs in a recorded request. */
const jwtsIn = (text: string) => text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g) ?? [];

async function verifiesWithUserKey(jwt: string): Promise<boolean> {
  for (const key of userKeys) {
    try {
      await jwtVerify(jwt, key, { clockTolerance: 60 });
      return true;
    } catch {
      // not this key
    }
  }
  return false;
}

/** Runs every export of the imported connections; curl and env through shellcheck and bash. */
async function runExports(face: Face, names: string[]): Promise<void> {
  for (const format of ['json', 'curl', 'env', 'server.xml']) {
    const out = await face.export(names, format);
    expect(out.ok, `${format}: ${out.message}`).toBe(true);
    face.seen.push(out.content ?? '');
    if (format !== 'curl' && format !== 'env') continue;
    const file = join(outside, `export-${randomBytes(4).toString('hex')}.${format}`);
    writeFileSync(file, out.content ?? '');
    // As the exports' own test checks them: the env file as POSIX sh, its variables unused here.
    const lint = spawnSync(
      'shellcheck',
      format === 'curl' ? ['-s', 'bash', file] : ['-s', 'sh', '-e', 'SC2034', file],
      { encoding: 'utf8' },
    );
    expect((lint.stdout + lint.stderr).slice(0, 2000), `shellcheck ${format}`).toBe('');
    expect(lint.status).toBe(0);
    // The secrets the script reads from the environment, set to harmless values.
    const needed = [...(out.content ?? '').matchAll(/^# From the environment: (.*)$/gm)]
      .flatMap((m) => (m[1] as string).split(', '))
      .filter((v) => /^[A-Za-z_]\w*$/.test(v));
    const vars = Object.fromEntries(needed.map((v) => [v, 'value-set-for-the-test']));
    const ran = await runBash(
      format === 'curl' ? (out.content ?? '') : `set -a; . ${JSON.stringify(file)}; set +a; env`,
      { ...vars, PATH: `${face.path}:${process.env.PATH ?? ''}` },
    );
    face.seen.push(ran.stdout, ran.stderr);
    // Bash parsed and ran it: no syntax error, no command found where data was meant. (curl
    // may still refuse a hostile URL, or the kernel a megabyte-long argument: that is data.)
    const why = `${format}: ${ran.stderr.slice(0, 300)}`;
    expect(ran.status, why).not.toBe(2);
    expect(ran.stderr, why).not.toMatch(/syntax error|command not found|unexpected EOF/);
  }
}

interface Finding {
  file: string;
  face: string;
  outcome: string;
  requests: number;
  tokenCalls: number;
  expectedTokenCalls: number;
}

/** Imported connections whose token the engine refuses before sending anything, and why. */
const REFUSED_BEFORE_SENDING = new Map<string, RegExp>([
  ['year-long-hmac', /would live 525600 minutes; .* at most 1440 minutes \(24 hours\)/],
]);

/**
 * The token calls of a file that must reach the attacker, from its case: one per connection it
 * imports (at least one where the names vary), less those refused before sending.
 */
function expectedTokenCalls(file: HostileFile): number {
  const o = file.outcome;
  if (!('imports' in o)) return 0;
  if (o.imports.includes('*')) return 1;
  return o.imports.filter((c) => !REFUSED_BEFORE_SENDING.has(c)).length;
}
const findings: Finding[] = [];

async function hostileRun(file: HostileFile, face: Face): Promise<void> {
  const s = scene(face);
  const content = file.content(s);
  const storeBefore = storeBytes(face.home);
  const runPath = new URL(face.evil).pathname;
  const mine = () => evil.received.filter((r) => r.url.startsWith(runPath));
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).join();

  const started = performance.now();
  const result = await face.import(content, file);
  // A bound against hangs (a FIFO opened, a parser stuck), generous for a loaded machine.
  expect(performance.now() - started, 'import time').toBeLessThan(60_000);
  expect(result.message).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
  let imported: string[] = [];
  const o = file.outcome;
  if ('refused' in o) {
    expect(result, result.message).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(result.message).toMatch(o.refused);
  } else if ('confirm' in o) {
    expect(result, result.message).toMatchObject({ ok: false, code: 'confirmation_required' });
    expect(result.bindings).toEqual(o.confirm(s));
    expect(result.message).toMatch(/^(tokensmith: )?Nothing was imported: the file would use/);
  } else {
    expect(result.ok, result.message).toBe(true);
    imported = (result.value?.imported as { connections: string[] }).connections;
    if (!o.imports.includes('*')) expect(imported).toEqual(o.imports);
    if (o.notes) expect((result.value?.notes as string[]).join('\n')).toMatch(o.notes);
  }
  if (!result.ok) expect(storeBytes(face.home), 'store.json after a refusal').toBe(storeBefore);

  // Every connection the file names, or that came in: a token and an assertion.
  // Each imported connection's token call reaches the attacker (so the checks below have
  // something to look at), unless the engine refuses it before sending, for the reason stated.
  let tokenCalls = 0;
  for (const name of new Set([...file.names, ...imported])) {
    const before = mine().length;
    const token = await face.token(name);
    const reached = mine().length - before;
    const assertion = await face.assertion(name);
    if (!imported.includes(name)) {
      expect(token.code, `${name}: token`).toBe('not_found');
      expect(assertion.code, `${name}: assertion`).toBe('not_found');
      expect(reached, `${name}: requests to the attacker`).toBe(0);
    } else if (REFUSED_BEFORE_SENDING.has(name)) {
      expect(token.ok, `${name}: token`).toBe(false);
      expect(token.message).toMatch(REFUSED_BEFORE_SENDING.get(name) as RegExp);
      expect(reached, `${name}: requests to the attacker`).toBe(0);
    } else {
      expect(token.ok, `${name}: token: ${token.message}`).toBe(true);
      expect(reached, `${name}: its token call at the attacker`).toBe(1);
      tokenCalls += 1;
    }
  }
  expect(tokenCalls, 'token calls at the attacker').toBeGreaterThanOrEqual(
    expectedTokenCalls(file),
  );
  if (imported.length) await runExports(face, imported);
  // The app's list carries each connection's last error (the CLI's only names, and a refused
  // import left store.json as it was).
  if (face.name === 'app') {
    const listed = await face.list();
    face.seen.push(JSON.stringify(listed));
    if (!result.ok) expect(listed.map((c) => c.name)).toEqual([USER.connection, 'user-zos']);
  }

  // Nothing ran.
  expect(readdirSync(markerDir), 'marker files').toEqual([]);
  // No bait file was read or deleted.
  for (const p of [bait.passwd, bait.keystore]) {
    expect(existsSync(p)).toBe(true);
    expect(statSync(p).atime.getTime(), `atime of ${p}`).toBe(OLD.getTime());
  }
  expect(statSync(bait.fifo).isFIFO()).toBe(true);
  expectFifoNeverOpened();
  // Nothing of the user's went to the attacker.
  const sent = mine();
  if (!result.ok) expect(sent, 'requests from a refused file').toEqual([]);
  // The token calls, and whatever the exported curl commands sent.
  expect(sent.length).toBeGreaterThanOrEqual(tokenCalls);
  for (const r of sent) {
    expectNoSecret(r.text, `a request to ${r.url.slice(0, 100)}`);
    for (const jwt of jwtsIn(r.text)) {
      expect(await verifiesWithUserKey(jwt), `a JWT sent to ${r.url}`).toBe(false);
      const { iat, exp } = decodeJwt(jwt);
      expect((exp ?? Infinity) - (iat ?? 0)).toBeLessThanOrEqual(24 * 3600);
    }
  }
  // No secret in anything shown.
  for (const text of face.seen.splice(0)) expectNoSecret(text, `what the ${face.name} showed`);
  expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(protoBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  findings.push({
    file: file.name,
    face: face.name,
    outcome: result.ok ? 'imported' : String(result.code),
    requests: sent.length,
    tokenCalls,
    expectedTokenCalls: expectedTokenCalls(file),
  });
}

describe.concurrent(
  `hostile files (${HOSTILE_FILES.length}), each through the CLI and the app`,
  () => {
    it('has at least 25 files, JSON and server.xml', () => {
      expect(HOSTILE_FILES.length).toBeGreaterThanOrEqual(25);
      expect(HOSTILE_FILES.filter((f) => f.format === 'xml').length).toBeGreaterThanOrEqual(8);
    });

    for (const file of HOSTILE_FILES) {
      for (const faceName of ['CLI', 'app'] as const) {
        it(`${faceName}: ${file.name}`, async () => {
          await hostileRun(file, await newFace(faceName));
        }, 180_000);
      }
    }
  },
);

describe('positive controls: once the user confirms, the binding is made (the checks above would see it)', () => {
  const oracle = HOSTILE_FILES[0] as HostileFile;
  it.each(['CLI', 'app'] as const)(
    '%s: the confirmed signing oracle reaches the attacker with a JWT the user’s key verifies, capped at 24 hours',
    async (faceName) => {
      const face = await newFace(faceName);
      const confirmed = await face.import(oracle.content(scene(face)), oracle, 'all');
      expect(confirmed.ok, confirmed.message).toBe(true);
      expect(confirmed.value?.bindings).toMatchObject([{ id: `keystore:${USER.keystore}` }]);
      const token = await face.token('oracle-bearer');
      expect(token.ok, token.message).toBe(true);
      const runPath = new URL(face.evil).pathname;
      const jwts = evil.received
        .filter((r) => r.url.startsWith(runPath))
        .flatMap((r) => jwtsIn(r.text));
      expect(jwts).toHaveLength(1);
      expect(await verifiesWithUserKey(jwts[0] as string)).toBe(true);
      const { iat, exp, sub } = decodeJwt(jwts[0] as string);
      expect(sub).toBe('root');
      expect((exp as number) - (iat as number)).toBe(24 * 3600);
    },
    60_000,
  );

  it.each(['CLI', 'app'] as const)(
    '%s: a confirmed FIFO keystore is refused at once when used, and no bait is read',
    async (faceName) => {
      const face = await newFace(faceName);
      const fifo = HOSTILE_FILES.find((f) =>
        f.name.startsWith('keystore path at a FIFO'),
      ) as HostileFile;
      const confirmed = await face.import(fifo.content(scene(face)), fifo, 'all');
      expect(confirmed.ok, confirmed.message).toBe(true);
      const started = performance.now();
      const token = await face.token('fifo-keystore');
      expect(performance.now() - started).toBeLessThan(15_000);
      expect(token.ok).toBe(false);
      expect(token.message).toMatch(/is not a regular file/);
      expectFifoNeverOpened();
      for (const text of face.seen) expectNoSecret(text, `what the ${face.name} showed`);
      for (const p of [bait.passwd, bait.keystore])
        expect(statSync(p).atime.getTime()).toBe(OLD.getTime());
    },
    60_000,
  );

  it.each(['CLI', 'app'] as const)(
    '%s: a confirmed ${env:…} secret sent to a server that echoes it in an HTML 500 shows in no error or list status',
    async (faceName) => {
      const face = await newFace(faceName);
      const echo = face.evil.replace(/\/token$/, '/echo/token');
      const file: HostileFile = {
        name: 'echo',
        format: 'json',
        content: () =>
          JSON.stringify({
            format: 'tokensmith.connections',
            version: 1,
            connections: ['client_secret_post', 'client_secret_basic'].map((authMethod) => ({
              id: `echo-${authMethod}`,
              name: `echo-${authMethod}`,
              type: 'client_credentials',
              tokenEndpoint: echo,
              client: { id: 'x', secret: `\${env:${USER.plantedVariable}}`, authMethod },
            })),
          }),
        outcome: { imports: [] },
        names: [],
      };
      expect((await face.import(file.content(scene(face)), file, 'all')).ok).toBe(true);
      for (const name of ['echo-client_secret_post', 'echo-client_secret_basic']) {
        const token = await face.token(name);
        expect(token, name).toMatchObject({ ok: false, code: 'http_status' });
      }
      const runPath = new URL(face.evil).pathname.replace(/\/token$/, '');
      const reflected = evil.received.filter((r) => r.url.startsWith(runPath));
      // The server did get (and echo) the confirmed value: the check below has something to find.
      expect(reflected.some((r) => r.text.includes(SECRETS.planted))).toBe(true);
      face.seen.push(JSON.stringify(await face.list()));
      for (const text of face.seen) expectNoSecret(text, `what the ${face.name} showed`);
    },
    60_000,
  );

  it('the access-time check sees a read: a confirmed keystore at another passwd-like file moves its atime', async () => {
    const face = await newFace('app');
    const other = join(outside, 'passwd-read-on-purpose');
    writeFileSync(other, `${BAIT_TEXT}\n`);
    utimesSync(other, OLD, statSync(other).mtime);
    const file: HostileFile = {
      name: 'control',
      format: 'json',
      content: (sc) =>
        JSON.stringify({
          format: 'tokensmith.connections',
          version: 1,
          keystores: [{ name: 'read-me', kind: 'pem', path: other }],
          connections: [
            {
              id: 'read-me',
              name: 'read-me',
              type: 'client_credentials',
              tokenEndpoint: sc.evil,
              client: { id: 'x', authMethod: 'private_key_jwt' },
              jwt: { signing: { keystore: 'read-me' } },
            },
          ],
        }),
      outcome: { imports: ['read-me'] },
      names: ['read-me'],
    };
    // Confirmed, the file's keystore is opened before anything is imported (and refused: the
    // file is not a PEM key); unconfirmed, the same file leaves it unread (the suite above).
    const imported = await face.import(file.content(scene(face)), file, 'all');
    expect(imported.ok).toBe(false);
    expect(statSync(other).atime.getTime()).toBeGreaterThan(OLD.getTime());
  });

  afterAll(() => {
    // One line for the README's figures.
    const byOutcome = new Map<string, number>();
    for (const f of findings) byOutcome.set(f.outcome, (byOutcome.get(f.outcome) ?? 0) + 1);
    // At least the token calls the cases call for (20 of 38 in a full run: the rest are the
    // exported curl commands), so "none with anything of the user's" is not vacuous.
    const requests = findings.reduce((n, f) => n + f.requests, 0);
    const expected = findings.reduce((n, f) => n + f.expectedTokenCalls, 0);
    if (findings.length === HOSTILE_FILES.length * 2) expect(expected).toBeGreaterThanOrEqual(20);
    expect(findings.reduce((n, f) => n + f.tokenCalls, 0)).toBeGreaterThanOrEqual(expected);
    expect(requests, 'requests that reached the attacker').toBeGreaterThanOrEqual(expected);
    console.log(
      `hostile-input: ${findings.length} runs (${HOSTILE_FILES.length} files × 2 faces): ${[...byOutcome].map(([k, v]) => `${k} ${v}`).join(', ')}; ${requests} requests reached the attacker, none with anything of the user's`,
    );
  });
});
