/**
 * PEM key + chain: an (optionally encrypted) private key — PKCS#8, PKCS#1 or SEC1, with
 * "ENCRYPTED PRIVATE KEY" or legacy Proc-Type encryption — and its certificates, in one file
 * or two. Decryption is Node's own.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { TokensmithError } from '../errors.js';
import { parseCertificates } from './certificate.js';
import { orderChain, type KeyEntry } from './model.js';

const PEM_KEY = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

export function loadPem(
  data: Buffer,
  certificateData: Buffer | undefined,
  passphrase: string,
  label: string,
): KeyEntry[] {
  const text = data.toString('utf8');
  if (!text.includes('-----BEGIN ')) {
    throw new TokensmithError(
      'keystore_corrupt',
      `${label} is not a PEM file (no "-----BEGIN" line).`,
    );
  }
  const keyMatch = PEM_KEY.exec(text);
  let privateKey: KeyObject | undefined;
  if (keyMatch) {
    const encrypted =
      keyMatch[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(keyMatch[0]);
    if (encrypted && !passphrase) {
      throw new TokensmithError(
        'keystore_password',
        `The private key in ${label} is encrypted: enter its passphrase.`,
        { field: 'password' },
      );
    }
    try {
      privateKey = createPrivateKey(encrypted ? { key: keyMatch[0], passphrase } : keyMatch[0]);
    } catch (cause) {
      if (encrypted) {
        throw new TokensmithError(
          'keystore_password',
          `Wrong passphrase for the private key in ${label}.`,
          {
            cause,
            field: 'password',
          },
        );
      }
      throw new TokensmithError('keystore_corrupt', `The private key in ${label} is damaged.`, {
        cause,
      });
    }
  }
  const certText = [text, certificateData?.toString('utf8') ?? ''].join('\n');
  const hasCertificates = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/.test(certText);
  const certs = hasCertificates ? parseCertificates(certText, label) : [];
  if (!privateKey && certs.length === 0) {
    throw new TokensmithError(
      'keystore_corrupt',
      `${label} holds neither a private key nor a certificate.`,
    );
  }
  if (privateKey) {
    const chain = orderChain(certs, privateKey);
    const leaf = chain[0];
    if (leaf && !leaf.checkPrivateKey(privateKey)) {
      throw new TokensmithError(
        'keystore_corrupt',
        `The certificates in ${label} do not belong to its private key.`,
      );
    }
    return [{ alias: 'key', chain, privateKey }];
  }
  // Certificates only: a truststore, one alias per certificate.
  return certs.map((cert, i) => ({
    alias: /CN=([^\n,]+)/.exec(cert.subject)?.[1]?.trim() ?? `certificate-${i + 1}`,
    chain: [cert],
  }));
}
