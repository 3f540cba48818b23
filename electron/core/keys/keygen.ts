/**
 * A new key pair with a self-signed certificate, for a connection whose public certificate or
 * JWKS the user registers at the provider; also the throwaway certificate of an HTTPS loopback
 * redirect. Certificates are built with @peculiar/x509 (RSA and EC alike).
 */
import { KeyObject, X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import { TokensmithError } from '../errors.js';
import type { KeyEntry } from './model.js';

let peculiar: Promise<typeof X509> | undefined;
/** @peculiar/x509, loaded when a certificate is made: no other command needs it. */
function x509Library(): Promise<typeof X509> {
  peculiar ??= (async () => {
    await import('reflect-metadata'); // its dependency injection needs the Reflect polyfill
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as never);
    return x509;
  })();
  return peculiar;
}

export const KEY_ALGORITHMS = [
  'RSA-2048',
  'RSA-3072',
  'RSA-4096',
  'EC-P256',
  'EC-P384',
  'EC-P521',
] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export interface KeyPairRequest {
  algorithm: KeyAlgorithm;
  /** A distinguished name such as `CN=tokensmith-signing, O=Example`, or just a common name. */
  subject: string;
  validityDays: number;
  /** DNS names and IP addresses for a TLS server certificate (e.g. the HTTPS loopback). */
  subjectAltNames?: Array<{ type: 'dns' | 'ip'; value: string }>;
  alias?: string;
}

type GenerateParams =
  webcrypto.RsaHashedKeyGenParams | (webcrypto.EcKeyGenParams & { hash: string });

function webCryptoAlgorithm(algorithm: KeyAlgorithm): GenerateParams {
  switch (algorithm) {
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: Number(algorithm.slice(4)),
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
    case 'EC-P256':
      return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    case 'EC-P384':
      return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
    case 'EC-P521':
      return { name: 'ECDSA', namedCurve: 'P-521', hash: 'SHA-512' };
  }
}

/** Generates the key pair and its self-signed certificate as a keystore entry. */
export async function generateKeyPair(request: KeyPairRequest): Promise<KeyEntry> {
  const x509 = await x509Library();
  if (!(request.validityDays > 0)) {
    throw new TokensmithError('invalid_input', 'Validity must be at least one day.', {
      field: 'validityDays',
    });
  }
  const name = request.subject.includes('=') ? request.subject : `CN=${request.subject}`;
  try {
    // Each RDN needs a known attribute type and a value (x509.Name alone drops empty parts).
    const parts = name.split(/(?<!\\),/).map((p) => p.trim());
    if (parts.some((p) => !/^[A-Za-z][\w.]*\s*=\s*\S/.test(p))) throw new Error('empty attribute');
    new x509.Name(name);
  } catch (cause) {
    throw new TokensmithError(
      'invalid_input',
      `"${request.subject}" is not a valid subject name.`,
      {
        cause,
        field: 'subject',
      },
    );
  }
  const alg = webCryptoAlgorithm(request.algorithm);
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature |
        (alg.name === 'ECDSA'
          ? x509.KeyUsageFlags.keyAgreement
          : x509.KeyUsageFlags.keyEncipherment),
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (request.subjectAltNames?.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(request.subjectAltNames));
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
  }
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // A positive 16-byte serial number (RFC 5280 §4.1.2.2).
    serialNumber: `7f${randomBytes(15).toString('hex')}`,
    name,
    notBefore,
    notAfter: new Date(notBefore.getTime() + request.validityDays * 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions,
  });
  return {
    alias: request.alias ?? 'key',
    chain: [new X509Certificate(Buffer.from(cert.rawData))],
    privateKey: KeyObject.from(keys.privateKey),
  };
}

/** PEM of a private key, encrypted (PKCS#8, AES-256-CBC) when a passphrase is given. */
export function privateKeyToPem(key: KeyObject, passphrase?: string): string {
  return passphrase
    ? (key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string)
    : (key.export({ type: 'pkcs8', format: 'pem' }) as string);
}

/** The PEM file Tokensmith's PEM keystore reads: the key then the chain. */
export function entryToPem(entry: KeyEntry, passphrase?: string): string {
  const key = entry.privateKey ? privateKeyToPem(entry.privateKey, passphrase) : '';
  return key + entry.chain.map((c) => c.toString()).join('');
}
