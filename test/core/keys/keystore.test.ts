import { describe, expect, it, beforeAll } from 'vitest';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { fixtures, opensslThumbprint, type Fixtures } from '../../support/fixtures.js';
import {
  loadKeystore,
  listAliases,
  detectKeystoreKind,
  findEntry,
  requirePrivateKey,
} from '../../../electron/core/keys/keystore.js';
import {
  parseCertificate,
  describeCertificate,
  x5t,
  x5tS256,
} from '../../../electron/core/keys/certificate.js';
import { TokensmithError } from '../../../electron/core/errors.js';

let f: Fixtures;
beforeAll(async () => {
  f = await fixtures();
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof TokensmithError ? e.code : `not a TokensmithError: ${String(e)}`;
  }
  return undefined;
}

describe('x5t of a certificate file', () => {
  it('equals openssl -fingerprint -sha1 / -sha256 in base64url, for PEM and DER', () => {
    const sha1 = opensslThumbprint(f.path('rsa.crt'), 'sha1');
    const sha256 = opensslThumbprint(f.path('rsa.crt'), 'sha256');
    for (const file of ['rsa.crt', 'rsa.der']) {
      const cert = parseCertificate(f.read(file));
      expect(x5t(cert)).toBe(sha1.base64url);
      expect(x5tS256(cert)).toBe(sha256.base64url);
      const info = describeCertificate(cert);
      expect(info.sha1Fingerprint).toBe(sha1.hex);
      expect(info.sha256Fingerprint).toBe(sha256.hex);
    }
  });

  it('describes subject, issuer, serial, validity and key', () => {
    const info = describeCertificate(parseCertificate(f.read('ec.crt')));
    expect(info.subject).toBe('CN=tokensmith-test-ec');
    expect(info.selfSigned).toBe(true);
    expect(info.keyType).toBe('EC');
    expect(info.curve).toBe('prime256v1');
    expect(info.expired).toBe(false);
    const rsa = describeCertificate(parseCertificate(f.read('rsa.crt')));
    expect(rsa.keySize).toBe(2048);
    expect(rsa.subject).toBe('CN=tokensmith-test-signing, O=Tokensmith Tests');
    expect(rsa.serialNumber).toMatch(/^[0-9A-F]+$/);
  });

  it('gives a specific message for a key file, text and garbage', () => {
    expect(codeOf(() => parseCertificate(f.read('rsa.key')))).toBe('keystore_corrupt');
    expect(() => parseCertificate(f.read('rsa.key'))).toThrow(/private key but no certificate/);
    expect(() => parseCertificate(Buffer.from('hello'))).toThrow(/not a certificate/);
    expect(() => parseCertificate(Buffer.from([0x30, 0x03, 0x01, 0x02]))).toThrow(
      /not a valid DER certificate/,
    );
  });

  it('flags an expired certificate', () => {
    const info = describeCertificate(parseCertificate(f.read('expired.pem')));
    expect(info.expired).toBe(true);
  });
});

describe('PKCS#12', () => {
  it('lists the alias with its key and certificate (RSA, OpenSSL 3 defaults)', () => {
    const ks = loadKeystore({ kind: 'pkcs12', data: f.read('rsa.p12'), password: 'changeit' });
    const [alias] = listAliases(ks);
    expect(alias?.alias).toBe('signing');
    expect(alias?.hasPrivateKey).toBe(true);
    expect(alias?.certificate?.x5t).toBe(opensslThumbprint(f.path('rsa.crt'), 'sha1').base64url);
    const key = requirePrivateKey(findEntry(ks, 'signing', 'test'), 'test');
    expect(new X509Certificate(f.read('rsa.crt')).checkPrivateKey(key)).toBe(true);
  });

  it('reads EC keys, which node-forge alone cannot', () => {
    const ks = loadKeystore({ kind: 'pkcs12', data: f.read('ec.p12'), password: 'changeit' });
    const entry = findEntry(ks, 'ec-signing', 'test');
    expect(entry.privateKey?.asymmetricKeyType).toBe('ec');
    expect(createPublicKey(entry.privateKey!).export({ format: 'jwk' }).crv).toBe('P-256');
  });

  it('orders a chain leaf first and keeps the CA', () => {
    const ks = loadKeystore({ kind: 'pkcs12', data: f.read('client.p12'), password: 'changeit' });
    const entry = findEntry(ks, 'mtls', 'test');
    expect(entry.chain.map((c) => c.subject)).toEqual([
      'CN=tokensmith-mtls-client',
      'CN=Tokensmith Test CA',
    ]);
  });

  it('wrong password, corrupt file, certificate without key: each its own code and message', () => {
    expect(
      codeOf(() =>
        loadKeystore({
          kind: 'pkcs12',
          data: f.read('rsa.p12'),
          password: 'nope',
          label: 'keystore "demo"',
        }),
      ),
    ).toBe('keystore_password');
    expect(() =>
      loadKeystore({
        kind: 'pkcs12',
        data: f.read('rsa.p12'),
        password: 'nope',
        label: 'keystore "demo"',
      }),
    ).toThrow('Wrong password for keystore "demo"');
    expect(
      codeOf(() => loadKeystore({ kind: 'pkcs12', data: f.read('corrupt.p12'), password: 'x' })),
    ).toBe('keystore_corrupt');
    const certOnly = loadKeystore({
      kind: 'pkcs12',
      data: f.read('cert-only.p12'),
      password: 'changeit',
    });
    expect(listAliases(certOnly)[0]?.hasPrivateKey).toBe(false);
    const entry = certOnly.entries[0]!;
    expect(codeOf(() => requirePrivateKey(entry, 'keystore "c"'))).toBe('keystore_no_key');
    expect(() => requirePrivateKey(entry, 'keystore "c"')).toThrow(
      /certificate without a private key/,
    );
  });

  it('names the aliases that exist when the chosen one does not', () => {
    const ks = loadKeystore({ kind: 'pkcs12', data: f.read('rsa.p12'), password: 'changeit' });
    expect(() => findEntry(ks, 'nope', 'keystore "demo"')).toThrow(
      'keystore "demo" has no alias "nope" (aliases: signing)',
    );
  });
});

describe('JKS', () => {
  it('reads keys with their own key password and trusted certificates', () => {
    const ks = loadKeystore({
      kind: 'jks',
      data: f.read('keystore-keypass.jks'),
      password: 'storepass',
      keyPasswords: { jwtsign: 'keypass1' },
    });
    const aliases = listAliases(ks);
    expect(aliases.map((a) => [a.alias, a.hasPrivateKey]).sort()).toEqual([
      ['eckey', true],
      ['jwtsign', true],
      ['partner-ca', false],
    ]);
    expect(findEntry(ks, 'jwtsign', 't').privateKey?.asymmetricKeyType).toBe('rsa');
    expect(findEntry(ks, 'eckey', 't').privateKey?.asymmetricKeyType).toBe('ec');
  });

  it('lists aliases without the key password, and says which key needs one', () => {
    const ks = loadKeystore({
      kind: 'jks',
      data: f.read('keystore-keypass.jks'),
      password: 'storepass',
      label: 'keystore "j"',
    });
    expect(listAliases(ks).find((a) => a.alias === 'jwtsign')?.certificate?.subject).toBe(
      'O=Tokensmith Tests, CN=jks-signing',
    ); // DER order, as openssl prints it
    const entry = findEntry(ks, 'jwtsign', 'keystore "j"');
    expect(codeOf(() => requirePrivateKey(entry, 'keystore "j"'))).toBe('keystore_password');
    expect(() => requirePrivateKey(entry, 'keystore "j"')).toThrow(
      /password different from the store password/,
    );
  });

  it("a single key password ('*') applies to every key that needs one", () => {
    const ks = loadKeystore({
      kind: 'jks',
      data: f.read('keystore-keypass.jks'),
      password: 'storepass',
      keyPasswords: { '*': 'keypass1' },
    });
    expect(findEntry(ks, 'jwtsign', 't').privateKey?.asymmetricKeyType).toBe('rsa');
    // eckey uses the store password and still opens.
    expect(findEntry(ks, 'eckey', 't').privateKey?.asymmetricKeyType).toBe('ec');
  });

  it('wrong store password and non-JKS data', () => {
    expect(
      codeOf(() =>
        loadKeystore({ kind: 'jks', data: f.read('keystore-keypass.jks'), password: 'wrong' }),
      ),
    ).toBe('keystore_password');
    expect(
      codeOf(() => loadKeystore({ kind: 'jks', data: f.read('rsa.p12'), password: 'x' })),
    ).toBe('keystore_corrupt');
  });
});

describe('PEM key + chain', () => {
  it('reads an encrypted PKCS#8 key with its certificate', () => {
    const ks = loadKeystore({
      kind: 'pem',
      data: f.read('rsa-encrypted-chain.pem'),
      password: 'pem-pass',
    });
    const [alias] = listAliases(ks);
    expect(alias?.hasPrivateKey).toBe(true);
    expect(alias?.certificate?.subject).toContain('tokensmith-test-signing');
  });

  it('reads a key and a separate certificate file', () => {
    const ks = loadKeystore({
      kind: 'pem',
      data: f.read('ec.key'),
      certificateData: f.read('ec.crt'),
      password: '',
    });
    expect(listAliases(ks)[0]?.certificate?.keyType).toBe('EC');
  });

  it('missing or wrong passphrase, mismatched certificate, no key and no certificate', () => {
    expect(
      codeOf(() =>
        loadKeystore({ kind: 'pem', data: f.read('rsa-encrypted-chain.pem'), password: '' }),
      ),
    ).toBe('keystore_password');
    expect(() =>
      loadKeystore({ kind: 'pem', data: f.read('rsa-encrypted-chain.pem'), password: '' }),
    ).toThrow(/encrypted: enter its passphrase/);
    expect(
      codeOf(() =>
        loadKeystore({ kind: 'pem', data: f.read('rsa-encrypted-chain.pem'), password: 'bad' }),
      ),
    ).toBe('keystore_password');
    expect(
      codeOf(() =>
        loadKeystore({
          kind: 'pem',
          data: f.read('rsa.key'),
          certificateData: f.read('ec.crt'),
          password: '',
        }),
      ),
    ).toBe('keystore_corrupt');
    expect(() => loadKeystore({ kind: 'pem', data: Buffer.from('nothing'), password: '' })).toThrow(
      /not a PEM file/,
    );
  });

  it('a certificate-only PEM is a truststore with one alias per certificate', () => {
    const ks = loadKeystore({
      kind: 'pem',
      data: Buffer.concat([f.read('ca.crt'), f.read('rsa.crt')]),
      password: '',
    });
    expect(listAliases(ks).map((a) => a.alias)).toEqual([
      'Tokensmith Test CA',
      'tokensmith-test-signing',
    ]);
  });
});

describe('detectKeystoreKind', () => {
  it('by extension and by content', () => {
    expect(detectKeystoreKind('a.pfx', Buffer.alloc(0))).toBe('pkcs12');
    expect(detectKeystoreKind('x.bin', f.read('keystore-keypass.jks'))).toBe('jks');
    expect(detectKeystoreKind('x.key', f.read('rsa.key'))).toBe('pem');
    expect(detectKeystoreKind('x.bin', f.read('rsa.p12'))).toBe('pkcs12');
  });
});
