/** The sandbox's registered clients: one per connection type and client-authentication variant. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import {
  DEVICE_CODE_GRANT,
  JWT_BEARER_GRANT,
  SANDBOX_SECRET,
  TOKEN_EXCHANGE_GRANT,
} from './constants.js';

/** Device flow clients; the sandbox answers `device-busy`'s first poll with slow_down. */
export const DEVICE_CLIENT = 'device-app';
export const DEVICE_BUSY_CLIENT = 'device-busy';
/** DPoP-bound clients; `dpop-nonce` must send the server's nonce in every proof. */
export const DPOP_CLIENT = 'dpop-client';
export const DPOP_NONCE_CLIENT = 'dpop-nonce';
/** Gets certificate-bound tokens (RFC 8705) when it presents a client certificate. */
export const MTLS_BOUND_CLIENT = 'mtls-bound';
export const TOKEN_EXCHANGE_CLIENT = 'token-exchanger';
/** Must push its authorization requests (RFC 9126 `require_pushed_authorization_requests`). */
export const PAR_CLIENT = 'par-app';

const LOOPBACK_REDIRECTS = [
  'http://127.0.0.1/callback',
  'http://[::1]/callback',
  'http://localhost/callback',
];

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
    extra: Partial<ClientMetadata> = {},
  ): ClientMetadata => ({
    client_id,
    client_secret: SANDBOX_SECRET,
    token_endpoint_auth_method,
    grant_types,
    response_types: [],
    redirect_uris: [],
    ...extra,
  });
  const device = (client_id: string): ClientMetadata => ({
    client_id,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
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
      redirect_uris: LOOPBACK_REDIRECTS,
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
    {
      client_id: PAR_CLIENT,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: LOOPBACK_REDIRECTS,
      require_pushed_authorization_requests: true,
    },
    device(DEVICE_CLIENT),
    device(DEVICE_BUSY_CLIENT),
    confidential(DPOP_CLIENT, 'client_secret_basic', ['client_credentials'], {
      dpop_bound_access_tokens: true,
    }),
    confidential(DPOP_NONCE_CLIENT, 'client_secret_basic', ['client_credentials'], {
      dpop_bound_access_tokens: true,
    }),
    confidential(MTLS_BOUND_CLIENT, 'client_secret_basic', ['client_credentials'], {
      tls_client_certificate_bound_access_tokens: true,
    }),
    confidential(TOKEN_EXCHANGE_CLIENT, 'client_secret_basic', [TOKEN_EXCHANGE_GRANT]),
  ];
}
