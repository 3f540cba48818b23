/** Key pair + self-signed certificate generation, PEM export read back, JWKS export. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, importJWK, SignJWT } from 'jose';
import { generateKeyPair, entryToPem, KEY_ALGORITHMS } from '../../../electron/core/keys/keygen.js';
import { toJwks } from '../../../electron/core/keys/jwks.js';
import { loadKeystore, listAliases } from '../../../electron/core/keys/keystore.js';
import { describeCertificate } from '../../../electron/core/keys/certificate.js';

describe('generate a key pair and self-signed certificate', () => {
  it.each(KEY_ALGORITHMS.filter((a) => a !== 'RSA-4096' && a !== 'RSA-3072'))(
    '%s',
    async (algorithm) => {
      const entry = await generateKeyPair({
        algorithm,
        subject: 'CN=tokensmith-demo, O=Example',
        validityDays: 365,
      });
      const info = describeCertificate(entry.chain[0]!);
      expect(info.subject).toBe('CN=tokensmith-demo, O=Example');
      expect(info.selfSigned).toBe(true);
      expect(Date.parse(info.notAfter) - Date.parse(info.notBefore)).toBe(365 * 86_400_000);
      expect(entry.chain[0]!.checkPrivateKey(entry.privateKey!)).toBe(true);

      // Saved as an encrypted PEM and read back by the PEM keystore.
      const pem = entryToPem(entry, 'passphrase');
      expect(pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      const ks = loadKeystore({ kind: 'pem', data: Buffer.from(pem), password: 'passphrase' });
      expect(listAliases(ks)[0]?.certificate?.x5t).toBe(info.x5t);

      // openssl agrees the certificate is well-formed.
      const dir = mkdtempSync(join(tmpdir(), 'tokensmith-keygen-'));
      writeFileSync(join(dir, 'c.pem'), entry.chain[0]!.toString());
      expect(
        execFileSync('openssl', [
          'x509',
          '-in',
          join(dir, 'c.pem'),
          '-noout',
          '-subject',
        ]).toString(),
      ).toMatch(/CN\s*=\s*tokensmith-demo/);
    },
  );

  it('the JWKS verifies what the key signs and carries kid, x5t and x5c', async () => {
    const entry = await generateKeyPair({
      algorithm: 'EC-P256',
      subject: 'jwks-demo',
      validityDays: 30,
    });
    const { keys } = await toJwks([entry]);
    const [jwk] = keys;
    expect(jwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      use: 'sig',
      alg: 'ES256',
      x5t: describeCertificate(entry.chain[0]!).x5t,
    });
    expect(jwk).not.toHaveProperty('d');
    expect(jwk?.x5c).toHaveLength(1);
    const jwt = await new SignJWT({ a: 1 })
      .setProtectedHeader({ alg: 'ES256', kid: jwk!.kid! })
      .sign(entry.privateKey!);
    await compactVerify(jwt, await importJWK(jwk!, 'ES256'));
  });

  it('refuses a bad subject and a non-positive validity', async () => {
    await expect(
      generateKeyPair({ algorithm: 'EC-P256', subject: 'CN=a, =b', validityDays: 1 }),
    ).rejects.toThrow(/not a valid subject name/);
    await expect(
      generateKeyPair({ algorithm: 'EC-P256', subject: 'a', validityDays: 0 }),
    ).rejects.toThrow(/at least one day/);
  });
});
