/**
 * Okta, client credentials with private_key_jwt (a custom authorization server, or the org
 * authorization server, which requires private_key_jwt for client credentials). The client
 * assertion's `aud` is the token endpoint, `iss` = `sub` = the client ID, `kid` names the key.
 */
import type { ProviderProfile } from './profile.js';
import { SEGMENT, domainValue } from './values.js';

export const okta: ProviderProfile = {
  id: 'okta',
  label: 'Okta (private_key_jwt)',
  docs: 'https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/',
  values: {
    domain: domainValue('Okta domain', 'your Okta org or custom domain', 'dev-123456.okta.com'),
    realm: {
      label: 'Authorization server ID',
      help: '"default", or the ID of a custom authorization server (Security → API)',
      required: false,
      default: 'default',
      example: 'default',
      pattern: SEGMENT,
      patternMessage: 'an authorization server ID such as default or aus1abcd',
    },
  },
  origin: 'https://{domain}',
  endpoints: {
    token: '{origin}/oauth2/{realm}/v1/token',
    issuer: '{origin}/oauth2/{realm}',
    authorization: '{origin}/oauth2/{realm}/v1/authorize',
  },
  discovery: {
    url: '{origin}/oauth2/{realm}/.well-known/oauth-authorization-server',
    quirks: [
      'A custom authorization server publishes RFC 8414 metadata (oauth-authorization-server); its openid-configuration exists too.',
      'Client credentials need a custom scope of the authorization server.',
    ],
  },
  connection: { type: 'client_credentials', authMethod: 'private_key_jwt' },
  clientAuth: {
    methods: [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'none',
    ],
    algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
  },
  assertion: {
    use: 'client_auth',
    audience: 'token_endpoint',
    iss: 'client_id',
    sub: 'client_id',
    headerOneOf: ['kid'],
    algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
    lifetimeMinutes: 5,
  },
  credentials: 'certificate',
  match: {
    hosts: [/\.okta(?:preview|-emea)?\.com$/, /\.oktapreview\.com$/],
    paths: [/\/oauth2\/(?:[^/]+\/)?v1\/token$/],
  },
  errors: [
    {
      error: 'invalid_client',
      description: /client_assertion signature is invalid/,
      meaning:
        'The client assertion’s signature does not verify with the public key registered for the app.',
      field: 'jwt.signing.alias',
      fix: 'sign with the private key whose public key is under Public Keys of the app (Keystore Name / Signing Alias)',
    },
    {
      error: 'invalid_client',
      description: /client_assertion JWT kid is invalid/,
      meaning: 'The kid in the assertion header is missing or not a key registered for the app.',
      field: 'jwt.header.kid',
      fix: 'send the kid Okta shows for the key (Send kid on, kid = that ID)',
    },
    {
      error: 'invalid_client',
      description: /must use the private_key_jwt/,
      meaning:
        'Client credentials requests to the org authorization server must use private_key_jwt.',
      field: 'client.authMethod',
      fix: 'use a custom authorization server, or set client authentication to private_key_jwt',
    },
    {
      error: 'invalid_client',
      description: /audience claim|'aud' claim/i,
      meaning: 'The assertion aud is not the endpoint the request was sent to.',
      field: 'jwt.claims.audience',
      fix: 'leave the Audience empty: it is then the token endpoint',
    },
    {
      error: 'invalid_client',
      description: /expiration too far into the future|expired/i,
      meaning: 'The assertion expires more than an hour ahead, or has expired.',
      field: 'jwt.claims.expirationMinutes',
      fix: 'keep the Expiration Time short (5 minutes) and check this computer’s clock',
    },
    {
      error: 'invalid_client',
      description: /already been used|jti/i,
      meaning: 'The assertion’s jti was used before: each assertion is used once.',
      field: 'jwt.claims.includeJti',
      fix: 'keep Include jti on (a new one per request)',
    },
    {
      error: 'invalid_client',
      description: /client secret supplied for a confidential client is invalid/,
      meaning: 'The client secret is wrong.',
      field: 'client.secret',
      fix: 'enter the app’s current client secret',
    },
    {
      error: 'invalid_scope',
      meaning: 'A scope requested is not defined on the authorization server, or not allowed.',
      field: 'params.scope',
      fix: 'request a scope of the authorization server (Security → API → Scopes) allowed by its access policy',
    },
    {
      error: 'unauthorized_client',
      meaning: 'The app is not allowed the client credentials grant.',
      fix: 'enable Client Credentials under the app’s General Settings (grant types)',
    },
  ],
};
