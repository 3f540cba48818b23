/**
 * The sandbox's demo clients, one per connection type and client-authentication variant, and the
 * credentials they share (oidc-provider client metadata).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { ClientMetadata } from 'oidc-provider';

export interface SandboxUser {
  username: string;
  password: string;
}

export const SANDBOX_SECRET = 'sandbox-secret-with-enough-entropy-0123456789';
export const SANDBOX_USER: SandboxUser = { username: 'alice', password: 'wonderland' };
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const JWT_BEARER_ISSUER = 'tokensmith-jwt-bearer-client';

export async function demoClients(signingKey: KeyObject): Promise<ClientMetadata[]> {
  const publicJwk = await exportJWK(createPublicKey(signingKey));
  // kid = RFC 7638 thumbprint, as Tokensmith's JWKS export and its default `kid` header use.
  const jwk: JWK = {
    ...publicJwk,
    use: 'sig',
    kid: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
  const jwks = { keys: [jwk] };
  const confidential = (
    client_id: string,
    token_endpoint_auth_method: ClientMetadata['token_endpoint_auth_method'],
    grant_types: string[],
  ): ClientMetadata => ({
    client_id,
    client_secret: SANDBOX_SECRET,
    token_endpoint_auth_method,
    grant_types,
    response_types: [],
    redirect_uris: [],
  });
  return [
    confidential('cc-basic', 'client_secret_basic', ['client_credentials']),
    confidential('cc-post', 'client_secret_post', ['client_credentials']),
    confidential('cc-secret-jwt', 'client_secret_jwt', ['client_credentials']),
    {
      client_id: 'cc-private-key-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    confidential('ropc-basic', 'client_secret_basic', ['password', 'refresh_token']),
    confidential('ropc-post', 'client_secret_post', ['password', 'refresh_token']),
    {
      client_id: 'ropc-public',
      token_endpoint_auth_method: 'none',
      grant_types: ['password', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'ropc-private-key-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
      grant_types: ['password', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'jwt-bearer',
      token_endpoint_auth_method: 'none',
      grant_types: [JWT_BEARER_GRANT, 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'native-app',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [
        'http://127.0.0.1/callback',
        'http://[::1]/callback',
        'http://localhost/callback',
      ],
    },
    {
      client_id: 'web-app',
      client_secret: SANDBOX_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      application_type: 'native',
    },
  ];
}
