/**
 * Key material for the tests, made fresh with `openssl` in a temporary folder: RSA and EC
 * signing keys in PKCS#12 and PEM (plain and encrypted PKCS#8), a certificate-only PKCS#12, a
 * test CA with a TLS server certificate for 127.0.0.1 and a client certificate, a client
 * certificate from another CA, an expired certificate, and the committed JKS fixture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, KeyObject, createPublicKey } from 'node:crypto';

export interface Fixtures {
  dir: string;
  path(name: string): string;
  read(name: string): Buffer;
  text(name: string): string;
}

let cached: Fixtures | undefined;

function openssl(cwd: string, ...args: string[]): string {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

async function expiredCertificate(dir: string): Promise<void> {
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a',
    name: 'CN=expired-signing',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2021-01-01T00:00:00Z'),
    signingAlgorithm: alg,
    keys,
  });
  const key = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(join(dir, 'expired.pem'), key + cert.toString('pem') + '\n');
}

/** A TLS server certificate for 127.0.0.1 issued by the test CA that expired in 2021. */
async function expiredServerCertificate(dir: string): Promise<void> {
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const pemBody = (pem: string) =>
    Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pemBody(readFileSync(join(dir, 'ca.key'), 'utf8')),
    rsa,
    false,
    ['sign'],
  );
  const serverPublic = createPublicKey(readFileSync(join(dir, 'server.key'), 'utf8')).export({
    type: 'spki',
    format: 'der',
  });
  const publicKey = await webcrypto.subtle.importKey('spki', serverPublic, rsa, true, ['verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0b',
    subject: 'CN=127.0.0.1',
    issuer: new x509.X509Certificate(readFileSync(join(dir, 'ca.crt'), 'utf8')).subject,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2021-01-01T00:00:00Z'),
    signingAlgorithm: rsa,
    publicKey,
    signingKey: caKey,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  writeFileSync(join(dir, 'server-expired.crt'), cert.toString('pem') + '\n');
}

export async function fixtures(): Promise<Fixtures> {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'tokensmith-fixtures-'));
  const o = (...args: string[]) => openssl(dir, ...args);
  const days = ['-days', '30'];

  // RSA signing key + self-signed certificate.
  o(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'rsa.key',
    '-out',
    'rsa.crt',
    '-subj',
    '/CN=tokensmith-test-signing/O=Tokensmith Tests',
    ...days,
  );
  o(
    'pkcs12',
    '-export',
    '-inkey',
    'rsa.key',
    '-in',
    'rsa.crt',
    '-name',
    'signing',
    '-out',
    'rsa.p12',
    '-passout',
    'pass:changeit',
  );
  o(
    'pkcs8',
    '-topk8',
    '-in',
    'rsa.key',
    '-out',
    'rsa-encrypted.key',
    '-v2',
    'aes-256-cbc',
    '-passout',
    'pass:pem-pass',
  );
  writeFileSync(
    join(dir, 'rsa-encrypted-chain.pem'),
    readFileSync(join(dir, 'rsa-encrypted.key'), 'utf8') +
      readFileSync(join(dir, 'rsa.crt'), 'utf8'),
  );
  o('x509', '-in', 'rsa.crt', '-outform', 'DER', '-out', 'rsa.der');
  // Certificate only, no key.
  o(
    'pkcs12',
    '-export',
    '-nokeys',
    '-in',
    'rsa.crt',
    '-out',
    'cert-only.p12',
    '-passout',
    'pass:changeit',
  );

  // EC P-256 signing key.
  o(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ec.key',
    '-out',
    'ec.crt',
    '-subj',
    '/CN=tokensmith-test-ec',
    ...days,
  );
  o(
    'pkcs12',
    '-export',
    '-inkey',
    'ec.key',
    '-in',
    'ec.crt',
    '-name',
    'ec-signing',
    '-out',
    'ec.p12',
    '-passout',
    'pass:changeit',
  );

  // A CA, a TLS server certificate for 127.0.0.1/localhost, and a client certificate.
  o(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=Tokensmith Test CA',
    ...days,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  o(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  o(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    ...days,
    '-extfile',
    'server.ext',
  );
  writeFileSync(
    join(dir, 'wronghost.ext'),
    'subjectAltName=DNS:not-this-host.test\nextendedKeyUsage=serverAuth\n',
  );
  o(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'wronghost.crt',
    ...days,
    '-extfile',
    'wronghost.ext',
  );
  o(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
    '-subj',
    '/CN=tokensmith-mtls-client',
  );
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  o(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client.crt',
    ...days,
    '-extfile',
    'client.ext',
  );
  o(
    'pkcs12',
    '-export',
    '-inkey',
    'client.key',
    '-in',
    'client.crt',
    '-certfile',
    'ca.crt',
    '-name',
    'mtls',
    '-out',
    'client.p12',
    '-passout',
    'pass:changeit',
  );

  // A client certificate from another CA, which servers trusting the test CA refuse.
  o(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other-ca.key',
    '-out',
    'other-ca.crt',
    '-subj',
    '/CN=Tokensmith Other CA/O=Elsewhere',
    ...days,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  o(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other-client.key',
    '-out',
    'other-client.csr',
    '-subj',
    '/CN=tokensmith-other-client',
  );
  o(
    'x509',
    '-req',
    '-in',
    'other-client.csr',
    '-CA',
    'other-ca.crt',
    '-CAkey',
    'other-ca.key',
    '-CAcreateserial',
    '-out',
    'other-client.crt',
    ...days,
    '-extfile',
    'client.ext',
  );
  o(
    'pkcs12',
    '-export',
    '-inkey',
    'other-client.key',
    '-in',
    'other-client.crt',
    '-name',
    'other',
    '-out',
    'other-client.p12',
    '-passout',
    'pass:changeit',
  );

  await expiredCertificate(dir);
  await expiredServerCertificate(dir);
  writeFileSync(join(dir, 'corrupt.p12'), Buffer.from('this is not a keystore at all, just text'));
  const here = dirname(fileURLToPath(import.meta.url));
  copyFileSync(
    join(here, '..', 'fixtures', 'keystore-keypass.jks'),
    join(dir, 'keystore-keypass.jks'),
  );

  cached = {
    dir,
    path: (name) => join(dir, name),
    read: (name) => readFileSync(join(dir, name)),
    text: (name) => readFileSync(join(dir, name), 'utf8'),
  };
  return cached;
}

/** What `openssl x509 -fingerprint -sha1|-sha256` prints, as base64url (the x5t form). */
export function opensslThumbprint(
  certPath: string,
  digest: 'sha1' | 'sha256',
): { hex: string; base64url: string } {
  const out = openssl(
    dirname(certPath),
    'x509',
    '-in',
    certPath,
    '-noout',
    '-fingerprint',
    `-${digest}`,
  );
  const hex = out.trim().split('=')[1] as string;
  return { hex, base64url: Buffer.from(hex.replace(/:/g, ''), 'hex').toString('base64url') };
}
