/**
 * Two users share a workspace through git: a workspace is created and pushed to a local
 * repository, cloned into two working copies with two data folders, each user sets their own
 * secrets and gets tokens from the sandbox, a change pushed by one is seen by the other after a
 * pull, and no secret value is ever found in the repository's history (`git log -p`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET, SANDBOX_USER } from '../../sandbox/authorization-server.js';
import { runCli, type CliOptions } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';

let sandbox: Sandbox;
let root: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );

interface User {
  dir: string;
  dataDir: string;
  run(args: string[], options?: CliOptions): ReturnType<typeof runCli>;
}

function user(name: string): User {
  const dir = join(root, name);
  const dataDir = join(root, `${name}-data`);
  return {
    dir,
    dataDir,
    run: (args, options = {}) => runCli(['--data-dir', dataDir, ...args], { cwd: dir, ...options }),
  };
}

async function ok(run: Promise<Awaited<ReturnType<typeof runCli>>>) {
  const r = await run;
  expect(r.code, r.stderr).toBe(0);
  return r;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tokensmith-team-'));
  sandbox = await startSandbox({
    dataDir: join(root, 'sandbox-data'),
    port: 0,
    jwkPort: await freePort(),
  });
  git(root, 'init', '--bare', '-q', 'origin.git');
});
afterAll(() => sandbox?.close());

describe('a workspace shared in git by two users', () => {
  it('each user sets their own secret, both get tokens, a pushed change is seen after a pull, no secret in history', async () => {
    const alice = user('alice');
    const bob = user('bob');
    git(root, 'clone', '-q', 'origin.git', 'alice');
    await ok(alice.run(['workspace', 'init', '.', '--name', 'Payments team']));
    // Only the issuer: the endpoints are discovered when the connection is used.
    await ok(
      alice.run([
        'connection',
        'add',
        'payments-api',
        '--type',
        'client_credentials',
        '--issuer',
        sandbox.server.issuer,
        '--client-id',
        'cc-basic',
        '--scope',
        'api:read',
      ]),
    );
    await ok(
      alice.run(['secret', 'set', 'payments-api', 'client-secret'], {
        stdin: `${SANDBOX_SECRET}\n`,
      }),
    );
    const aliceToken = await ok(alice.run(['token', 'payments-api']));
    expect(aliceToken.stdout).toMatch(/^[\w-]{20,}$/);
    git(alice.dir, 'add', '-A');
    git(alice.dir, 'commit', '-q', '-m', 'Payments API connection');
    git(alice.dir, 'push', '-q', 'origin', 'HEAD:main');

    git(root, 'clone', '-q', '--branch', 'main', 'origin.git', 'bob');
    const listed = await ok(bob.run(['list']));
    expect(listed.stdout).toContain('payments-api');
    // Bob has no secret yet: refused before anything is sent, never sent with Alice's.
    const refused = await bob.run(['token', 'payments-api']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('needs a Client Secret');
    await ok(
      bob.run(['secret', 'set', 'payments-api', 'client-secret'], { stdin: SANDBOX_SECRET }),
    );
    const bobToken = await ok(bob.run(['token', 'payments-api', '--json']));
    const bobResult = JSON.parse(bobToken.stdout) as { token: string; source: string };
    expect(bobResult.source).toBe('network');
    expect(bobResult.token).not.toBe(aliceToken.stdout);
    for (const token of [aliceToken.stdout, bobResult.token]) {
      const api = await fetch(sandbox.server.apiUrl, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(api.status).toBe(200);
    }

    // Bob adds a password-grant connection whose user password is a reference, and pushes it.
    await ok(
      bob.run([
        'connection',
        'add',
        'payments-user',
        '--type',
        'password',
        '--issuer',
        sandbox.server.issuer,
        '--client-id',
        'ropc-basic',
        '--username',
        SANDBOX_USER.username,
        '--password',
        '${env:PAYMENTS_PASSWORD}',
        '--scope',
        'api:read',
      ]),
    );
    await ok(
      bob.run(['secret', 'set', 'payments-user', 'client.secret'], { stdin: SANDBOX_SECRET }),
    );
    git(bob.dir, 'add', '-A');
    git(bob.dir, 'commit', '-q', '-m', 'Payments user connection');
    git(bob.dir, 'push', '-q', 'origin', 'HEAD:main');

    const before = await ok(alice.run(['list']));
    expect(before.stdout).not.toContain('payments-user');
    git(alice.dir, 'pull', '-q', 'origin', 'main');
    const after = await ok(alice.run(['list', '--json']));
    expect((JSON.parse(after.stdout) as Array<{ name: string }>).map((c) => c.name).sort()).toEqual(
      ['payments-api', 'payments-user'],
    );
    await ok(
      alice.run(['secret', 'set', 'payments-user', 'client-secret'], { stdin: SANDBOX_SECRET }),
    );
    // Bob's \${env:} reference is his teammate's file to Alice: refused until she confirms it.
    const untrusted = await alice.run(['token', 'payments-user'], {
      env: { PAYMENTS_PASSWORD: SANDBOX_USER.password },
    });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain('not confirmed');
    expect(untrusted.stderr).toContain('environment variable PAYMENTS_PASSWORD');
    await ok(alice.run(['workspace', 'trust', '--yes']));
    const missing = await alice.run(['token', 'payments-user']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('PAYMENTS_PASSWORD');
    const userToken = await ok(
      alice.run(['token', 'payments-user'], { env: { PAYMENTS_PASSWORD: SANDBOX_USER.password } }),
    );
    expect(userToken.stdout).toMatch(/^[\w-]{20,}$/);

    // Nothing secret in any commit, nor in the working copies.
    const history = git(root + '/alice', 'log', '-p', '--all');
    expect(history).toContain('payments-user');
    for (const secret of [
      SANDBOX_SECRET,
      SANDBOX_USER.password,
      aliceToken.stdout,
      bobResult.token,
    ]) {
      for (const form of [
        secret,
        Buffer.from(secret).toString('base64'),
        Buffer.from(secret).toString('hex'),
      ])
        expect(
          history.includes(form),
          `found a secret (${secret.slice(0, 0)}…) in git log -p`,
        ).toBe(false);
    }
    const files = readdirSync(join(alice.dir, 'connections')).map((f) =>
      readFileSync(join(alice.dir, 'connections', f), 'utf8'),
    );
    expect(files.join('\n')).toContain('${env:PAYMENTS_PASSWORD}');
    expect(files.join('\n')).not.toContain(SANDBOX_SECRET);
  }, 240_000);
});
