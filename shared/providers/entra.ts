/**
 * Microsoft Entra ID (v2 endpoints), app-only access with a certificate: a client assertion
 * (RFC 7523 §2.2) whose `aud` is the tenant's v2 token endpoint, `iss` = `sub` = the
 * application (client) ID, with x5t#S256 or x5t naming the uploaded certificate. Error texts:
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import type { ProviderProfile } from './profile.js';
import { SEGMENT, domainValue } from './values.js';

export const entra: ProviderProfile = {
  id: 'entra',
  label: 'Microsoft Entra ID (certificate)',
  docs: 'https://learn.microsoft.com/entra/identity-platform/certificate-credentials',
  values: {
    tenant: {
      label: 'Tenant',
      help: 'Directory (tenant) ID or a verified domain (Overview of the app registration)',
      required: true,
      example: 'contoso.onmicrosoft.com',
      pattern: SEGMENT,
      patternMessage: 'a tenant ID (GUID) or a domain such as contoso.onmicrosoft.com',
    },
    domain: domainValue(
      'Authority host',
      'login.microsoftonline.com, or a national cloud’s (login.microsoftonline.us, login.partner.microsoftonline.cn)',
      'login.microsoftonline.com',
      'login.microsoftonline.com',
    ),
  },
  origin: 'https://{domain}',
  endpoints: {
    token: '{origin}/{tenant}/oauth2/v2.0/token',
    issuer: '{origin}/{tenant}/v2.0',
    authorization: '{origin}/{tenant}/oauth2/v2.0/authorize',
  },
  discovery: {
    url: '{origin}/{tenant}/v2.0/.well-known/openid-configuration',
    quirks: [
      'The metadata of "common" and "organizations" has the literal {tenantid} in its issuer; use the tenant ID for app-only tokens.',
      'v1 (/oauth2/token) and v2 (/oauth2/v2.0/token) endpoints differ: the assertion aud must be the endpoint it is sent to.',
      'Client credentials take a scope of the resource followed by /.default.',
    ],
  },
  connection: {
    type: 'jwt_client_assertion',
    authMethod: 'private_key_jwt',
    scope: 'https://graph.microsoft.com/.default',
  },
  clientAuth: {
    methods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    algorithms: ['RS256', 'PS256'],
  },
  assertion: {
    use: 'client_auth',
    audience: 'token_endpoint',
    iss: 'client_id',
    sub: 'client_id',
    headerOneOf: ['x5t#S256', 'x5t'],
    algorithms: ['RS256', 'PS256'],
    lifetimeMinutes: 10,
  },
  credentials: 'certificate',
  match: {
    hosts: [
      /^login\.microsoftonline\.(?:com|us)$/,
      /^login\.partner\.microsoftonline\.cn$/,
      /^login\.windows\.net$/,
    ],
    paths: [/\/[^/]+\/oauth2\/v2\.0\/token$/],
  },
  errors: [
    {
      code: 'AADSTS700027',
      meaning:
        'Client assertion failed signature validation: the certificate it names (x5t#S256 / x5t) is not uploaded to the app registration, or the assertion was signed with another key.',
      field: 'jwt.signing.alias',
      fix: 'sign with the key of a certificate listed under Certificates & secrets of the app registration (Keystore Name / Signing Alias), or upload this certificate there',
    },
    {
      code: 'AADSTS700024',
      meaning: 'Client assertion is not within its valid time range.',
      field: 'jwt.claims.expirationMinutes',
      fix: 'check this computer’s clock, and keep the Expiration Time short (10 minutes)',
    },
    {
      code: 'AADSTS700021',
      meaning: "Client assertion application identifier doesn't match the client_id parameter.",
      field: 'client.id',
      fix: 'use the Application (client) ID as the Client ID; leave the assertion Issuer and Subject empty (they follow it)',
    },
    {
      code: 'AADSTS700023',
      meaning: 'Client assertion audience claim does not match the realm issuer.',
      field: 'jwt.claims.audience',
      fix: 'leave the assertion Audience empty: it is then the v2 token endpoint it is sent to',
    },
    {
      code: 'AADSTS700016',
      meaning:
        'The application was not found in the directory (tenant): a wrong application ID, or an app registered in another tenant.',
      field: 'client.id',
      fix: 'use the Application (client) ID of the app registration, and the tenant it is registered in',
    },
    {
      code: 'AADSTS7000215',
      meaning: 'Invalid client secret provided (often the secret’s ID sent instead of its value).',
      field: 'client.secret',
      fix: 'enter the secret’s Value from Certificates & secrets',
    },
    {
      code: 'AADSTS7000222',
      meaning: 'The client secret has expired.',
      field: 'client.secret',
      fix: 'create a new client secret in the app registration and enter its value',
    },
    {
      code: 'AADSTS7000218',
      meaning: "The request body must contain 'client_assertion' or 'client_secret'.",
      field: 'client.authMethod',
      fix: 'sign a client assertion with the app’s certificate, or set the client secret',
    },
    {
      code: 'AADSTS90002',
      meaning: 'The tenant was not found.',
      field: 'tokenEndpoint',
      fix: 'use the Directory (tenant) ID or a verified domain of the tenant in the Token Endpoint',
    },
    {
      code: 'AADSTS50011',
      meaning:
        'The redirect URI sent does not match a redirect URI configured for the app registration.',
      field: 'redirect.port',
      fix: 'register the loopback redirect (http://localhost or http://127.0.0.1 with the path) under Authentication, or use that port and path here',
    },
    {
      code: 'AADSTS1002012',
      meaning:
        'Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
      field: 'params.scope',
      fix: 'request RESOURCE/.default, e.g. https://graph.microsoft.com/.default',
    },
    {
      code: 'AADSTS70011',
      meaning: 'The scope requested is not valid.',
      field: 'params.scope',
      fix: 'request RESOURCE/.default for app-only tokens',
    },
    {
      code: 'AADSTS500011',
      meaning: 'The resource principal named by the scope was not found in the tenant.',
      field: 'params.scope',
      fix: 'check the resource’s Application ID URI in the scope, and that the API is in this tenant',
    },
    {
      code: 'AADSTS7000112',
      meaning: 'The application is disabled.',
      fix: 'an administrator enables the enterprise application (service principal)',
    },
  ],
};
