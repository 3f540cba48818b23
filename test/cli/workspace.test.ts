/**
 * Workspace folders from the command line: the example workspace in the repository opens
 * cleanly and gets tokens from the sandbox; `workspace status` names each problem of a hand-edited
 * file (file, line, JSON pointer) and exits 3; `workspace init --copy-connections` moves the
 * personal store's connections into files without their secret values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET, SANDBOX_USER } from '../../sandbox/authorization-server.js';
import { runCli } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';

const example = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'examples',
  'sandbox-workspace',
);
let sandbox: Sandbox;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tokensmith-ws-'));
  sandbox = await startSandbox({
    dataDir: join(root, 'sandbox-data'),
    port: 0,
    jwkPort: await freePort(),
  });
});
afterAll(() => sandbox?.close());

/** A copy of the example pointing at this test's sandbox instead of port 9400. */
function exampleCopy(): string {
  const dir = join(root, `example-${Math.random().toString(36).slice(2)}`);
  cpSync(example, dir, { recursive: true });
  for (const f of readdirSync(join(dir, 'connections'))) {
    const path = join(dir, 'connections', f);
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replaceAll('http://127.0.0.1:9400', sandbox.server.issuer),
    );
  }
  return dir;
}

describe('the example workspace (examples/sandbox-workspace)', () => {
  it('opens with no problems and gets tokens from the sandbox', async () => {
    const dir = exampleCopy();
    const data = join(root, 'example-user');
    const run = (args: string[], stdin?: string) =>
      runCli(['--data-dir', data, ...args], {
        cwd: join(dir, 'connections'),
        env: { SANDBOX_CLIENT_SECRET: SANDBOX_SECRET, SANDBOX_PASSWORD: SANDBOX_USER.password },
        ...(stdin !== undefined ? { stdin } : {}),
      });
    const status = await run(['workspace', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      kind: 'folder',
      name: 'Sandbox',
      problems: [],
    });
    const names = (
      JSON.parse((await run(['list', '--json'])).stdout) as Array<{ name: string }>
    ).map((c) => c.name);
    expect(names.sort()).toEqual([
      'sandbox-authorization-code',
      'sandbox-client-credentials',
      'sandbox-client-secret-post',
      'sandbox-password',
    ]);
    // The example's \${env:} secrets are bindings: confirmed once, as a CI job would.
    const untrusted = await run(['token', 'sandbox-client-credentials']);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain('environment variable SANDBOX_CLIENT_SECRET');
    expect((await run(['workspace', 'trust', '--yes'])).code).toBe(0);
    for (const name of ['sandbox-client-credentials', 'sandbox-password']) {
      const token = await run(['token', name]);
      expect(token.code, `${name}: ${token.stderr}`).toBe(0);
      const api = await fetch(sandbox.server.apiUrl, {
        headers: { authorization: `Bearer ${token.stdout}` },
      });
      expect(api.status).toBe(200);
    }
    expect(
      (await run(['secret', 'set', 'sandbox-client-secret-post', 'client-secret'], SANDBOX_SECRET))
        .code,
    ).toBe(0);
    const post = await run(['token', 'sandbox-client-secret-post']);
    expect(post.code, post.stderr).toBe(0);
    // Nothing was written into the example's files by using it.
    for (const f of readdirSync(join(example, 'connections')))
      expect(readFileSync(join(dir, 'connections', f), 'utf8')).toBe(
        readFileSync(join(example, 'connections', f), 'utf8').replaceAll(
          'http://127.0.0.1:9400',
          sandbox.server.issuer,
        ),
      );
  }, 120_000);
});

describe('tokensmith workspace', () => {
  it('status names each problem with its file, line and pointer, and exits 3', async () => {
    const dir = exampleCopy();
    writeFileSync(
      join(dir, 'connections', 'leaky.yaml'),
      'name: leaky\ntype: client_credentials\nissuer: https://login.example.com\nclient:\n  id: x\n  secret: hunter2-value\n',
    );
    writeFileSync(
      join(dir, 'connections', 'broken.yaml'),
      'name: broken\ntype: password\ntokenEndpoint: not a url\n',
    );
    const run = await runCli([
      '--data-dir',
      join(root, 'status-user'),
      '--workspace',
      dir,
      'workspace',
      'status',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'connections/leaky.yaml:6 /client/secret: A secret value does not belong in a workspace file',
    );
    expect(run.stderr).toContain('`tokensmith secret set leaky client.secret`');
    expect(run.stderr).toContain(
      'connections/broken.yaml:3 /tokenEndpoint: Enter an absolute http:// or https:// URL',
    );
    expect(run.stderr).not.toContain('hunter2-value');
    // The good files still work.
    const list = await runCli([
      '--data-dir',
      join(root, 'status-user'),
      '--workspace',
      dir,
      'list',
    ]);
    expect(list.stdout).toContain('sandbox-password');
    expect(list.stdout).not.toContain('leaky');
  }, 60_000);

  it('init --copy-connections writes the personal connections as files, secrets left in the user store', async () => {
    const dir = join(root, 'copied');
    const run = await runCli([
      '--data-dir',
      sandbox.workspace.dataDir,
      'workspace',
      'init',
      dir,
      '--name',
      'Copied',
      '--copy-connections',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const files = readdirSync(join(dir, 'connections'));
    const personal = (await sandbox.workspace.store.read()).connections.length;
    expect(files).toHaveLength(personal);
    expect(run.stderr).toMatch(
      new RegExp(`^Created the workspace "Copied" in .+ with ${personal} connection\\(s\\)\\.`),
    );
    expect(files).toContain('sandbox-password.yaml');
    const all = files.map((f) => readFileSync(join(dir, 'connections', f), 'utf8')).join('\n');
    expect(all).not.toContain(SANDBOX_SECRET);
    expect(all).not.toContain(SANDBOX_USER.password);
    const token = await runCli(
      ['--data-dir', sandbox.workspace.dataDir, 'token', 'sandbox-password'],
      { cwd: dir },
    );
    expect(token.code, token.stderr).toBe(0);
  }, 60_000);
});
