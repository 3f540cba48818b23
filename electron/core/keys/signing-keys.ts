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

/** A generated RS256 key pair, PEM, with its kid (RFC 7638 thumbprint). */
export interface NewKeyPair {
  kid: string;
  publicKey: string;
  privateKey: string;
}

export async function generateSigningKeyPair(modulusLength = 2048): Promise<NewKeyPair> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength });
  return {
    kid: await keyId(publicKey),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** The set with `key` signing from now on and the previous key still published. */
export function withNewKey(
  current: SigningKeySet | undefined,
  builderId: string,
  key: NewKeyPair,
  now: Date,
): SigningKeySet {
  const kept = (current?.keys ?? []).slice(0, PUBLISHED_KEYS - 1);
  const privateKeys: Record<string, string> = { [key.kid]: key.privateKey };
  for (const k of kept) {
    const pem = current?.privateKeys[k.kid];
    if (pem) privateKeys[k.kid] = pem;
  }
  return {
    builderId,
    keys: [
      { kid: key.kid, algorithm: 'RS256', createdAt: now.toISOString(), publicKey: key.publicKey },
      ...kept,
    ],
    privateKeys,
  };
}

/** A new RS256 key pair, newest first, keeping the previous key published. */
export async function rotateSigningKeys(
  current: SigningKeySet | undefined,
  builderId: string,
  now = new Date(),
  modulusLength = 2048,
): Promise<SigningKeySet> {
  return withNewKey(current, builderId, await generateSigningKeyPair(modulusLength), now);
}

/**
 * How a builder's generated keys rotate, from its saved JWK-enabled connections (z/OS
 * `jwkRotationTime`, `jwkSigningKeySize`): the shortest rotation time they ask for (0 = only by
 * hand) and the largest key size. Undefined when no saved connection generates keys for it.
 */
export interface RotationPolicy {
  rotationMinutes: number;
  keySize: number;
}

export function rotationPolicy(doc: StoreDocument, builderId: string): RotationPolicy | undefined {
  const signing = doc.connections
    .map((c) => c.jwt.signing)
    .filter((s) => s.jwkEnabled && s.builderId === builderId);
  if (signing.length === 0) return undefined;
  const timed = signing.map((s) => s.jwkRotationMinutes).filter((m) => m > 0);
  return {
    rotationMinutes: timed.length ? Math.min(...timed) : 0,
    keySize: Math.max(...signing.map((s) => s.jwkKeySize)),
  };
}

/** When the builder's signing key is next replaced; undefined when it is not rotated by time. */
export function nextRotation(
  set: SigningKeySet | undefined,
  policy: RotationPolicy | undefined,
): Date | undefined {
  const newest = set?.keys[0];
  if (!newest || !policy || policy.rotationMinutes <= 0) return undefined;
  return new Date(Date.parse(newest.createdAt) + policy.rotationMinutes * 60_000);
}

function rotationDue(
  set: SigningKeySet | undefined,
  policy: RotationPolicy | undefined,
  now: Date,
): boolean {
  if (!policy) return false;
  if (!set?.keys.length) return true;
  const next = nextRotation(set, policy);
  return next !== undefined && next.getTime() <= now.getTime();
}

/**
 * The builder's key set as it must be now: a key generated when a JWK-enabled connection has
 * none, and rotated when its rotation time has passed (checked whenever a key signs or its JWKS
 * is served, so the published set and the signing key always agree). The key pair is generated
 * outside the store lock; the rotation is applied only if the stored set is still due, so two
 * processes never rotate twice.
 */
export async function currentSigningKeys(
  store: Store,
  builderId: string,
  now = new Date(),
): Promise<SigningKeySet | undefined> {
  const doc = await store.read();
  const set = doc.signingKeys.find((s) => s.builderId === builderId);
  const policy = rotationPolicy(doc, builderId);
  if (!rotationDue(set, policy, now)) return set;
  const key = await generateSigningKeyPair(policy?.keySize);
  const saved = await store.update((fresh) => {
    const current = fresh.signingKeys.find((s) => s.builderId === builderId);
    if (!rotationDue(current, rotationPolicy(fresh, builderId), now)) return;
    fresh.signingKeys = [
      ...fresh.signingKeys.filter((s) => s.builderId !== builderId),
      withNewKey(current, builderId, key, now),
    ];
  });
  return saved.signingKeys.find((s) => s.builderId === builderId);
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

/** Gives every JWK-enabled connection a key (after a save or an import). */
export async function ensureStoredSigningKeys(store: Store, now = new Date()): Promise<string[]> {
  const missing = buildersWithoutKeys(await store.read());
  for (const id of missing) await currentSigningKeys(store, id, now);
  return missing;
}

/** Rotates a builder's key by hand: a new key signs from now on, the previous one stays published. */
export async function rotateStoredSigningKeys(
  store: Store,
  builderId: string,
  now = new Date(),
): Promise<SigningKeySet> {
  const policy = rotationPolicy(await store.read(), builderId);
  const key = await generateSigningKeyPair(policy?.keySize);
  const saved = await store.update((doc) => {
    const current = doc.signingKeys.find((s) => s.builderId === builderId);
    doc.signingKeys = [
      ...doc.signingKeys.filter((s) => s.builderId !== builderId),
      withNewKey(current, builderId, key, now),
    ];
  });
  return saved.signingKeys.find((s) => s.builderId === builderId)!;
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
