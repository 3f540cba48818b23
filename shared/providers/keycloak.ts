/**
 * Keycloak, client credentials (service account) with the "Signed JWT" client authenticator:
 * `iss` = `sub` = the client ID, `aud` = the realm's issuer URL (the token endpoint is also
 * accepted), a unique `jti`.
 */
import type { ProviderProfile } from './profile.js';
import { SEGMENT, domainValue } from './values.js';

export const keycloak: ProviderProfile = {
  id: 'keycloak',
  label: 'Keycloak (Signed JWT)',
  docs: 'https://www.keycloak.org/docs/latest/server_admin/#_client-credentials',
  values: {
    domain: domainValue(
      'Server',
      'the Keycloak host, or its base URL when it has a path (https://host/auth on old versions)',
      'sso.example.com',
    ),
    realm: {
      label: 'Realm',
      help: 'the realm name, as in the admin console',
      required: true,
      example: 'myrealm',
      pattern: SEGMENT,
      patternMessage: 'a realm name such as myrealm',
    },
  },
  origin: 'https://{domain}',
  endpoints: {
    token: '{origin}/realms/{realm}/protocol/openid-connect/token',
    issuer: '{origin}/realms/{realm}',
    authorization: '{origin}/realms/{realm}/protocol/openid-connect/auth',
  },
  discovery: {
    url: '{origin}/realms/{realm}/.well-known/openid-configuration',
    quirks: [
      'Versions before 17 serve everything under /auth (give the base URL with it).',
      'The assertion aud may be the issuer or the token endpoint; the issuer is what newer versions prefer.',
    ],
  },
  connection: { type: 'client_credentials', authMethod: 'private_key_jwt' },
  clientAuth: {
    methods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
  },
  assertion: {
    use: 'client_auth',
    audience: 'issuer',
    iss: 'client_id',
    sub: 'client_id',
    headerOneOf: [],
    algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
    lifetimeMinutes: 5,
  },
  credentials: 'certificate',
  match: { hosts: [], paths: [/\/realms\/[^/]+\/protocol\/openid-connect\/token$/] },
  errors: [
    {
      error: 'invalid_client',
      description: /signed JWT failed|Signature on JWT token failed|client_assertion/i,
      meaning:
        'The signed JWT was refused: the key is not the one of the client’s Keys tab (certificate or JWKS URL), or a claim is wrong.',
      field: 'jwt.signing.alias',
      fix: 'sign with the key whose certificate is on the client’s Keys tab, or publish its JWKS there',
    },
    {
      error: 'invalid_client',
      description: /Invalid client or Invalid client credentials/,
      meaning: 'No such client, or its credentials are wrong.',
      field: 'client.id',
      fix: 'use the Client ID as in the admin console, with the authenticator its Credentials tab names',
    },
    {
      error: 'unauthorized_client',
      description: /not enabled to retrieve service account/,
      meaning: 'The client has no service account.',
      fix: 'turn on Service accounts roles (Client authentication on) in the client’s settings',
    },
    {
      error: 'invalid_scope',
      meaning: 'A scope requested is not a client scope of the client.',
      field: 'params.scope',
      fix: 'request scopes assigned to the client (Client scopes tab)',
    },
    {
      error: 'invalid_request',
      description: /Realm does not exist/,
      meaning: 'The realm in the URL does not exist.',
      field: 'tokenEndpoint',
      fix: 'use the realm name exactly as in the admin console',
    },
    {
      error: 'invalid_client',
      description: /Token reuse detected/,
      meaning: 'The assertion’s jti was used before.',
      field: 'jwt.claims.includeJti',
      fix: 'keep Include jti on (a new one per request)',
    },
  ],
};
