/**
 * Signing keys Tokensmith generates and rotates for a JWT builder (z/OS `jwkEnabled="true"`,
 * seed 001 "Signing JWTs"): RS256 key pairs whose public halves are published as a JWK Set at
 * `/jwt/ibm/api/{builderId}/jwk`. The newest key signs; after a rotation the previous key stays
 * published, so assertions signed just before the rotation still verify, and is dropped at the
 * next rotation.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, type JWK } from 'jose';
import type { SigningKeySet, StoreDocument } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import type { Store } from '../store/file-store.js';
import { keyId } from './jwks.js';

/** Keys published per builder: the signing key and the one before it. */
export const PUBLISHED_KEYS = 2;

/** Default issuer of a JWT builder (z/OS: `https://<host>:<port>/jwt/<jwtBuilderId>`). */
export function builderIssuer(baseUrl: string, builderId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/jwt/${encodeURIComponent(builderId)}`;
}

/** The JWKS URL of a builder (z/OS: `https://<host>:<port>/jwt/ibm/api/<jwtBuilderId>/jwk`). */
export function builderJwksUrl(baseUrl: string, builderId: string): string {
  return `${baseUrl.replace(/\/$/, '')}/jwt/ibm/api/${encodeURIComponent(builderId)}/jwk`;
}

/** A new RS256 key pair, newest first, keeping the previous key published. */
export async function rotateSigningKeys(
  current: SigningKeySet | undefined,
  builderId: string,
  now = new Date(),
  modulusLength = 2048,
): Promise<SigningKeySet> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength });
  const kid = await keyId(publicKey);
  const kept = (current?.keys ?? []).slice(0, PUBLISHED_KEYS - 1);
  const privateKeys: Record<string, string> = {
    [kid]: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
  for (const k of kept) {
    const pem = current?.privateKeys[k.kid];
    if (pem) privateKeys[k.kid] = pem;
  }
  return {
    builderId,
    keys: [
      {
        kid,
        algorithm: 'RS256',
        createdAt: now.toISOString(),
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      },
      ...kept,
    ],
    privateKeys,
  };
}

/** Builder IDs of JWK-enabled connections that have no key yet. */
export function buildersWithoutKeys(doc: StoreDocument): string[] {
  const ids = new Set<string>();
  for (const conn of doc.connections) {
    const { jwkEnabled, builderId } = conn.jwt.signing;
    if (
      jwkEnabled &&
      builderId &&
      !doc.signingKeys.some((s) => s.builderId === builderId && s.keys.length)
    ) {
      ids.add(builderId);
    }
  }
  return [...ids];
}

/**
 * Gives every JWK-enabled connection a key (after a save or an import). Keys are generated
 * outside the store lock; one that another process added meanwhile is kept.
 */
export async function ensureStoredSigningKeys(store: Store, now = new Date()): Promise<string[]> {
  const missing = buildersWithoutKeys(await store.read());
  if (missing.length === 0) return [];
  const sets = await Promise.all(missing.map((id) => rotateSigningKeys(undefined, id, now)));
  await store.update((doc) => {
    for (const set of sets) {
      if (doc.signingKeys.some((s) => s.builderId === set.builderId && s.keys.length)) continue;
      doc.signingKeys = [...doc.signingKeys.filter((s) => s.builderId !== set.builderId), set];
    }
  });
  return missing;
}

/** Rotates a builder's key: a new key signs from now on, the previous one stays published. */
export async function rotateStoredSigningKeys(
  store: Store,
  builderId: string,
  now = new Date(),
): Promise<SigningKeySet> {
  const current = (await store.read()).signingKeys.find((s) => s.builderId === builderId);
  const next = await rotateSigningKeys(current, builderId, now);
  await store.update((doc) => {
    doc.signingKeys = [...doc.signingKeys.filter((s) => s.builderId !== builderId), next];
  });
  return next;
}

/** The key that signs for a builder now. */
export function activeSigningKey(
  set: SigningKeySet | undefined,
  builderId: string,
): { privateKey: KeyObject; kid: string } {
  const newest = set?.keys[0];
  const pem = newest ? set?.privateKeys[newest.kid] : undefined;
  if (!newest || !pem) {
    throw new TokensmithError(
      'not_found',
      `JWT builder "${builderId}" has no signing key yet: generate one (Rotate key) first.`,
      { field: 'jwt.signing.builderId' },
    );
  }
  return { privateKey: createPrivateKey(pem), kid: newest.kid };
}

/** The builder's published keys as a JWK Set (RS256, use=sig, kid = RFC 7638 thumbprint). */
export async function signingKeysJwks(set: SigningKeySet | undefined): Promise<{ keys: JWK[] }> {
  const keys = await Promise.all(
    (set?.keys ?? []).map(async (k) => ({
      ...(await exportJWK(createPublicKey(k.publicKey))),
      kid: k.kid,
      use: 'sig',
      alg: k.algorithm,
    })),
  );
  return { keys };
}
