/**
 * IBM Security Verify (IBM Verify SaaS), client credentials: an API client or application's ID and
 * secret at the tenant's /oauth2/token.
 */
import type { ProviderProfile } from './profile.js';
import { SEGMENT } from './values.js';

export const ibmVerify: ProviderProfile = {
  id: 'ibm-verify',
  label: 'IBM Security Verify (client credentials)',
  docs: 'https://docs.verify.ibm.com/verify/docs/oauth-20-client-credentials',
  values: {
    tenant: {
      label: 'Tenant',
      help: 'the tenant name of TENANT.verify.ibm.com',
      required: true,
      example: 'mycompany',
      pattern: SEGMENT,
      patternMessage: 'a tenant name such as mycompany',
    },
    domain: {
      label: 'Custom domain',
      help: 'the tenant’s custom domain as an https:// URL, if it has one',
      required: false,
      example: 'https://login.example.com',
      pattern: /^https?:\/\/[^\s?#]+$/,
      patternMessage: 'an https:// URL',
    },
  },
  origin: 'https://{tenant}.verify.ibm.com',
  endpoints: {
    token: '{origin}/oauth2/token',
    issuer: '{origin}/oauth2',
    authorization: '{origin}/oauth2/authorize',
  },
  discovery: {
    url: '{origin}/oauth2/.well-known/openid-configuration',
    quirks: ['The issuer is TENANT.verify.ibm.com/oauth2, not the host alone.'],
  },
  connection: { type: 'client_credentials', authMethod: 'client_secret_basic' },
  clientAuth: {
    methods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    algorithms: ['RS256', 'PS256', 'ES256'],
  },
  match: { hosts: [/\.verify\.ibm\.com$/, /\.ice\.ibmcloud\.com$/] },
  errors: [
    {
      error: 'invalid_client',
      meaning: 'The client ID or secret is wrong, or the client is disabled.',
      field: 'client.secret',
      fix: 'enter the API client’s ID and secret (Security → API access)',
    },
    {
      error: 'unauthorized_client',
      meaning: 'The client is not allowed the client credentials grant.',
      fix: 'enable Client credentials in the application’s grant types',
    },
    {
      error: 'invalid_scope',
      meaning: 'A scope requested is not allowed for the client.',
      field: 'params.scope',
      fix: 'request scopes the client is entitled to',
    },
  ],
};
