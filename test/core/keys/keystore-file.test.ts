/**
 * Keystore and certificate files are read only when they are regular files of at most 10 MB:
 * a FIFO, a device, a directory or a huge file named by an imported connection is refused at
 * once, with a message about that path only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KEYSTORE_FILE_MAX_BYTES,
  readKeystoreFile,
} from '../../../electron/core/keys/keystore-file.js';
import { ResourceRegistry } from '../../../electron/core/resources.js';
import { keystoreEntry } from '../../../shared/resources.js';
import { failure } from '../../support/engine.js';
import { fixtures } from '../../support/fixtures.js';

let dir: string;
const LABEL = 'keystore "pick"';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokensmith-keystore-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rejects when `p` has not settled within `ms`: a hang fails the test instead of stalling it. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('readKeystoreFile', () => {
  it('reads a regular file, also through a symbolic link', async () => {
    const f = await fixtures();
    const link = join(dir, 'link.p12');
    symlinkSync(f.path('rsa.p12'), link);
    expect((await readKeystoreFile(link, LABEL)).equals(f.read('rsa.p12'))).toBe(true);
    expect((await readKeystoreFile(f.path('ca.crt'), LABEL)).equals(f.read('ca.crt'))).toBe(true);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    const e = await failure(within(readKeystoreFile(fifo, LABEL), 2000));
    expect(performance.now() - started).toBeLessThan(500);
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(`The file of ${LABEL} is not a regular file: ${fifo}`);
  });

  it('refuses /dev/zero at once (a device would never end)', async () => {
    const started = performance.now();
    const e = await failure(within(readKeystoreFile('/dev/zero', LABEL), 2000));
    expect(performance.now() - started).toBeLessThan(200);
    expect(e.message).toBe(`The file of ${LABEL} is not a regular file: /dev/zero`);
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'folder.p12');
    mkdirSync(sub);
    const e = await failure(readKeystoreFile(sub, LABEL));
    expect(e.message).toBe(`The file of ${LABEL} is not a regular file: ${sub}`);
  });

  it('refuses a file over 10 MB, and reads one of exactly 10 MB', async () => {
    const big = join(dir, 'big.p12');
    writeFileSync(big, '');
    truncateSync(big, 11 * 1024 * 1024);
    const e = await failure(readKeystoreFile(big, LABEL));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(`The file of ${LABEL} is larger than 10 MB: ${big}`);

    const limit = join(dir, 'limit.p12');
    writeFileSync(limit, '');
    truncateSync(limit, KEYSTORE_FILE_MAX_BYTES);
    expect((await readKeystoreFile(limit, LABEL)).length).toBe(KEYSTORE_FILE_MAX_BYTES);
  });

  it('names only the configured path when it is missing or unreadable', async () => {
    const missing = join(dir, 'nope', 'store.p12');
    const e = await failure(readKeystoreFile(missing, LABEL));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(`The file of ${LABEL} is missing: ${missing}`);
  });
});

describe('a keystore entry that names a FIFO or a device', () => {
  it('fails with the same message through the resource registry, without hanging', async () => {
    const fifo = join(dir, 'registry-pipe');
    execFileSync('mkfifo', [fifo]);
    const registry = new ResourceRegistry({
      keystores: [
        keystoreEntry.parse({ name: 'pipe', kind: 'pkcs12', path: fifo, password: 'x' }),
        keystoreEntry.parse({
          name: 'zero-cert',
          kind: 'pem',
          path: (await fixtures()).path('rsa.key'),
          certificatePath: '/dev/zero',
        }),
      ],
    });
    const pipe = await failure(within(registry.keystore('pipe'), 2000));
    expect(pipe.message).toBe(`The file of keystore "pipe" is not a regular file: ${fifo}`);
    const zero = await failure(within(registry.keystore('zero-cert'), 2000));
    expect(zero.message).toBe('The file of keystore "zero-cert" is not a regular file: /dev/zero');
  });
});
