/**
 * `tokensmith import` of a file that would use the user's things: refused without a terminal
 * unless --allow-bind; at a terminal (a real pseudo-terminal, through util-linux `script`) one
 * question per binding; `tokensmith settings` sets the variables imports may use unasked.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tokensmith.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(home: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--data-dir', home, ...args], {
      env: { PATH: process.env.PATH ?? '', TOKENSMITH_SECRET_KEY_STORE: 'file' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

/** The CLI at a terminal: `script` gives it a pseudo-terminal and types `answers`. */
function atTerminal(home: string, args: string[], answers: string): Promise<Run> {
  return new Promise((resolve) => {
    const command = [process.execPath, bin, '--data-dir', home, ...args]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', TERM: 'dumb', TOKENSMITH_SECRET_KEY_STORE: 'file' },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.end(answers);
    child.on('close', (code) => resolve({ code, stdout: stdout.replace(/\r/g, ''), stderr: '' }));
  });
}

let outside: string;
let file: string;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'tokensmith-confirm-'));
  file = join(outside, 'shared.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'tokensmith.connections',
      version: 1,
      keystores: [{ name: 'theirs', kind: 'pem', path: join(outside, 'theirs.pem') }],
      connections: [
        {
          id: 'c',
          name: 'from a colleague',
          type: 'client_credentials',
          tokenEndpoint: 'https://login.example.test/token',
          client: { id: 'app', secret: '${env:MYAPP_SECRET}' },
        },
      ],
    }),
  );
});

const home = () => mkdtempSync(join(tmpdir(), 'tokensmith-confirm-home-'));
const names = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as { connections: unknown[] })
    .connections.length;

describe('tokensmith import: bindings to confirm', () => {
  it('without a terminal: refused (exit 3) with the list and how to confirm; --allow-bind imports', async () => {
    const dir = home();
    const refused = await cli(dir, ['import', file]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(
      `tokensmith: Nothing was imported: the file would use 2 things of yours, which you must confirm first:
  - environment variable MYAPP_SECRET: its value is the client secret of "from a colleague", used in its requests to https://login.example.test/token.
  - file ${join(outside, 'theirs.pem')}: read as the file of keystore "theirs".
Run the import at a terminal to confirm each, or with --allow-bind to confirm them all.`,
    );
    const json = await cli(dir, ['import', file, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: 'confirmation_required',
      bindings: [
        { id: 'env:MYAPP_SECRET', kind: 'env', name: 'MYAPP_SECRET', usedBy: ['from a colleague'] },
        { id: `path:${join(outside, 'theirs.pem')}`, kind: 'path', usedBy: [] },
      ],
    });
    const allowed = await cli(dir, ['import', file, '--allow-bind']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('Confirmed:\n  - environment variable MYAPP_SECRET:');
    expect(names(dir)).toBe(1);
  });

  it('at a terminal: one question per binding; a no imports nothing, yes to all imports', async () => {
    const dir = home();
    const no = await atTerminal(dir, ['import', file], 'y\nn\n');
    expect(no.code).toBe(3);
    expect(no.stdout).toContain('The file would use 2 thing(s) of yours:');
    expect(no.stdout).toContain(
      'environment variable MYAPP_SECRET: its value is the client secret of "from a colleague"',
    );
    expect(no.stdout).toContain(
      `tokensmith: Nothing was imported: you did not allow file ${join(outside, 'theirs.pem')}: read as the file of keystore "theirs".`,
    );
    const yes = await atTerminal(dir, ['import', file], 'y\nyes\n');
    expect(yes.code, yes.stdout).toBe(0);
    expect(yes.stdout).toContain('Imported 1 connection(s), 1 keystore(s), 0 proxy alias(es).');
    expect(names(dir)).toBe(1);
  });

  it('end of input at the prompt is a no', async () => {
    const dir = home();
    const eof = await atTerminal(dir, ['import', file], '');
    expect(eof.code).toBe(3);
    expect(eof.stdout).toContain('Nothing was imported: you did not allow environment variable');
  });

  it('settings: an env allow-list lets chosen variables through; bad prefixes are refused', async () => {
    const dir = home();
    const bad = await cli(dir, ['settings', 'set', 'env-allow-prefixes', 'MY APP']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/envAllowPrefixes\.0: An environment variable prefix is letters/);
    const set = await cli(dir, ['settings', 'set', 'env-allow-prefixes', 'MYAPP_,CI_']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toBe(
      'Imported files may refer to variables starting with MYAPP_, CI_ without asking.',
    );
    expect(JSON.parse((await cli(dir, ['settings', '--json'])).stdout)).toMatchObject({
      envAllowPrefixes: ['MYAPP_', 'CI_'],
    });
    // Only the file path is left to confirm.
    const refused = await cli(dir, ['import', file, '--json']);
    expect(
      (JSON.parse(refused.stdout) as { bindings: Array<{ id: string }> }).bindings.map((b) => b.id),
    ).toEqual([`path:${join(outside, 'theirs.pem')}`]);
    const cleared = await cli(dir, ['settings', 'set', 'env-allow-prefixes', '']);
    expect(cleared.stderr).toBe(
      'Every environment variable an imported file refers to needs your confirmation.',
    );
    expect((await cli(dir, ['settings', 'set', 'nope', 'x'])).code).toBe(2);
  });
});
