/**
 * The token cache key (z/OS Connect seed 001, DESIGN): a token is reused only when every OAuth
 * input of the new request matches the one it was obtained with — endpoint, grant, client ID,
 * secret, user, scope, resource, audience, custom parameters, client-auth method, signing key —
 * and every input the connection type adds (its descriptor's `cacheInputs`). Secrets enter the
 * key only as hashes; the key itself is a hash of all of it.
 */
import { createHash } from 'node:crypto';
import { descriptorOf, type Connection } from '../../../shared/connection.js';

const hash = (value: string) =>
  value ? createHash('sha256').update(value).digest('base64url') : '';

export function cacheKeyInputs(conn: Connection): Record<string, unknown> {
  const { params, client, jwt } = conn;
  const descriptor = descriptorOf(conn);
  const signing = descriptor.signsJwt(conn);
  return {
    // An issuer-only connection is keyed before its endpoint is discovered.
    tokenEndpoint: conn.tokenEndpoint || `${conn.issuer} (discovered)`,
    grant: conn.type,
    clientId: client.id,
    clientSecret: hash(client.secret),
    clientAuth: descriptor.clientAuthAsSent(conn),
    sendClientIdWithAssertion: client.sendClientIdWithAssertion,
    scope: params.scope.trim().split(/\s+/).filter(Boolean).sort(),
    resource: [...params.resource].sort(),
    audience: params.audience,
    tokenParams: params.tokenParams,
    signing: signing
      ? {
          use: signing.use,
          keystore: jwt.signing.keystore,
          alias: jwt.signing.alias,
          jwkEnabled: jwt.signing.jwkEnabled,
          builderId: jwt.signing.builderId,
          header: jwt.header,
          claims: jwt.claims,
        }
      : null,
    tokenPath: conn.tokenPath,
    // A DPoP-bound token is bound to its key: a generated key is the connection's own. (Absent
    // without DPoP, so the keys of tokens cached before DPoP existed stay the same.)
    ...(conn.dpop.enabled
      ? {
          dpop: {
            keySource: conn.dpop.keySource,
            ...(conn.dpop.keySource === 'generated'
              ? { connection: conn.id }
              : { keystore: conn.dpop.keystore, alias: conn.dpop.alias }),
          },
        }
      : {}),
    ...descriptor.cacheInputs(conn, hash),
  };
}

export function cacheKey(conn: Connection): string {
  return createHash('sha256')
    .update(JSON.stringify(cacheKeyInputs(conn)))
    .digest('base64url');
}
