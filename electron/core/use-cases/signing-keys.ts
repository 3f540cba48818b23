/**
 * A JWT builder's published keys (z/OS `jwkEnabled` generated keys, or the public key of a
 * keystore alias signing for the builder): the view, rotation, and the JWKS the server serves.
 */
import type { SigningKeysView } from '../../../shared/contract.js';
import { TokensmithError } from '../errors.js';
import { builderJwks } from '../keys/builder-jwks.js';
import {
  builderIssuer,
  builderJwksUrl,
  currentSigningKeys,
  nextRotation,
  rotateStoredSigningKeys,
  rotationPolicy,
} from '../keys/signing-keys.js';
import type { JwksProvider } from '../jwk-server.js';
import type { Session } from './session.js';

export async function signingKeysView(
  session: Session,
  builderId: string,
  serving = false,
): Promise<SigningKeysView> {
  const { store } = session.workspace;
  await currentSigningKeys(store, builderId);
  const doc = await store.read();
  const set = doc.signingKeys.find((k) => k.builderId === builderId);
  const policy = rotationPolicy(doc, builderId);
  const next = nextRotation(set, policy);
  const base = `http://127.0.0.1:${doc.settings.jwkServerPort}`;
  return {
    builderId,
    keys: (set?.keys ?? []).map((k, i) => ({
      kid: k.kid,
      algorithm: k.algorithm,
      createdAt: k.createdAt,
      signing: i === 0,
    })),
    ...(await builderJwks(doc, builderId, session.workspace.registry(doc))),
    jwksUrl: builderJwksUrl(base, builderId),
    issuer: builderIssuer(base, builderId),
    serving,
    ...(policy
      ? { rotation: { everyMinutes: policy.rotationMinutes, keySize: policy.keySize } }
      : {}),
    ...(next ? { nextRotationAt: next.toISOString() } : {}),
  };
}

/** A new generated signing key; a builder that signs with a keystore alias is refused. */
export async function rotateSigningKeys(session: Session, builderId: string): Promise<void> {
  const before = await session.workspace.store.read();
  const ofBuilder = before.connections.filter((c) => c.jwt.signing.builderId === builderId);
  if (
    !before.signingKeys.some((s) => s.builderId === builderId) &&
    ofBuilder.length > 0 &&
    ofBuilder.every((c) => !c.jwt.signing.jwkEnabled)
  ) {
    throw new TokensmithError(
      'invalid_input',
      `JWT builder "${builderId}" signs with a keystore alias, not a generated key: import a new key pair into the keystore to change its key.`,
    );
  }
  await rotateStoredSigningKeys(session.workspace.store, builderId);
}

/** A builder ID given directly, or the builder of a named connection. */
export async function builderOf(session: Session, nameOrId: string): Promise<string> {
  const doc = await session.workspace.store.read();
  const conn = doc.connections.find((c) => c.name === nameOrId);
  if (conn) {
    if (!conn.jwt.signing.builderId)
      throw new TokensmithError(
        'invalid_input',
        `Connection "${conn.name}" has no JWT builder ID.`,
      );
    return conn.jwt.signing.builderId;
  }
  if (doc.signingKeys.some((s) => s.builderId === nameOrId)) return nameOrId;
  if (doc.connections.some((c) => c.jwt.signing.builderId === nameOrId)) return nameOrId;
  throw new TokensmithError('not_found', `No connection or JWT builder named "${nameOrId}".`);
}

/** What the JWKS server serves for a builder: its keys as they are now (rotated when due). */
export function jwksProvider(session: Session): JwksProvider {
  return async (builderId) => {
    await currentSigningKeys(session.workspace.store, builderId);
    const doc = await session.workspace.store.read();
    return (await builderJwks(doc, builderId, session.workspace.registry(doc))).jwks;
  };
}
