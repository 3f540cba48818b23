/**
 * Public keys as a JWK Set (RFC 7517) to register at a provider, with `kid` (RFC 7638
 * thumbprint), `x5t`, `x5t#S256` and `x5c` from the certificate.
 */
import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { x5t, x5tS256 } from './certificate.js';
import { defaultAlgorithm } from '../jwt/algorithms.js';
import type { KeyEntry } from './model.js';

export async function keyId(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
}

/**
 * The public key of a key entry: its certificate's, else derived from the private key (a token
 * key, keys/token-keys.ts, is its public key already).
 */
const publicKeyOf = (entry: Pick<KeyEntry, 'chain' | 'privateKey'>): KeyObject => {
  const key = entry.privateKey as KeyObject;
  return entry.chain[0]?.publicKey ?? (key.type === 'public' ? key : createPublicKey(key));
};

/**
 * The kid a builder publishes a keystore key under and its JWTs send (one rule for both): the
 * connection's explicit kid when "Send kid" is on, else the RFC 7638 thumbprint.
 */
export async function publishedKid(
  header: { includeKid: boolean; kid: string },
  entry: Pick<KeyEntry, 'chain' | 'privateKey'>,
): Promise<string> {
  return header.includeKid && header.kid ? header.kid : keyId(publicKeyOf(entry));
}

export async function publicJwk(entry: KeyEntry): Promise<JWK> {
  const leaf: X509Certificate | undefined = entry.chain[0];
  const publicKey = publicKeyOf(entry);
  const jwk = await exportJWK(publicKey);
  const out: JWK = {
    ...jwk,
    kid: await keyId(publicKey),
    use: 'sig',
    alg: defaultAlgorithm(publicKey),
  };
  if (leaf) {
    out.x5t = x5t(leaf);
    out['x5t#S256'] = x5tS256(leaf);
    out.x5c = entry.chain.map((c) => c.raw.toString('base64'));
  }
  return out;
}

export async function toJwks(entries: KeyEntry[]): Promise<{ keys: JWK[] }> {
  return { keys: await Promise.all(entries.map(publicJwk)) };
}
