/** Exports written to a path the user chose replace the file: mode 0600, whatever it was. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePrivateFile } from '../../../electron/core/store/atomic-file.js';
import { failure } from '../../support/engine.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokensmith-private-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writePrivateFile', () => {
  it('an existing 0644 file ends up 0600 with the new content, no temporary file left', async () => {
    const path = join(dir, 'export.json');
    writeFileSync(path, 'old, world-readable', { mode: 0o644 });
    expect(statSync(path).mode & 0o777).toBe(0o644);
    await writePrivateFile(path, '{"secret":"new"}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('{"secret":"new"}\n');
    expect(readdirSync(dir)).toEqual(['export.json']);
  });

  it('a new file is 0600 too', async () => {
    const path = join(dir, 'fresh.env');
    await writePrivateFile(path, 'A=1\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a folder in the way is a clear error, and nothing is left behind', async () => {
    const path = join(dir, 'is-a-folder');
    mkdirSync(path);
    const e = await failure(writePrivateFile(path, 'x'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^Cannot write .*is-a-folder \(E[A-Z]+\): choose a file/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
