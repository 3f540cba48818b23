/**
 * Keys that stay on a PKCS#11 token. Such a key is handed around as its public KeyObject (it
 * carries the key type, size and curve that choose the JWS algorithm, the thumbprint and the
 * certificate match); the signer registered for it computes signatures on the token. signCompact
 * and the DPoP prover ask {@link tokenSigner} before signing, so a token key signs wherever a
 * key from a file does, and nothing can export it (it has no private half in this process).
 */
import type { KeyObject } from 'node:crypto';

/** Signs `data` for the JWS algorithm `alg`; the result is the JWS signature (ECDSA as R || S). */
export type TokenSigner = (alg: string, data: Buffer) => Buffer;

const signers = new WeakMap<KeyObject, TokenSigner>();

export function registerTokenKey(publicKey: KeyObject, signer: TokenSigner): void {
  signers.set(publicKey, signer);
}

/** The token signer of a key, or undefined for a key held in memory. */
export function tokenSigner(key: unknown): TokenSigner | undefined {
  return typeof key === 'object' && key !== null ? signers.get(key as KeyObject) : undefined;
}
