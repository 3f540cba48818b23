/**
 * OAuth 2.0 Token Exchange (RFC 8693): a subject token — another connection's current token
 * (chained: obtained or refreshed as that connection does), or a pasted one (`${env:NAME}`
 * reads it from the environment) — and optionally an actor token, exchanged for a new token
 * with the requested type, audience, resource and scope.
 */
import * as z from 'zod';
import { clientAuthOf, connectionBase } from './base.js';
import { singleLine } from './primitives.js';
import { clientAuthSigning, type ConnectionTypeDescriptor } from './descriptor.js';
import {
  FIELDS,
  clientJwtSections,
  endpointsSection,
  foldedSections,
  sslSection,
} from './sections.js';
import { ACTIONS, type FieldSpec, type SectionSpec } from './ui.js';

/** RFC 8693 §2.1 grant type. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 8693 §3 token type identifiers. */
export const TOKEN_TYPES = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  refresh_token: 'urn:ietf:params:oauth:token-type:refresh_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  saml1: 'urn:ietf:params:oauth:token-type:saml1',
  saml2: 'urn:ietf:params:oauth:token-type:saml2',
} as const;

const tokenTypeOptions = Object.entries(TOKEN_TYPES).map(([name, value]) => ({
  value,
  label: `${name} (${value})`,
}));

/** Where a subject or actor token comes from. */
const tokenSource = {
  /** The name of the connection whose current token it is. */
  connection: singleLine('Connection').trim().default(''),
  /** A pasted token (a secret: sealed at rest; `${env:NAME}` reads it from the environment). */
  value: singleLine('Token').trim().default(''),
  tokenType: singleLine('Token type').trim().default(TOKEN_TYPES.access_token),
};

export const tokenExchangeConnection = z.object({
  ...connectionBase,
  type: z.literal('token_exchange'),
  subjectToken: z
    .object({ source: z.enum(['connection', 'value']).default('connection'), ...tokenSource })
    .prefault({}),
  actorToken: z
    .object({ source: z.enum(['none', 'connection', 'value']).default('none'), ...tokenSource })
    .prefault({}),
  /** Empty: the server chooses (RFC 8693 §2.1). */
  requestedTokenType: singleLine('Requested token type').trim().default(''),
});
export type TokenExchangeConnection = z.infer<typeof tokenExchangeConnection>;
type C = TokenExchangeConnection;

function tokenFields(role: 'subjectToken' | 'actorToken', label: string): Array<FieldSpec<C>> {
  const source = (c: C) => c[role].source;
  return [
    {
      path: `${role}.source`,
      label: `${label} from`,
      kind: 'select',
      options: [
        ...(role === 'actorToken' ? [{ value: 'none', label: 'No actor token' }] : []),
        { value: 'connection', label: "Another connection's current token (chained)" },
        { value: 'value', label: 'A pasted token (or ${env:NAME})' },
      ],
    },
    {
      path: `${role}.connection`,
      label: `${label}: connection`,
      kind: 'select',
      options: 'connections',
      help: 'Its token is obtained, taken from the cache or refreshed as that connection does.',
      when: (c) => source(c) === 'connection',
    },
    {
      path: `${role}.value`,
      label,
      kind: 'secret',
      help: 'Write ${env:NAME} to read it from the environment.',
      when: (c) => source(c) === 'value',
    },
    {
      path: `${role}.tokenType`,
      label: `${label} type`,
      kind: 'select',
      options: tokenTypeOptions,
      when: (c) => source(c) !== 'none',
    },
  ];
}

const exchangeSection: SectionSpec<C> = {
  id: 'tokenExchange',
  title: 'Token Exchange',
  level: 'basic',
  fields: [
    ...tokenFields('subjectToken', 'Subject token'),
    ...tokenFields('actorToken', 'Actor token'),
    {
      path: 'requestedTokenType',
      label: 'Requested token type',
      kind: 'select',
      options: [{ value: '', label: 'Any (the server chooses)' }, ...tokenTypeOptions],
    },
  ],
};

const SHOWN_ABOVE = new Set<string>([FIELDS.audience.path, FIELDS.resource.path]);

export const tokenExchange: ConnectionTypeDescriptor<C> = {
  type: 'token_exchange',
  label: 'OAuth 2.0 Token Exchange',
  grantType: TOKEN_EXCHANGE_GRANT,
  interactive: false,
  defaults: () => ({}),
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: clientAuthSigning,
  // The tokens themselves, as hashes: a chained subject's current token is filled in before the
  // key is computed, so two subjects (or two tokens of one subject) never share a cached token.
  cacheInputs: (c, hash) => ({
    subject: { ...c.subjectToken, value: hash(c.subjectToken.value) },
    actor: { ...c.actorToken, value: hash(c.actorToken.value) },
    requestedTokenType: c.requestedTokenType,
  }),
  exports: {
    serverXml: {
      unsupported:
        'z/OS Connect has no token exchange grant (client_credentials and password only)',
    },
    curlPreamble:
      'Set SUBJECT_TOKEN (and ACTOR_TOKEN) first, e.g. SUBJECT_TOKEN="$(npx tokensmith token <subject connection>)".',
  },
  ui: {
    icon: 'swap',
    groupTitle: 'Connection Groups: OAuth v2.0 (Token Exchange)',
    dialogTitle: 'OAuth 2.0 Token Exchange',
    steps: [
      {
        title: 'Token Exchange',
        sections: [
          endpointsSection(),
          sslSection,
          exchangeSection,
          {
            id: 'requestParameters',
            title: 'Request Parameters',
            level: 'basic',
            fields: [
              FIELDS.clientId,
              FIELDS.clientSecret,
              FIELDS.clientAuth,
              FIELDS.sendClientId,
              FIELDS.scope,
              FIELDS.audience,
              FIELDS.resource,
              FIELDS.proxyAlias,
            ],
          },
          ...clientJwtSections,
        ],
        action: ACTIONS.exchangeToken,
      },
    ],
    // Audience and resource are in Request Parameters here: not again under Advanced.
    advanced: foldedSections({ signs: 'clientAuth' }).map((s) =>
      s.id === 'advanced' ? { ...s, fields: s.fields.filter((f) => !SHOWN_ABOVE.has(f.path)) } : s,
    ),
  },
};
