/**
 * Keystores in memory, whatever their file format: aliases, each with a certificate chain
 * (leaf first) and, for key entries, a private key. The format readers (PKCS#12, JKS, PEM) all
 * produce this shape.
 */
import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type { KeystoreKind } from '../../../shared/resources.js';
import type { TokensmithError } from '../errors.js';

export interface KeyEntry {
  alias: string;
  /** Leaf first. */
  chain: X509Certificate[];
  privateKey?: KeyObject;
  /** Why the private key could not be read (e.g. a JKS key password that differs). */
  keyError?: TokensmithError;
}

export interface Keystore {
  kind: KeystoreKind;
  entries: KeyEntry[];
}

/** Orders certificates leaf first: the one whose key matches the private key, then its issuers. */
export function orderChain(certs: X509Certificate[], privateKey?: KeyObject): X509Certificate[] {
  if (certs.length <= 1) return certs;
  const remaining = [...certs];
  let leafIndex = 0;
  if (privateKey) {
    // A token key (keys/token-keys.ts) is its public key already.
    const publicKey = privateKey.type === 'public' ? privateKey : createPublicKey(privateKey);
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const i = remaining.findIndex((c) =>
      c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki),
    );
    if (i >= 0) leafIndex = i;
  } else {
    // Without a key the leaf is the certificate that issued no other one.
    const i = remaining.findIndex((c) => !remaining.some((o) => o !== c && o.checkIssued(c)));
    if (i >= 0) leafIndex = i;
  }
  const chain = remaining.splice(leafIndex, 1);
  for (;;) {
    const current = chain[chain.length - 1] as X509Certificate;
    const issuerIndex = remaining.findIndex((c) => current.checkIssued(c) && c !== current);
    if (issuerIndex < 0) break;
    chain.push(...remaining.splice(issuerIndex, 1));
  }
  return [...chain, ...remaining];
}
