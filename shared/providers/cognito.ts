/**
 * Amazon Cognito user pool, client credentials: the app client's ID and secret (Basic) at the
 * pool domain's /oauth2/token, scopes of a resource server (`resource-server-id/scope`).
 */
import type { ProviderProfile } from './profile.js';

export const cognito: ProviderProfile = {
  id: 'cognito',
  label: 'Amazon Cognito (client credentials)',
  docs: 'https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html',
  values: {
    domain: {
      label: 'Domain prefix',
      help: 'the user pool’s Cognito domain prefix (App integration → Domain), or an https:// custom domain',
      required: true,
      example: 'my-pool',
      pattern: /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|https?:\/\/[^\s?#]+)$/,
      patternMessage: 'a domain prefix such as my-pool, or an https:// custom domain',
    },
    region: {
      label: 'Region',
      help: 'the AWS region of the user pool',
      required: true,
      example: 'eu-west-1',
      pattern: /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/,
      patternMessage: 'an AWS region such as eu-west-1',
    },
  },
  origin: 'https://{domain}.auth.{region}.amazoncognito.com',
  endpoints: {
    token: '{origin}/oauth2/token',
    authorization: '{origin}/oauth2/authorize',
  },
  discovery: {
    quirks: [
      'The discovery document is at https://cognito-idp.REGION.amazonaws.com/POOL_ID/.well-known/openid-configuration, not on the domain.',
      'Client credentials need an app client with a secret and scopes of a resource server.',
    ],
  },
  connection: { type: 'client_credentials', authMethod: 'client_secret_basic' },
  clientAuth: { methods: ['client_secret_basic', 'client_secret_post'], algorithms: [] },
  match: { hosts: [/\.amazoncognito\.com$/] },
  errors: [
    {
      error: 'invalid_client',
      meaning: 'Client authentication failed: no app client with this ID and secret.',
      field: 'client.secret',
      fix: 'enter the app client’s ID and secret (App integration → App clients)',
    },
    {
      error: 'unauthorized_client',
      meaning: 'The app client is not allowed the client credentials grant.',
      fix: 'allow "Client credentials" in the app client’s OAuth grant types',
    },
    {
      error: 'invalid_scope',
      meaning: 'A scope requested is not a custom scope allowed for the app client.',
      field: 'params.scope',
      fix: 'request RESOURCE_SERVER_ID/SCOPE allowed for the app client',
    },
  ],
};
