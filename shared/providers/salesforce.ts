/**
 * Salesforce OAuth 2.0 JWT Bearer Flow (a connected app with "Use digital signatures"): the JWT
 * is the grant, `iss` = the consumer key, `sub` = the username, `aud` = https://login.salesforce.com
 * (https://test.salesforce.com for a sandbox), RS256, expiring within 3 minutes.
 */
import type { ProviderProfile } from './profile.js';
import { domainValue } from './values.js';

export const salesforce: ProviderProfile = {
  id: 'salesforce',
  label: 'Salesforce (connected app, JWT bearer)',
  docs: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm',
  values: {
    domain: domainValue(
      'Login host',
      'login.salesforce.com, test.salesforce.com for a sandbox, or your My Domain host',
      'login.salesforce.com',
      'login.salesforce.com',
    ),
  },
  origin: 'https://{domain}',
  endpoints: {
    token: '{origin}/services/oauth2/token',
    authorization: '{origin}/services/oauth2/authorize',
  },
  discovery: {
    url: '{origin}/.well-known/openid-configuration',
    quirks: [
      'The assertion aud is the login host (login or test), not the token endpoint, even when the request goes to My Domain.',
      'The token response has instance_url: API calls go there.',
    ],
  },
  connection: { type: 'jwt_bearer', authMethod: 'auto' },
  clientAuth: { methods: ['omitted'], algorithms: ['RS256'] },
  assertion: {
    use: 'grant',
    audience: {
      template: 'https://login.salesforce.com',
      sandbox: {
        domain: /^(?:test\.salesforce\.com|.+\.sandbox\.my\.salesforce\.com)$/,
        template: 'https://test.salesforce.com',
      },
    },
    iss: 'consumer_key',
    sub: 'username',
    headerOneOf: [],
    algorithms: ['RS256'],
    lifetimeMinutes: 3,
  },
  credentials: 'certificate',
  match: {
    hosts: [/(?:^|\.)salesforce\.com$/, /\.force\.com$/],
    paths: [/\/services\/oauth2\/token$/],
  },
  errors: [
    {
      error: 'invalid_grant',
      description: /user hasn't approved this consumer/,
      meaning:
        'The user named in sub has not approved the connected app, and is not pre-authorized.',
      field: 'jwt.claims.subject',
      fix: 'set Permitted Users to "Admin approved users are pre-authorized" and add the user’s profile or permission set to the connected app (or have the user approve it once)',
    },
    {
      error: 'invalid_grant',
      description: /audience is invalid/,
      meaning: 'The aud claim is not the login host.',
      field: 'jwt.claims.audience',
      fix: 'set the Audience to https://login.salesforce.com (https://test.salesforce.com for a sandbox)',
    },
    {
      error: 'invalid_grant',
      description: /invalid assertion/,
      meaning:
        'The signature does not verify with the certificate of the connected app, or a claim is malformed.',
      field: 'jwt.signing.alias',
      fix: 'sign with the private key of the certificate uploaded to the connected app (Keystore Name / Signing Alias)',
    },
    {
      error: 'invalid_client_id',
      meaning: 'The client identifier (the iss of the JWT) is not a consumer key.',
      field: 'jwt.claims.issuer',
      fix: 'set the Issuer to the connected app’s Consumer Key',
    },
    {
      error: 'invalid_grant',
      description: /user is not admin approved/,
      meaning: 'The connected app is admin-approved only, and this user is not assigned to it.',
      field: 'jwt.claims.subject',
      fix: 'add the user’s profile or permission set to the connected app',
    },
    {
      error: 'invalid_grant',
      description: /expired authorization code|expired access\/refresh token/,
      meaning: 'The JWT expired before it was checked.',
      field: 'jwt.claims.expirationMinutes',
      fix: 'check this computer’s clock; keep the Expiration Time within 3 minutes',
    },
    {
      error: 'invalid_grant',
      description: /inactive user/,
      meaning: 'The user named in sub is inactive.',
      field: 'jwt.claims.subject',
      fix: 'use the username of an active user',
    },
  ],
};
