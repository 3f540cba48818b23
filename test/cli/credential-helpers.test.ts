/**
 * The CLI's credential helpers against the sandbox, driven as their users drive them:
 * `tokensmith exec` runs real children (token in the environment, exit status and signals passed
 * on, no shell, 127 for a missing command); `credential kubectl` is the exec plugin of the real
 * kubectl, talking to an HTTPS API on loopback that accepts only what the sandbox accepts;
 * `credential git` is the helper of the real `git credential fill|reject|approve`, in a temporary
 * HOME, for the host named and no other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { sandboxTls } from '../../sandbox/sandbox-tls.js';
import { CLI_BIN, runCli, type CliOptions, type CliRun } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';

let sandbox: Sandbox;
let dataDir: string;
let home: string;
const CC = 'sandbox-client-credentials';
// kubectl is not a Debian package (bookworm dropped kubernetes-client): where it is not installed
// the ExecCredential's format test above stands alone and the run through kubectl is skipped.
const HAS_KUBECTL = !spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error;
const PASSWORD = 'sandbox-password';
const GLOBAL = ['--data-dir', '', '--no-workspace'];
const cli = (args: string[], options: CliOptions = {}) =>
  runCli([...GLOBAL.map((a) => a || dataDir), ...args], options);
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function tokenOf(name: string): Promise<{ token: string; expiresAt: string }> {
  const run = await cli(['token', name, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { token: string; expiresAt: string };
}

async function apiAccepts(token: string): Promise<boolean> {
  const res = await fetch(sandbox.server.apiUrl, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status === 200;
}

/** Runs a program with only the environment given, stdin written then closed, bounded in time. */
function runTool(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? home,
      env: { PATH: process.env.PATH ?? '', HOME: home, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

/** `tokensmith exec` of a child that says "ready", then `signal` sent to Tokensmith only. */
function execThenSignal(childScript: string, signal: NodeJS.Signals): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        CLI_BIN,
        ...GLOBAL.map((a) => a || dataDir),
        'exec',
        CC,
        '--',
        process.execPath,
        '-e',
        childScript,
      ],
      {
        env: { PATH: process.env.PATH ?? '', TOKENSMITH_SECRET_KEY_STORE: 'file' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const bound = setTimeout(() => child.kill('SIGKILL'), 15_000);
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes('ready')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(bound);
      resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-helpers-'));
  home = mkdtempSync(join(tmpdir(), 'tokensmith-helpers-home-'));
  sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
});
afterAll(() => sandbox?.close());

describe('tokensmith exec', () => {
  const print = [process.execPath, '-e', 'process.stdout.write(process.env.TOKENSMITH_TOKEN)'];

  it('gives a real child the token in --env NAME, and its exit code back', async () => {
    const check = `fetch(process.argv[1], { headers: { authorization: 'Bearer ' + process.env.API_TOKEN } })
      .then((r) => { process.stdout.write(process.env.API_TOKEN); process.exit(r.status === 200 && !('TOKENSMITH_TOKEN' in process.env) ? 42 : 1); })`;
    const [run, badName] = await Promise.all([
      cli([
        'exec',
        CC,
        '--env',
        'API_TOKEN',
        '--',
        process.execPath,
        '-e',
        check,
        sandbox.server.apiUrl,
      ]),
      cli(['exec', CC, '--env', 'A-B', '--', 'true']),
    ]);
    expect(run.code, run.stderr).toBe(42);
    expect(run.stdout.length).toBeGreaterThan(20);
    expect(run.stderr).not.toContain(run.stdout);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toBe(
      'tokensmith: --env takes a variable name (letters, digits, _), not "A-B".',
    );
  });

  it('passes arguments as written (no shell reads them); 127 for a missing command, 126 for one that cannot run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tokensmith-exec-cwd-'));
    const args = [
      '$TOKENSMITH_TOKEN',
      '$(touch pwned)',
      '`touch pwned`',
      '; touch pwned',
      '&& touch pwned',
      '| tee pwned',
      '> pwned',
      '*',
      'two words',
      `'single' "double" \\`,
      '--help',
    ];
    const plain = join(home, 'not-executable');
    writeFileSync(plain, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const [run, missing, spaced, denied] = await Promise.all([
      cli(
        [
          'exec',
          CC,
          '--',
          process.execPath,
          '-e',
          'console.log(JSON.stringify(process.argv.slice(1)))',
          ...args,
        ],
        { cwd },
      ),
      cli(['exec', CC, '--', 'tokensmith-no-such-command', 'x']),
      // Without a shell, "node -e 1" is one (missing) program's name.
      cli(['exec', CC, '--', `${process.execPath} -e 1`]),
      cli(['exec', CC, '--', plain]),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(args);
    expect(readdirSync(cwd)).toEqual([]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe('tokensmith: "tokensmith-no-such-command": command not found.');
    expect(spaced.code).toBe(127);
    expect(denied.code).toBe(126);
    expect(denied.stderr).toBe(`tokensmith: ${JSON.stringify(plain)}: cannot run it (EACCES).`);
  });

  it('passes a signal death on as 128 + n, and forwards SIGTERM and SIGINT to the child', async () => {
    const handles = `process.on('SIGTERM', () => process.exit(21)); console.log('ready'); setInterval(() => {}, 1000)`;
    const plain = `console.log('ready'); setInterval(() => {}, 1000)`;
    const [killed, term, int] = await Promise.all([
      cli(['exec', CC, '--', process.execPath, '-e', `process.kill(process.pid, 'SIGKILL')`]),
      execThenSignal(handles, 'SIGTERM'),
      execThenSignal(plain, 'SIGINT'),
    ]);
    expect(killed.code).toBe(137);
    expect(term.code, term.stderr).toBe(21);
    expect(int.code, int.stderr).toBe(130);
  });

  it('--min-valid renews a cached token with less left before the command starts, and says the new one is short', async () => {
    const sequence = async (name: string, minValid: string) => {
      const cached = await cli(['exec', name, '--', ...print]);
      const renewed = await cli(['exec', name, '--min-valid', minValid, '--', ...print]);
      const after = await cli(['exec', name, '--', ...print]);
      return { cached: cached.stdout, renewed, after: after.stdout };
    };
    // With a refresh token (password grant, offline_access): refreshed; without (client
    // credentials): obtained anew. Either way the new token is cached.
    // (One after the other: each process writes the whole cache file it read.)
    const [refreshed, bad] = await Promise.all([
      sequence(PASSWORD, '2h'),
      cli(['exec', CC, '--min-valid', 'soon', '--', 'true']),
    ]);
    const anew = await sequence(CC, '90m');
    for (const { cached, renewed, after } of [refreshed, anew]) {
      expect(renewed.code, renewed.stderr).toBe(0);
      expect(renewed.stdout).not.toBe(cached);
      expect(after).toBe(renewed.stdout);
      expect(await apiAccepts(renewed.stdout)).toBe(true);
      expect(renewed.stderr).toMatch(
        /lasts \d+ min, less than --min-valid \d+ (h|min): a command running longer/,
      );
      expect(renewed.stderr).not.toContain(renewed.stdout);
    }
    expect(bad.stderr).toBe(
      'tokensmith: --min-valid is a duration such as 90, 90s, 5m or 1h, not "soon".',
    );
  });
});

describe('tokensmith credential kubectl', () => {
  let api: Server;
  let apiUrl: string;
  let truststore: string;

  beforeAll(async () => {
    const tls = await sandboxTls(dataDir);
    truststore = tls.truststorePath;
    // A Kubernetes API stand-in: it lets in what the sandbox's protected API lets in.
    api = createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => {
      const auth = req.headers.authorization ?? '';
      void (async () => {
        const ok = auth.startsWith('Bearer ') && (await apiAccepts(auth.slice(7)));
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            ok
              ? { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }
              : { kind: 'Status', status: 'Failure', code: 401 },
          ),
        );
      })();
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `https://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => api?.close());

  it('prints an ExecCredential: v1 by default, the token and its expiry in RFC 3339', async () => {
    const info = (apiVersion: string) => ({
      env: {
        KUBERNETES_EXEC_INFO: JSON.stringify({
          apiVersion,
          kind: 'ExecCredential',
          spec: { interactive: false },
        }),
      },
    });
    const [run, beta, alpha, { token, expiresAt }] = await Promise.all([
      cli(['credential', 'kubectl', CC]),
      cli(['credential', 'kubectl', CC], info('client.authentication.k8s.io/v1beta1')),
      cli(['credential', 'kubectl', CC], info('client.authentication.k8s.io/v1alpha1')),
      tokenOf(CC),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const cred = JSON.parse(run.stdout) as {
      apiVersion: string;
      kind: string;
      status: { token: string; expirationTimestamp: string };
    };
    expect(Object.keys(cred)).toEqual(['apiVersion', 'kind', 'status']);
    expect(cred.apiVersion).toBe('client.authentication.k8s.io/v1');
    expect(cred.kind).toBe('ExecCredential');
    expect(cred.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(cred.status.token).toBe(token);
    const skew = Date.parse(expiresAt) - Date.parse(cred.status.expirationTimestamp);
    expect(skew >= 0 && skew < 1000).toBe(true);
    expect(run.stderr).toBe('');
    expect((JSON.parse(beta.stdout) as { apiVersion: string }).apiVersion).toBe(
      'client.authentication.k8s.io/v1beta1',
    );
    expect(alpha.code).toBe(3);
    expect(alpha.stdout).toBe('');
    expect(alpha.stderr).toContain('kubectl asks for client.authentication.k8s.io/v1alpha1');
  });

  it.skipIf(!HAS_KUBECTL)('is the exec plugin of the real kubectl (v1 and v1beta1)', async () => {
    const kubectl = async (apiVersion: string) => {
      const kubeconfig = join(home, `kubeconfig-${apiVersion.split('/')[1]}`);
      const user = {
        exec: {
          apiVersion,
          command: process.execPath,
          args: [CLI_BIN, '--data-dir', dataDir, '--no-workspace', 'credential', 'kubectl', CC],
          env: [{ name: 'TOKENSMITH_SECRET_KEY_STORE', value: 'file' }],
          ...(apiVersion.endsWith('/v1') ? { interactiveMode: 'Never' } : {}),
        },
      };
      // JSON is YAML: kubectl reads this file as users write theirs.
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 'c', cluster: { server: apiUrl, 'certificate-authority': truststore } },
          ],
          users: [{ name: 'u', user }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'c',
        }),
      );
      return runTool('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/api']);
    };
    const runs = await Promise.all(
      ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'].map(kubectl),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'APIVersions' });
    }
  });
});

describe('tokensmith credential git', () => {
  const HOST = 'git.example.test';
  const helperFor = () =>
    `!${sq(process.execPath)} ${sq(CLI_BIN)} --data-dir ${sq(dataDir)} --no-workspace credential git ${CC} --host ${HOST}`;
  const git = (config: string[], args: string[], stdin: string) =>
    runTool('git', [...config.flatMap((c) => ['-c', c]), 'credential', ...args], {
      stdin,
      env: {
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        TOKENSMITH_SECRET_KEY_STORE: 'file',
      },
    });

  it('answers git credential fill for the host named (credential.https://HOST.helper)', async () => {
    const [run, direct, { token, expiresAt }] = await Promise.all([
      git(
        [`credential.https://${HOST}.helper=${helperFor()}`],
        ['fill'],
        `protocol=https\nhost=${HOST}\n\n`,
      ),
      // What the helper itself says (git ≥ 2.41 keeps password_expiry_utc; an older git drops it).
      cli(['credential', 'git', CC, '--host', HOST, 'get'], {
        stdin: `protocol=https\nhost=${HOST}\nusername=alice\n\n`,
      }),
      tokenOf(CC),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const got = new Map(
      run.stdout.split('\n').map((l) => l.split(/=(.*)/s, 2) as [string, string]),
    );
    expect(got.get('username')).toBe('oauth2');
    expect(got.get('password')).toBe(token);
    expect(await apiAccepts(token)).toBe(true);
    expect(run.stderr).not.toContain(token);
    expect(direct.stdout.split('\n')).toEqual([
      'username=alice',
      `password=${token}`,
      `password_expiry_utc=${Math.floor(Date.parse(expiresAt) / 1000)}`,
    ]);
  });

  it('gives nothing to any other origin, even as the only helper (credential.helper)', async () => {
    const requests = [
      'protocol=https\nhost=evil.example.test',
      `protocol=https\nhost=${HOST}.evil.example`,
      `protocol=https\nhost=${HOST}:8443`,
      `protocol=http\nhost=${HOST}`,
      `protocol=https\nhost=evil@${HOST}`,
    ];
    const [token, ...runs] = await Promise.all([
      tokenOf(CC).then((t) => t.token),
      ...requests.map((r) => git([`credential.helper=${helperFor()}`], ['fill'], `${r}\n\n`)),
    ]);
    for (const run of runs as CliRun[]) {
      expect(run.code).not.toBe(0); // no helper answered, and git may not prompt
      expect(run.stdout).not.toContain('password=');
      expect(run.stderr).toContain(`the token of "${CC}" goes only to https://${HOST} (--host)`);
      expect(run.stderr).not.toContain(token as string);
    }
  });

  it('erase (git credential reject) clears the cached token only when git names it; store does nothing', async () => {
    const config = [`credential.https://${HOST}.helper=${helperFor()}`];
    const { token } = await tokenOf(CC);
    const cachedOf = async () =>
      (
        JSON.parse((await cli(['cache', 'list', '--json'])).stdout) as Array<{ connection: string }>
      ).filter((e) => e.connection === CC).length;
    const request = (password: string) =>
      `protocol=https\nhost=${HOST}\nusername=oauth2\npassword=${password}\n\n`;
    const [approved, wrong] = await Promise.all([
      git(config, ['approve'], request(token)),
      git(config, ['reject'], request(`${token}x`)),
    ]);
    expect([approved.code, wrong.code]).toEqual([0, 0]);
    expect(await cachedOf()).toBe(1);
    const rejected = await git(config, ['reject'], request(token));
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stderr).toBe(
      `tokensmith: git reported the token of "${CC}" refused; cleared it from the cache.`,
    );
    expect(await cachedOf()).toBe(0);
    expect(readdirSync(home).filter((f) => f.startsWith('.git'))).toEqual([]);
  });

  it('needs --host, and a host, not a URL with a path', async () => {
    const [none, path] = await Promise.all([
      cli(['credential', 'git', CC, 'get']),
      cli(['credential', 'git', CC, '--host', 'https://git.example.test/org', 'get']),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('credential git needs --host');
    expect(path.code).toBe(2);
    expect(path.stderr).toContain('--host takes a host');
  });
});
