/**
 * JWT (API Gateway, seed 003): a JWT from an issuer that is not OAuth — user name and password as
 * Basic credentials, optional claims, the JWT read from a response field or header (API Gateway's
 * `getJsonWebToken` answers `{"jwt": "…"}`) — or a pasted JWT; API calls carry it as
 * `Authorization: Bearer`. In z/OS Connect terms (seed 000) it is a `zosconnect_authToken` alone
 * on an endpoint connection: the same request and response settings, the JWT in Authorization
 * because no OAuth token needs that header.
 */
import * as z from 'zod';
import { authTokenSettings, checkJwtRequest, connectionBase, optionalHttpUrl } from './base.js';
import type { ConnectionTypeDescriptor, FieldProblem } from './descriptor.js';
import { FIELDS, sslSection } from './sections.js';
import { apiSection } from './sections-zos.js';
import { ACTIONS, type FieldSpec, type SectionSpec } from './ui.js';

/** API Gateway's JWT endpoint, under the gateway's base URL. */
export const API_GATEWAY_JWT_PATH = '/rest/pub/apigateway/jwt/getJsonWebToken';

/** The issuer request: z/OS `zosconnect_authToken`'s settings with API Gateway's defaults. */
export const jwtIssuerSettings = authTokenSettings
  .omit({ enabled: true, tokenEndpoint: true })
  .extend({
    tokenLocation: authTokenSettings.shape.tokenLocation.unwrap().default('body'),
    tokenPath: authTokenSettings.shape.tokenPath.unwrap().default('$.jwt'),
    header: authTokenSettings.shape.header.unwrap().default('Authorization'),
    /**
     * Claims the JWT should carry, a JSON object sent as the request body (API Gateway "Retrieving
     * JWT Token with Claim"); the credentials then stay in the header.
     */
    claims: z.string().default(''),
  });
export type JwtIssuerSettings = z.infer<typeof jwtIssuerSettings>;

function claimsProblem(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return undefined;
  } catch {
    return 'Claims are not valid JSON: write an object such as {"aud": "my-api"}';
  }
  return 'Claims must be a JSON object, such as {"aud": "my-api"}';
}

export const jwtConnection = z
  .object({
    ...connectionBase,
    type: z.literal('jwt'),
    /** The issuer's JWT URL (API Gateway: `…/rest/pub/apigateway/jwt/getJsonWebToken`). */
    tokenEndpoint: optionalHttpUrl,
    jwtIssuer: jwtIssuerSettings.prefault({}),
    /** A JWT pasted instead of getting one (API Gateway Try API: "Provide the JWT token"). */
    pastedJwt: z.string().trim().default(''),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    checkJwtRequest(c.jwtIssuer, ['jwtIssuer'], issue);
    const claims = claimsProblem(c.jwtIssuer.claims);
    if (claims) issue(['jwtIssuer', 'claims'], claims);
    else if (c.jwtIssuer.claims.trim() && c.jwtIssuer.credentialLocation === 'body')
      issue(
        ['jwtIssuer', 'claims'],
        'Claims go in the request body: send the credentials in a header (Credentials Location)',
      );
    else if (c.jwtIssuer.claims.trim() && c.jwtIssuer.requestMethod === 'GET')
      issue(['jwtIssuer', 'requestMethod'], 'A GET request carries no claims: choose POST');
  });
export type JwtConnection = z.infer<typeof jwtConnection>;
type C = JwtConnection;

const pasted = (c: C) => c.pastedJwt !== '';

const issuerFields: Array<FieldSpec<C>> = [
  {
    path: 'jwtIssuer.username',
    label: 'User Name',
    kind: 'text',
    when: (c) => !pasted(c),
  },
  {
    path: 'jwtIssuer.password',
    label: 'Password',
    kind: 'secret',
    help: 'Write ${env:NAME} to read it from the environment.',
    when: (c) => !pasted(c),
  },
  {
    path: 'jwtIssuer.claims',
    label: 'Claims (optional JSON object, sent with POST)',
    kind: 'code',
    full: true,
    placeholder: '{"aud": "my-api"}',
    when: (c) => !pasted(c),
  },
  FIELDS.proxyAlias,
];

const requestSection: SectionSpec<C> = {
  id: 'jwtRequest',
  title: 'JWT request and response',
  level: 'advanced',
  fields: [
    {
      path: 'jwtIssuer.requestMethod',
      label: 'Request Method',
      kind: 'select',
      options: ['GET', 'POST', 'PUT'].map((m) => ({ value: m, label: m })),
    },
    {
      path: 'jwtIssuer.credentialLocation',
      label: 'Credentials Location',
      kind: 'select',
      options: [
        { value: 'header', label: 'Header (Basic user:password)' },
        { value: 'body', label: 'Request body' },
      ],
    },
    {
      path: 'jwtIssuer.requestHeader',
      label: 'Credentials Header',
      kind: 'text',
      when: (c) => c.jwtIssuer.credentialLocation === 'header',
    },
    {
      path: 'jwtIssuer.requestBody',
      label: 'Request Body',
      kind: 'code',
      help: '${userid} and ${password} are replaced',
      when: (c) => c.jwtIssuer.credentialLocation === 'body',
    },
    {
      path: 'jwtIssuer.tokenLocation',
      label: 'JWT Location in the Response',
      kind: 'select',
      options: [
        { value: 'body', label: 'Body' },
        { value: 'header', label: 'Header' },
      ],
    },
    {
      path: 'jwtIssuer.responseHeader',
      label: 'JWT Response Header',
      kind: 'text',
      when: (c) => c.jwtIssuer.tokenLocation === 'header',
    },
    {
      path: 'jwtIssuer.responseFormat',
      label: 'Format',
      kind: 'select',
      options: ['JSON', 'Text'].map((m) => ({ value: m, label: m })),
      when: (c) => c.jwtIssuer.tokenLocation === 'body',
    },
    {
      path: 'jwtIssuer.tokenPath',
      label: 'JWT Path',
      kind: 'text',
      help: 'API Gateway answers {"jwt": "…"}: $.jwt',
      when: (c) => c.jwtIssuer.tokenLocation === 'body' && c.jwtIssuer.responseFormat === 'JSON',
    },
    { path: 'jwtIssuer.header', label: 'API Request Header for the JWT', kind: 'text' },
    { path: 'jwtIssuer.useBearerScheme', label: 'Send as “Bearer <JWT>”', kind: 'switch' },
    { path: 'timeouts.connectSeconds', label: 'Connect timeout (seconds)', kind: 'number' },
    { path: 'timeouts.readSeconds', label: 'Read timeout (seconds)', kind: 'number' },
  ],
};

export const jwtToken: ConnectionTypeDescriptor<C> = {
  type: 'jwt',
  label: 'JWT (API Gateway)',
  // Not OAuth: no grant_type is sent, and discovery has nothing to check it against.
  grantType: null,
  interactive: false,
  defaults: () => ({ tokenEndpoint: '' }),
  clientAuthAsSent: () => 'omitted',
  signsJwt: () => undefined,
  prerequisites: (c) => {
    if (pasted(c)) return [];
    const out: FieldProblem[] = [];
    if (!c.tokenEndpoint)
      out.push({ field: 'tokenEndpoint', message: 'Enter the JWT issuer URL, or paste a JWT.' });
    if (!c.jwtIssuer.username)
      out.push({ field: 'jwtIssuer.username', message: 'Enter the User Name the issuer knows.' });
    return out;
  },
  apiToken: (c) => ({ header: c.jwtIssuer.header, bearer: c.jwtIssuer.useBearerScheme }),
  cacheInputs: (c, hash) => ({
    jwtIssuer: {
      ...c.jwtIssuer,
      password: hash(c.jwtIssuer.password),
      requestBody: hash(c.jwtIssuer.requestBody),
    },
    pastedJwt: hash(c.pastedJwt),
  }),
  exports: {
    serverXml: {
      authToken: true,
      note: 'written as a zosconnect_authToken alone on its endpoint connection: z/OS gets the JWT with the same request and sends it in the same header',
    },
    curlPreamble: 'The JWT comes back in the response (API Gateway: at $.jwt).',
  },
  ui: {
    icon: 'token',
    groupTitle: 'Connection Groups: JWT',
    dialogTitle: 'JWT (API Gateway)',
    steps: [
      {
        title: 'JWT',
        sections: [
          {
            id: 'endpoints',
            title: 'Request Endpoints',
            level: 'basic',
            fields: [
              {
                path: 'tokenEndpoint',
                role: 'endpoint',
                label: 'JWT Issuer URL',
                kind: 'url',
                placeholder: `https://gateway.example.com:5555${API_GATEWAY_JWT_PATH}`,
                help: 'API Gateway: its getJsonWebToken URL. Empty when you paste a JWT.',
                when: (c) => !pasted(c),
              },
            ],
          },
          sslSection,
          { id: 'credentials', title: 'Credentials', level: 'basic', fields: issuerFields },
          {
            id: 'pastedJwt',
            title: 'JWT',
            level: 'basic',
            fields: [
              {
                path: 'pastedJwt',
                label: 'JWT (paste one instead of getting it)',
                kind: 'code',
                full: true,
                placeholder: 'eyJhbGciOi…',
              },
            ],
          },
        ],
        action: ACTIONS.getToken,
      },
    ],
    advanced: [requestSection, apiSection],
  },
};
