/**
 * The connections the sandbox saves in the store: one of every type and option, each pointing at
 * the sandbox's server (and its TLS listener for certificate-bound tokens).
 */
import type { ConnectionInput } from '../shared/connection.js';
import {
  AUTH_JWT_API_HEADER,
  AUTH_JWT_REQUEST_HEADER,
  AUTH_JWT_RESPONSE_HEADER,
  DEVICE_CLIENT,
  DPOP_CLIENT,
  DPOP_NONCE_CLIENT,
  EXCHANGE_DEFAULT_AUDIENCE,
  JWT_BEARER_ISSUER,
  MTLS_BOUND_CLIENT,
  PAR_CLIENT,
  SANDBOX_SECRET,
  SANDBOX_USER,
  TOKEN_EXCHANGE_CLIENT,
} from './authorization-server.js';
import { TLS_CLIENT_KEYSTORE, TLS_TRUSTSTORE } from './sandbox-tls.js';

export const SANDBOX_KEYSTORE = 'sandbox-demo';

export const SANDBOX_BUILDER = 'sandbox-builder';
export const SANDBOX_JWK_CLIENT = 'zos-jwk';

export interface SandboxEndpoints {
  issuer: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  authJwtHeaderUrl: string;
  combinedApiUrl: string;
  apiUrl: string;
  nonceApiUrl: string;
  apiGateway: { tokenUrl: string; apiUrl: string };
}

export function sandboxConnections(
  server: SandboxEndpoints,
  tls?: Pick<SandboxEndpoints, 'issuer' | 'tokenEndpoint' | 'apiUrl'>,
): Array<ConnectionInput & { description: string }> {
  const base = { issuer: server.issuer, tokenEndpoint: server.tokenEndpoint };
  const signing = { signing: { keystore: SANDBOX_KEYSTORE, alias: 'key' } };
  const id = (name: string) => name;
  return [
    {
      ...base,
      id: id('sandbox-client-credentials'),
      name: 'sandbox-client-credentials',
      type: 'client_credentials',
      description: 'Client credentials, basic client authentication',
      client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      params: { scope: 'api:read' },
    },
    {
      ...base,
      id: id('sandbox-client-secret-post'),
      name: 'sandbox-client-secret-post',
      type: 'client_credentials',
      description: 'Client credentials, ID and secret in the body',
      client: { id: 'cc-post', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' },
      params: { scope: 'api:read' },
    },
    {
      ...base,
      id: id('sandbox-private-key-jwt'),
      name: 'sandbox-private-key-jwt',
      type: 'client_credentials',
      description: 'Client credentials, private_key_jwt signed by the demo keystore',
      client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
      params: { scope: 'api:read' },
      jwt: { ...signing, header: { includeKid: true } },
    },
    {
      ...base,
      id: id('sandbox-password'),
      name: 'sandbox-password',
      type: 'password',
      description: `Resource owner password grant as ${SANDBOX_USER.username} (password: see the README)`,
      client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
      username: SANDBOX_USER.username,
      password: SANDBOX_USER.password,
      params: { scope: 'openid offline_access api:read' },
    },
    {
      ...base,
      id: id('sandbox-jwt-bearer'),
      name: 'sandbox-jwt-bearer',
      type: 'jwt_bearer',
      description: 'JWT bearer grant (RFC 7523), assertion signed by the demo keystore',
      client: { id: 'jwt-bearer' },
      params: { scope: 'api:read' },
      jwt: { ...signing, claims: { issuer: JWT_BEARER_ISSUER, subject: SANDBOX_USER.username } },
    },
    {
      ...base,
      id: id('sandbox-client-assertion'),
      name: 'sandbox-client-assertion',
      type: 'jwt_client_assertion',
      description: 'JWT client assertion flow (x5t header), Generate JWT Token then Submit Request',
      client: { id: 'cc-private-key-jwt' },
      params: { scope: 'api:read' },
      jwt: { ...signing, header: { includeKid: true } },
    },
    {
      ...base,
      id: id('sandbox-authorization-code'),
      name: 'sandbox-authorization-code',
      type: 'authorization_code',
      description: 'Authorization code + PKCE, loopback redirect (sign in with any user name)',
      authorizationEndpoint: server.authorizationEndpoint,
      client: { id: 'native-app' },
      params: {
        scope: 'openid offline_access api:read',
        authorizationParams: [{ name: 'prompt', value: 'consent' }],
      },
    },
    {
      ...base,
      id: id('sandbox-zos-combined'),
      name: 'sandbox-zos-combined',
      type: 'password',
      description:
        'z/OS Connect: OAuth password grant + JWT from an authentication server in JWT-header-name',
      client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
      username: SANDBOX_USER.username,
      password: SANDBOX_USER.password,
      params: { scope: 'api:read' },
      api: { baseUrl: server.combinedApiUrl },
      authToken: {
        enabled: true,
        tokenEndpoint: server.authJwtHeaderUrl,
        requestMethod: 'GET',
        username: SANDBOX_USER.username,
        password: SANDBOX_USER.password,
        credentialLocation: 'header',
        requestHeader: AUTH_JWT_REQUEST_HEADER,
        tokenLocation: 'header',
        responseHeader: AUTH_JWT_RESPONSE_HEADER,
        header: AUTH_JWT_API_HEADER,
      },
    },
    {
      ...base,
      id: id('sandbox-zos-jwk'),
      name: 'sandbox-zos-jwk',
      type: 'client_credentials',
      description:
        "z/OS Connect jwkEnabled: private_key_jwt with a generated key the sandbox fetches from Tokensmith's JWKS",
      client: { id: SANDBOX_JWK_CLIENT, authMethod: 'private_key_jwt' },
      params: { scope: 'api:read' },
      api: { baseUrl: server.apiUrl },
      jwt: {
        signing: { jwkEnabled: true, builderId: SANDBOX_BUILDER },
        // oidc-provider wants iss = client_id (RFC 7523 §3), not the builder's default issuer.
        claims: { issuer: SANDBOX_JWK_CLIENT },
      },
    },
    {
      id: id('sandbox-api-gateway-jwt'),
      name: 'sandbox-api-gateway-jwt',
      type: 'jwt',
      description: `API Gateway JWT: getJsonWebToken with ${SANDBOX_USER.username}'s Basic credentials, sent as Authorization: Bearer`,
      tokenEndpoint: server.apiGateway.tokenUrl,
      jwtIssuer: { username: SANDBOX_USER.username, password: SANDBOX_USER.password },
      api: { baseUrl: server.apiGateway.apiUrl },
    },
    ...newerConnections(server, tls),
  ];
}

/** RFC 8628, 8693, 9449, 9126, 8705: device flow, token exchange, DPoP, PAR, certificate-bound. */
function newerConnections(
  server: SandboxEndpoints,
  tls?: Pick<SandboxEndpoints, 'issuer' | 'tokenEndpoint' | 'apiUrl'>,
): Array<ConnectionInput & { description: string }> {
  const base = { issuer: server.issuer, tokenEndpoint: server.tokenEndpoint };
  const dpop = { enabled: true };
  return [
    {
      ...base,
      id: 'sandbox-device-code',
      name: 'sandbox-device-code',
      type: 'device_code',
      description:
        'Device authorization (RFC 8628): enter the code shown at the sandbox /device page',
      client: { id: DEVICE_CLIENT },
      params: { scope: 'openid offline_access api:read' },
      api: { baseUrl: server.apiUrl },
    },
    {
      ...base,
      id: 'sandbox-token-exchange',
      name: 'sandbox-token-exchange',
      type: 'token_exchange',
      description: `Token exchange (RFC 8693): sandbox-password's token, sandbox-client-credentials acting, for ${EXCHANGE_DEFAULT_AUDIENCE}`,
      client: { id: TOKEN_EXCHANGE_CLIENT, secret: SANDBOX_SECRET },
      subjectToken: { source: 'connection', connection: 'sandbox-password' },
      actorToken: { source: 'connection', connection: 'sandbox-client-credentials' },
      params: { scope: 'api:read', audience: EXCHANGE_DEFAULT_AUDIENCE },
      api: { baseUrl: server.apiUrl },
    },
    {
      ...base,
      id: 'sandbox-token-exchange-chained',
      name: 'sandbox-token-exchange-chained',
      type: 'token_exchange',
      description: 'Token exchange of sandbox-token-exchange’s token: a chain of two hops',
      client: { id: TOKEN_EXCHANGE_CLIENT, secret: SANDBOX_SECRET },
      subjectToken: { source: 'connection', connection: 'sandbox-token-exchange' },
      params: { scope: 'api:read', audience: 'https://reports.sandbox.test' },
    },
    {
      ...base,
      id: 'sandbox-dpop',
      name: 'sandbox-dpop',
      type: 'client_credentials',
      description: 'Client credentials with DPoP (RFC 9449): a generated ES256 proof key',
      client: { id: DPOP_CLIENT, secret: SANDBOX_SECRET },
      params: { scope: 'api:read' },
      dpop,
      api: { baseUrl: server.apiUrl },
    },
    {
      ...base,
      id: 'sandbox-dpop-nonce',
      name: 'sandbox-dpop-nonce',
      type: 'client_credentials',
      description: 'DPoP with server nonces at the token endpoint and the API (use_dpop_nonce)',
      client: { id: DPOP_NONCE_CLIENT, secret: SANDBOX_SECRET },
      params: { scope: 'api:read' },
      dpop,
      api: { baseUrl: server.nonceApiUrl },
    },
    {
      ...base,
      id: 'sandbox-par',
      name: 'sandbox-par',
      type: 'authorization_code',
      description:
        'Authorization code with a pushed authorization request (RFC 9126) and iss checked (RFC 9207)',
      authorizationEndpoint: server.authorizationEndpoint,
      client: { id: PAR_CLIENT },
      par: true,
      params: { scope: 'openid api:read' },
    },
    ...(tls
      ? [
          {
            issuer: tls.issuer,
            tokenEndpoint: tls.tokenEndpoint,
            id: 'sandbox-certificate-bound',
            name: 'sandbox-certificate-bound',
            type: 'client_credentials' as const,
            description:
              'Certificate-bound token (RFC 8705) over the sandbox TLS listener; the API wants the same certificate',
            client: { id: MTLS_BOUND_CLIENT, secret: SANDBOX_SECRET },
            params: { scope: 'api:read' },
            ssl: {
              enabled: true,
              keystoreAlias: TLS_CLIENT_KEYSTORE,
              truststoreAlias: TLS_TRUSTSTORE,
            },
            api: { baseUrl: tls.apiUrl },
          },
        ]
      : []),
  ];
}
