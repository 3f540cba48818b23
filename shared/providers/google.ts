/**
 * Google service account (OAuth 2.0 for Server to Server Applications): a key file's private key
 * signs a JWT grant (RFC 7523 §2.1) with `iss` = client_email, `aud` = token_uri, the scopes in
 * a `scope` claim, `kid` = private_key_id and, for domain-wide delegation, `sub` = the user.
 */
import type { ProviderProfile } from './profile.js';

export const google: ProviderProfile = {
  id: 'google',
  label: 'Google service account (key file)',
  docs: 'https://developers.google.com/identity/protocols/oauth2/service-account#httprest',
  values: {},
  origin: 'https://oauth2.googleapis.com',
  endpoints: { token: '{origin}/token' },
  discovery: {
    url: 'https://accounts.google.com/.well-known/openid-configuration',
    quirks: [
      'The key file names its own token_uri: the assertion aud is that URL.',
      'Scopes go in the JWT (scope claim), not in the request.',
    ],
  },
  connection: {
    type: 'jwt_bearer',
    authMethod: 'auto',
    scope: 'https://www.googleapis.com/auth/cloud-platform',
  },
  clientAuth: { methods: ['omitted'], algorithms: ['RS256'] },
  assertion: {
    use: 'grant',
    audience: 'token_endpoint',
    iss: 'client_email',
    sub: 'optional',
    headerOneOf: ['kid'],
    algorithms: ['RS256'],
    lifetimeMinutes: 10,
    scopeClaim: true,
  },
  credentials: 'google_service_account',
  match: { hosts: [/^oauth2\.googleapis\.com$/, /^accounts\.google\.com$/] },
  errors: [
    {
      error: 'invalid_grant',
      description: /Invalid JWT Signature/,
      meaning: 'The key that signed the JWT is not (or no longer) a key of the service account.',
      field: 'jwt.signing.keystore',
      fix: 'import a current key file of the service account (IAM → Service accounts → Keys)',
    },
    {
      error: 'invalid_grant',
      description: /short-lived token|reasonable timeframe|iat and exp/,
      meaning: 'The JWT’s iat/exp are out of range (at most 60 minutes, and the clock matters).',
      field: 'jwt.claims.expirationMinutes',
      fix: 'check this computer’s clock; keep the Expiration Time at most 60 minutes',
    },
    {
      error: 'unauthorized_client',
      meaning:
        'Domain-wide delegation is not granted to this client for the scopes requested (with a sub).',
      field: 'jwt.claims.scopeClaim',
      fix: 'grant the service account’s client ID these scopes in the Admin console, or leave the Subject empty',
    },
    {
      error: 'invalid_grant',
      description: /Not a valid email|account not found|Invalid email or User ID/i,
      meaning: 'The iss (client_email) or the sub (user to act as) is not a known account.',
      field: 'jwt.claims.subject',
      fix: 'use the key file’s client_email as the Issuer, and a user of the domain as the Subject (or none)',
    },
    {
      error: 'invalid_scope',
      meaning: 'The scope claim is missing or names an unknown scope.',
      field: 'jwt.claims.scopeClaim',
      fix: 'set the scope claim, e.g. https://www.googleapis.com/auth/cloud-platform',
    },
  ],
};
