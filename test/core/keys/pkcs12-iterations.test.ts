/**
 * A PKCS#12 file sets its own key-derivation iteration counts, before anything in it is
 * authenticated, and forge derives on the calling thread: a count above MAX_PKCS12_ITERATIONS is
 * refused at once instead of holding the process (2,000,000 took 67 s before the bound).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPkcs12, MAX_PKCS12_ITERATIONS } from '../../../electron/core/keys/pkcs12.js';
import { TokensmithError } from '../../../electron/core/errors.js';
import { fixtures } from '../../support/fixtures.js';

let dir: string;
const p12 = async (iterations: number): Promise<Buffer> => {
  const f = await fixtures();
  const out = join(dir, `i${iterations}.p12`);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    f.path('rsa.key'),
    '-in',
    f.path('rsa.crt'),
    '-passout',
    'pass:changeit',
    '-iter',
    String(iterations),
    '-out',
    out,
  ]);
  return readFileSync(out);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokensmith-p12-iter-'));
});

describe('PKCS#12 iteration counts', () => {
  it('a usual count (OpenSSL 2048, Java 10,000) loads', async () => {
    for (const count of [2048, 10_000]) {
      const entries = loadPkcs12(await p12(count), 'changeit', 'keystore "ok"');
      expect(entries[0]?.privateKey).toBeDefined();
    }
  });

  it('a count above the bound is refused at once, naming it', async () => {
    const data = await p12(200_000);
    const started = performance.now();
    let error: unknown;
    try {
      loadPkcs12(data, 'changeit', 'keystore "slow"');
    } catch (e) {
      error = e;
    }
    expect(performance.now() - started).toBeLessThan(200);
    expect(error).toBeInstanceOf(TokensmithError);
    expect((error as TokensmithError).code).toBe('keystore_corrupt');
    expect((error as TokensmithError).message).toBe(
      `keystore "slow" asks for 200000 iterations of its password-based key derivation, more than Tokensmith allows (${MAX_PKCS12_ITERATIONS}): it was not opened. Export it again with the usual count (OpenSSL writes 2048).`,
    );
    // The bound is lifted again afterwards: forge's own functions are back.
    expect(loadPkcs12(await p12(2048), 'changeit', 'keystore "ok"')).toHaveLength(1);
  });
});
