/**
 * Keystores in memory: PKCS#12 (.p12/.pfx), JKS and PEM key + chain, loaded into one shape —
 * aliases, each with a certificate chain and (for key entries) a private key.
 */
import type { KeyObject } from 'node:crypto';
import type { KeystoreKind } from '../../../shared/resources.js';
import type { KeystoreAliasInfo } from '../../../shared/certificate-info.js';
import { TokensmithError } from '../errors.js';
import { describeCertificate } from './certificate.js';
import { loadPkcs12 } from './pkcs12.js';
import { loadJks } from './jks.js';
import { loadPem } from './pem.js';
import type { KeyEntry, Keystore } from './model.js';

export { orderChain, type KeyEntry, type Keystore } from './model.js';

export interface KeystoreSource {
  kind: KeystoreKind;
  data: Buffer;
  /** PEM only: a separate certificate chain file. */
  certificateData?: Buffer;
  password: string;
  keyPasswords?: Record<string, string>;
  /** How the keystore is called in messages, e.g. its name or file name. */
  label?: string;
}

/** Loads and decrypts a keystore; every failure is a TokensmithError with a specific code. */
export function loadKeystore(source: KeystoreSource): Keystore {
  const label = source.label ?? `the ${source.kind.toUpperCase()} keystore`;
  switch (source.kind) {
    case 'pkcs12':
      return { kind: 'pkcs12', entries: loadPkcs12(source.data, source.password, label) };
    case 'jks':
      return {
        kind: 'jks',
        entries: loadJks(source.data, source.password, source.keyPasswords ?? {}, label),
      };
    case 'pem':
      return {
        kind: 'pem',
        entries: loadPem(source.data, source.certificateData, source.password, label),
      };
    case 'pkcs11':
      throw new TokensmithError(
        'invalid_input',
        `${label} is on a PKCS#11 token, not in a file: import it by its pkcs11: URI with its module.`,
      );
  }
}

/** Guesses the kind from a file name and its first bytes. */
export function detectKeystoreKind(fileName: string, data: Buffer): KeystoreKind {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'p12' || ext === 'pfx') return 'pkcs12';
  if (ext === 'jks' || ext === 'keystore' || ext === 'ks') return 'jks';
  if (data.subarray(0, 4).equals(Buffer.from([0xfe, 0xed, 0xfe, 0xed]))) return 'jks';
  if (data.subarray(0, 11).toString('latin1') === '-----BEGIN ') return 'pem';
  if (data.toString('latin1', 0, 4096).includes('-----BEGIN ')) return 'pem';
  return 'pkcs12';
}

export function listAliases(keystore: Keystore, now = Date.now()): KeystoreAliasInfo[] {
  return keystore.entries.map((entry) => {
    const leaf = entry.chain[0];
    const info: KeystoreAliasInfo = {
      alias: entry.alias,
      hasPrivateKey: entry.privateKey !== undefined || entry.keyError !== undefined,
      chainLength: entry.chain.length,
    };
    if (leaf) info.certificate = describeCertificate(leaf, now);
    return info;
  });
}

export function findEntry(keystore: Keystore, alias: string, keystoreLabel: string): KeyEntry {
  const entry =
    keystore.entries.find((e) => e.alias === alias) ??
    keystore.entries.find((e) => e.alias.toLowerCase() === alias.toLowerCase());
  if (!entry) {
    const known = keystore.entries.map((e) => e.alias).join(', ') || 'none';
    throw new TokensmithError(
      'alias_not_found',
      `${keystoreLabel} has no alias "${alias}" (aliases: ${known}).`,
      { field: 'jwt.signing.alias' },
    );
  }
  return entry;
}

/** The private key of an alias, or a message that says why there is none. */
export function requirePrivateKey(entry: KeyEntry, keystoreLabel: string): KeyObject {
  if (entry.keyError) throw entry.keyError;
  if (!entry.privateKey) {
    throw new TokensmithError(
      'keystore_no_key',
      `The alias "${entry.alias}" in ${keystoreLabel} is a certificate without a private key; it cannot sign or be used as a client certificate.`,
    );
  }
  return entry.privateKey;
}
