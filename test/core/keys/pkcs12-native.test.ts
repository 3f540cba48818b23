/**
 * PKCS#12 key derivation on node:crypto (PBKDF2 for OpenSSL 3's PBES2 defaults, the RFC 7292
 * B.2 derivation for the MAC and the older PBE schemes) opens what OpenSSL writes, with every
 * scheme and MAC digest OpenSSL offers without its legacy provider, and with a password outside
 * ASCII: the key and certificate read are OpenSSL's own.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPkcs12 } from '../../../electron/core/keys/pkcs12.js';
import { TokensmithError } from '../../../electron/core/errors.js';
import { fixtures } from '../../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tokensmith-p12-native-'));

async function p12(name: string, password: string, options: string[]): Promise<Buffer> {
  const f = await fixtures();
  const out = join(dir, `${name}.p12`);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    f.path('rsa.key'),
    '-in',
    f.path('rsa.crt'),
    '-passout',
    `pass:${password}`,
    ...options,
    '-out',
    out,
  ]);
  return readFileSync(out);
}

describe('PKCS#12 on node:crypto', () => {
  it.each([
    ['OpenSSL 3 defaults (PBES2, AES-256, HMAC-SHA-256; MAC SHA-256)', 'changeit', []],
    [
      'PBE-SHA1-3DES keys and certificates, MAC SHA-1',
      'changeit',
      ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    ],
    ['PBES2 with HMAC-SHA-512, MAC SHA-512', 'changeit', ['-macalg', 'sha512']],
    ['a password outside ASCII', 'pässwörd-ĳ', []],
  ] as const)('%s', async (_name, password, options) => {
    const f = await fixtures();
    const data = await p12(`${options.join('')}${password.length}`, password, [...options]);
    const [entry] = loadPkcs12(data, password, 'keystore "t"');
    const expected = createPublicKey(createPrivateKey(readFileSync(f.path('rsa.key'))))
      .export({ type: 'spki', format: 'der' })
      .toString('base64');
    expect(
      createPublicKey(entry!.privateKey!)
        .export({ type: 'spki', format: 'der' })
        .toString('base64'),
    ).toBe(expected);
    expect(
      entry!.chain[0]!.raw.equals(new X509Certificate(readFileSync(f.path('rsa.crt'))).raw),
    ).toBe(true);
    // The wrong password still fails the integrity check.
    expect(() => loadPkcs12(data, `${password}x`, 'keystore "t"')).toThrow(TokensmithError);
  });
});
