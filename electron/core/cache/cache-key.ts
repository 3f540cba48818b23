/**
 * The token cache key (z/OS Connect seed 001, DESIGN): a token is reused only when every OAuth
 * input of the new request matches the one it was obtained with — endpoint, grant, client ID,
 * secret, user, scope, resource, audience, custom parameters, client-auth method, signing key.
 * Secrets enter the key only as hashes; the key itself is a hash of all of it.
 */
import { createHash } from 'node:crypto';
import type { Connection } from '../../../shared/connection.js';
import { effectiveClientAuth } from '../oauth/token-request.js';

const hash = (value: string) =>
  value ? createHash('sha256').update(value).digest('base64url') : '';

export function cacheKeyInputs(conn: Connection): Record<string, unknown> {
  const { params, client, jwt } = conn;
  const signs =
    conn.type === 'jwt_bearer' ||
    conn.type === 'jwt_client_assertion' ||
    ['private_key_jwt', 'client_secret_jwt'].includes(effectiveClientAuth(conn));
  return {
    tokenEndpoint: conn.tokenEndpoint,
    grant: conn.type,
    clientId: client.id,
    clientSecret: hash(client.secret),
    clientAuth:
      conn.type === 'jwt_client_assertion' ? 'client_assertion' : effectiveClientAuth(conn),
    sendClientIdWithAssertion: client.sendClientIdWithAssertion,
    username: conn.type === 'password' ? conn.username : '',
    password: conn.type === 'password' ? hash(conn.password) : '',
    pastedAssertion: conn.type === 'jwt_client_assertion' ? hash(conn.clientAssertion) : '',
    scope: params.scope.trim().split(/\s+/).filter(Boolean).sort(),
    resource: [...params.resource].sort(),
    audience: params.audience,
    tokenParams: params.tokenParams,
    authorizationParams: conn.type === 'authorization_code' ? params.authorizationParams : [],
    authorizationEndpoint: conn.type === 'authorization_code' ? conn.authorizationEndpoint : '',
    signing: signs
      ? {
          keystore: jwt.signing.keystore,
          alias: jwt.signing.alias,
          header: jwt.header,
          claims: jwt.claims,
        }
      : null,
    tokenPath: conn.tokenPath,
  };
}

export function cacheKey(conn: Connection): string {
  return createHash('sha256')
    .update(JSON.stringify(cacheKeyInputs(conn)))
    .digest('base64url');
}
