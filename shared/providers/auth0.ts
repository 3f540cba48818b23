/**
 * Auth0, client credentials with Private Key JWT: the assertion's `aud` is the tenant's URL with
 * its trailing slash (https://TENANT.auth0.com/ or the custom domain), `iss` = `sub` = the client
 * ID, at most 5 minutes; the API is named by the `audience` request parameter.
 */
import type { ProviderProfile } from './profile.js';
import { domainValue } from './values.js';

export const auth0: ProviderProfile = {
  id: 'auth0',
  label: 'Auth0 (Private Key JWT)',
  docs: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt',
  values: {
    domain: domainValue(
      'Tenant domain',
      'the tenant’s domain (TENANT.REGION.auth0.com) or its custom domain',
      'example.us.auth0.com',
    ),
  },
  origin: 'https://{domain}',
  endpoints: {
    token: '{origin}/oauth/token',
    issuer: '{origin}/',
    authorization: '{origin}/authorize',
  },
  discovery: {
    url: '{origin}/.well-known/openid-configuration',
    quirks: [
      'The issuer ends with a slash.',
      'Client credentials need the audience parameter: the API Identifier.',
    ],
  },
  connection: { type: 'client_credentials', authMethod: 'private_key_jwt' },
  clientAuth: {
    methods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    algorithms: ['RS256', 'RS384', 'PS256'],
  },
  assertion: {
    use: 'client_auth',
    audience: { template: '{origin}/' },
    iss: 'client_id',
    sub: 'client_id',
    headerOneOf: [],
    algorithms: ['RS256', 'RS384', 'PS256'],
    lifetimeMinutes: 2,
  },
  credentials: 'certificate',
  match: { hosts: [/\.auth0\.com$/] },
  errors: [
    {
      error: 'access_denied',
      description: /Service not enabled within domain/,
      meaning: 'The audience parameter names no API of the tenant.',
      field: 'params.audience',
      fix: 'set the request parameter Audience to the API’s Identifier (APIs → your API → Settings)',
    },
    {
      error: 'access_denied',
      description: /Client has not been granted scopes/,
      meaning: 'The application is not authorized for the scopes requested on this API.',
      field: 'params.scope',
      fix: 'authorize the application for the API and grant the scopes (APIs → Machine to Machine Applications)',
    },
    {
      error: 'unauthorized_client',
      description: /Grant type .* not allowed/,
      meaning: 'The application is not allowed the client credentials grant.',
      fix: 'enable Client Credentials under Advanced Settings → Grant Types',
    },
    {
      error: 'invalid_client',
      description: /assertion|signature|credential/i,
      meaning:
        'The client assertion was refused: another key signed it, aud is not the tenant URL with its slash, or it lives more than 5 minutes.',
      field: 'jwt.signing.alias',
      fix: 'sign with the key of the application’s credential; leave the Audience as the profile set it (https://DOMAIN/)',
    },
    {
      error: 'invalid_client',
      meaning: 'The client ID or its authentication is wrong.',
      field: 'client.id',
      fix: 'use the application’s Client ID, and the authentication method it is set to',
    },
  ],
};
