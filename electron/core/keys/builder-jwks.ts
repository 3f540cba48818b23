/**
 * What a JWT builder publishes at its JWK API, `/jwt/ibm/api/{builderId}/jwk` (seed 001,
 * "Signing JWTs"): z/OS Connect publishes the key that signs the builder's JWTs whether it
 * generated the key pair (`jwkEnabled="true"`) or the builder signs with a keystore alias
 * (`keyStoreRef`/`keyAlias`). So the set holds the keys Tokensmith generated for the builder and
 * the public key of every keystore alias a saved connection signs with under that builder ID.
 */
import type { JWK } from 'jose';
import type { Connection } from '../../../shared/connection.js';
import type { StoreDocument } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { resolveAlgorithm } from '../jwt/algorithms.js';
import { resolveSigningKey, type ResourceResolver } from '../resources.js';
import { publicJwk, publishedKid } from './jwks.js';
import { signingKeysJwks } from './signing-keys.js';

export interface PublishedKey {
  kid: string;
  /** Where the key comes from, in the user's words. */
  source: string;
}

export interface BuilderJwks {
  jwks: { keys: JWK[] };
  published: PublishedKey[];
  /** Connections of this builder whose key could not be read, with the reason. */
  problems: string[];
}

/** A connection that signs its JWTs with a keystore alias under the builder ID. */
function signsWithKeystore(conn: Connection, builderId: string): boolean {
  const { signing } = conn.jwt;
  return signing.builderId === builderId && !signing.jwkEnabled && signing.keystore !== '';
}

/** The builder IDs whose JWKS has something to publish. */
export function publishingBuilders(doc: StoreDocument): string[] {
  const ids = new Set(doc.signingKeys.filter((s) => s.keys.length).map((s) => s.builderId));
  for (const c of doc.connections) {
    if (signsWithKeystore(c, c.jwt.signing.builderId)) ids.add(c.jwt.signing.builderId);
  }
  return [...ids].sort();
}

/**
 * The builder's JWK Set. A keystore key's `kid` is the one its JWTs carry (publishedKid: the
 * connection's explicit kid, else the RFC 7638 thumbprint); `x5t`, `x5t#S256` and
 * `x5c` come from its certificate, so a verifier can also pick it by the x5t header.
 */
export async function builderJwks(
  doc: StoreDocument,
  builderId: string,
  resources: ResourceResolver,
): Promise<BuilderJwks> {
  const set = doc.signingKeys.find((s) => s.builderId === builderId);
  const generated = await signingKeysJwks(set);
  const keys: JWK[] = [...generated.keys];
  const published: PublishedKey[] = generated.keys.map((k, i) => ({
    kid: k.kid as string,
    source: i === 0 ? 'generated, signing' : 'generated, previous',
  }));
  const problems: string[] = [];
  const fromKeystores = new Map<string, { jwk: JWK; where: string; connections: string[] }>();
  for (const conn of doc.connections.filter((c) => signsWithKeystore(c, builderId))) {
    const { signing, header } = conn.jwt;
    try {
      // An expired certificate is still published: verifiers decide, and the token request
      // already refuses to sign with it unless the connection allows it.
      const key = await resolveSigningKey(
        { ...conn, jwt: { ...conn.jwt, signing: { ...signing, allowExpiredCertificate: true } } },
        resources,
      );
      const jwk = await publicJwk({
        alias: signing.alias,
        chain: key.chain,
        privateKey: key.privateKey,
      });
      jwk.kid = await publishedKid(header, key);
      jwk.alg = resolveAlgorithm(header.alg, key.privateKey);
      const kid = jwk.kid as string;
      if (keys.some((k) => k.kid === kid)) continue;
      const known = fromKeystores.get(kid);
      if (known) known.connections.push(conn.name);
      else {
        const where = `keystore ${signing.keystore}${signing.alias ? `, alias ${signing.alias}` : ''}`;
        fromKeystores.set(kid, { jwk, where, connections: [conn.name] });
      }
    } catch (e) {
      problems.push(
        `Connection ${conn.name}: ${e instanceof TokensmithError ? e.message : 'its signing key could not be read.'}`,
      );
    }
  }
  for (const [kid, { jwk, where, connections }] of fromKeystores) {
    keys.push(jwk);
    published.push({ kid, source: `${where} (connection ${connections.join(', ')})` });
  }
  return { jwks: { keys }, published, problems };
}
