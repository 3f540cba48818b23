/**
 * The sections the connection types share, in the seed's wording (CloudStreams seed 004; z/OS
 * Connect seeds 000–002 for what is folded under z/OS Connect). Each type's descriptor picks and
 * orders them for its flow dialog.
 */
import {
  CLIENT_AUTH_LABELS,
  CLIENT_AUTH_METHODS,
  JWS_ALGORITHMS,
  clientAuthOf,
  type ConnectionCommon,
} from './base.js';
import type { FieldSpec, SectionSpec } from './ui.js';
import { audienceHelp, kidHelp, refreshTokenHelp, x5tHelp, x5tValueHelp } from './help-zos.js';
import { dpopSection, tokenManagementSection } from './sections-binding.js';
import { apiSection, authTokenSection, jwtBuilderSection } from './sections-zos.js';

type Common = ConnectionCommon;
type Field = FieldSpec<Common>;

const signsWithKeystore = (c: Common) => !c.jwt.signing.jwkEnabled;
const usesSecret = (c: Common) =>
  ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'].includes(
    clientAuthOf(c.client),
  ) || c.client.authMethod === 'auto';
const jwtClientAuth = (c: Common) =>
  c.client.authMethod === 'private_key_jwt' || c.client.authMethod === 'client_secret_jwt';

export const FIELDS = {
  tokenEndpoint: {
    path: 'tokenEndpoint',
    role: 'endpoint',
    label: 'Token Endpoint',
    kind: 'url',
    required: true,
    placeholder: 'https://login.example.com/oauth2/token',
  },
  issuer: {
    path: 'issuer',
    // The endpoints are discovered from it: the secrets go where it says.
    role: 'endpoint',
    label: 'Issuer (optional, for discovery)',
    kind: 'issuer',
    placeholder: 'https://login.example.com',
  },
  clientId: { path: 'client.id', label: 'Client ID', kind: 'text' },
  clientSecret: {
    path: 'client.secret',
    label: 'Client Secret',
    kind: 'secret',
    help: 'Write ${env:NAME} to read it from the environment.',
    when: usesSecret,
  },
  clientAuth: {
    path: 'client.authMethod',
    label: 'Client Authentication',
    kind: 'select',
    options: CLIENT_AUTH_METHODS.map((m) => ({ value: m, label: CLIENT_AUTH_LABELS[m] })),
  },
  sendClientId: {
    path: 'client.sendClientIdWithAssertion',
    label: 'Also send client_id in the body',
    kind: 'switch',
    when: jwtClientAuth,
  },
  scope: { path: 'params.scope', label: 'Scope', kind: 'text' },
  audience: { path: 'params.audience', label: 'Audience', kind: 'text' },
  resource: { path: 'params.resource', label: 'Resource (one per line)', kind: 'lines' },
  proxyAlias: {
    path: 'proxyAlias',
    label: 'Proxy Server Alias',
    kind: 'select',
    options: 'proxies',
  },
} as const satisfies Record<string, Field>;

export const endpointsSection = (first: readonly Field[] = []): SectionSpec<Common> => ({
  id: 'endpoints',
  title: 'Request Endpoints',
  level: 'basic',
  fields: [...first, FIELDS.tokenEndpoint, FIELDS.issuer],
});

export const sslSection: SectionSpec<Common> = {
  id: 'ssl',
  title: 'SSL Connection',
  level: 'basic',
  fields: [
    {
      path: 'ssl.enabled',
      label: 'SSL Connection (client certificate and trusted CAs)',
      kind: 'switch',
      full: true,
    },
    {
      path: 'ssl.keystoreAlias',
      label: 'Keystore Alias',
      kind: 'select',
      options: 'keystores',
      when: (c) => c.ssl.enabled,
    },
    {
      path: 'ssl.keyAlias',
      label: 'Key Alias',
      kind: 'select',
      options: 'sslKeyAliases',
      when: (c) => c.ssl.enabled,
    },
    {
      path: 'ssl.truststoreAlias',
      label: 'Truststore Alias',
      kind: 'select',
      options: 'stores',
      when: (c) => c.ssl.enabled,
    },
  ],
};

/** The JWT header of a keystore-signed JWT: x5t from a browsed certificate (seed 004). */
export const headersSection: SectionSpec<Common> = {
  id: 'headers',
  title: 'Headers',
  level: 'basic',
  fields: [
    {
      path: 'jwt.header.x5t',
      label: 'x5t',
      kind: 'x5t',
      help: x5tValueHelp,
      when: signsWithKeystore,
    },
    {
      path: 'jwt.header.alg',
      label: 'Algorithm',
      kind: 'select',
      options: [
        { value: 'auto', label: 'Automatic (follows the key)' },
        ...JWS_ALGORITHMS.map((a) => ({ value: a, label: a })),
      ],
    },
    {
      path: 'jwt.header.generatedKeyHint',
      label:
        'The kid of the generated signing key is always sent, so the server picks the key from the JWKS. There is no certificate, so no x5t or x5c.',
      kind: 'hint',
      full: true,
      when: (c) => c.jwt.signing.jwkEnabled,
    },
  ],
};

/** Header members most providers do not need: folded under Advanced. */
export const headerOptionsSection: SectionSpec<Common> = {
  id: 'headerOptions',
  title: 'JWT header options',
  level: 'advanced',
  when: signsWithKeystore,
  fields: [
    { path: 'jwt.header.kid', label: 'kid (empty: key thumbprint)', kind: 'text' },
    { path: 'jwt.header.x5tS256', label: 'x5t#S256 (empty: from the certificate)', kind: 'text' },
    { path: 'jwt.header.includeX5t', label: 'Send x5t', kind: 'switch', help: x5tHelp },
    { path: 'jwt.header.includeX5tS256', label: 'Send x5t#S256', kind: 'switch' },
    {
      path: 'jwt.header.includeKid',
      label: 'Send kid',
      kind: 'switch',
      help: kidHelp,
    },
    { path: 'jwt.header.includeX5c', label: 'Send x5c chain', kind: 'switch' },
  ],
};

const builderIssuerHelp = (fallback: string) => (c: Common) =>
  c.jwt.signing.builderId ? "Empty: the JWT builder's URL (/jwt/{builder ID})" : fallback;

/** Claims of the JWT bearer grant's assertion (RFC 7523 §2.1; seed 004 JWT Flow). */
export const grantClaimsSection: SectionSpec<Common> = {
  id: 'claims',
  title: 'Claims',
  level: 'basic',
  fields: [
    {
      path: 'jwt.claims.issuer',
      label: 'Issuer',
      kind: 'text',
      help: builderIssuerHelp('Client ID or name of the system issuing the JWT'),
    },
    {
      path: 'jwt.claims.subject',
      label: 'Subject',
      kind: 'text',
      help: 'The user this token represents',
    },
    {
      path: 'jwt.claims.audience',
      label: 'Audience',
      kind: 'text',
      help: audienceHelp,
    },
    { path: 'jwt.claims.expirationMinutes', label: 'Expiration Time (mins)', kind: 'number' },
  ],
};

/** Claims of a client assertion (RFC 7523 §2.2; seed 004 JWT Client Assertion). */
export const clientAssertionClaimsSection: SectionSpec<Common> = {
  id: 'claims',
  title: 'Claims',
  level: 'basic',
  fields: [
    {
      path: 'jwt.claims.issuer',
      label: 'Issuer',
      kind: 'text',
      help: builderIssuerHelp('Empty: the Client ID'),
    },
    {
      path: 'jwt.claims.subject',
      label: 'Subject (Client ID)',
      kind: 'text',
      // Seed 004's JWT Client Assertion flow lets the user type it; elsewhere (z/OS's
      // jwtAuthentication, private_key_jwt) the client assertion's sub is the Client ID.
      help: (c: Common) =>
        (c as { type?: string }).type === 'jwt_client_assertion'
          ? 'Empty: the Client ID. Providers refuse any other value (RFC 7523 §3): the assertion check says so'
          : 'Always the Client ID for client authentication',
    },
    {
      path: 'jwt.claims.audience',
      label: 'Audience',
      kind: 'text',
      help: audienceHelp,
    },
    { path: 'jwt.claims.expirationMinutes', label: 'Expiration Time (mins)', kind: 'number' },
  ],
};

/** Claims the seed's dialogs do not show. */
export const claimOptionsSection = (scopeClaim: boolean): SectionSpec<Common> => ({
  id: 'claimOptions',
  title: 'More claims',
  level: 'advanced',
  fields: [
    ...(scopeClaim
      ? [{ path: 'jwt.claims.scopeClaim', label: 'scope claim (optional)', kind: 'text' } as const]
      : []),
    {
      path: 'jwt.claims.defaultAudience',
      label: 'Default aud (the Token Endpoint)',
      kind: 'switch',
      help: 'When Audience is empty. Off: no aud, as a z/OS Connect jwtBuilder without audiences sends',
    },
    { path: 'jwt.claims.includeJti', label: 'jti', kind: 'switch' },
    { path: 'jwt.claims.includeNotBefore', label: 'nbf', kind: 'switch' },
    {
      path: 'jwt.claims.customClaims',
      label: 'Custom claims (JSON object)',
      kind: 'code',
      full: true,
      placeholder: '{"tid": "…", "roles": ["reader"]}',
    },
  ],
});

const signingFields: Field[] = [
  {
    path: 'jwt.signing.keystore',
    label: 'Keystore Name',
    kind: 'select',
    options: 'keystores',
    when: signsWithKeystore,
  },
  {
    path: 'jwt.signing.alias',
    label: 'Signing Alias',
    kind: 'select',
    options: 'signingAliases',
    when: signsWithKeystore,
  },
];

/** Keystore and Proxy (seed 004): Keystore Name → Signing Alias, and the Proxy Server Alias. */
export const keystoreProxySection = (signing: boolean, proxy: boolean): SectionSpec<Common> => ({
  id: 'keystoreProxy',
  title: signing ? 'Keystore and Proxy' : 'Proxy',
  level: 'basic',
  fields: [...(signing ? signingFields : []), ...(proxy ? [FIELDS.proxyAlias] : [])],
});

/** Client authentication as a JWT (private_key_jwt): the sections of its assertion. */
export const clientJwtSections: ReadonlyArray<SectionSpec<Common>> = [
  { ...headersSection, when: (c) => c.client.authMethod === 'private_key_jwt' },
  {
    ...clientAssertionClaimsSection,
    when: jwtClientAuth,
  },
  {
    id: 'signingKey',
    title: 'Keystore',
    level: 'basic',
    when: (c) => c.client.authMethod === 'private_key_jwt',
    fields: signingFields,
  },
];

/** Token path and custom parameters: what most providers do not need. */
export const advancedSection = (kinds: { authorization: boolean }): SectionSpec<Common> => ({
  id: 'advanced',
  title: 'Token request',
  level: 'advanced',
  fields: [
    FIELDS.audience,
    FIELDS.resource,
    {
      path: 'tokenPath',
      label: 'Token Path',
      kind: 'text',
      help: 'Which response field is the token: $.access_token, $.id_token…',
    },
    { path: 'params.tokenParams', label: 'Custom parameters: token request', kind: 'params' },
    ...(kinds.authorization
      ? [
          {
            path: 'params.authorizationParams',
            label: 'Extra authorization parameters (prompt, login_hint, access_type…)',
            kind: 'params',
          } as const,
        ]
      : []),
    { path: 'params.refreshParams', label: 'Custom parameters: refresh request', kind: 'params' },
    { path: 'timeouts.connectSeconds', label: 'Connect timeout (seconds)', kind: 'number' },
    { path: 'timeouts.readSeconds', label: 'Read timeout (seconds)', kind: 'number' },
    {
      path: 'cache.useRefreshToken',
      label: 'Use refresh tokens',
      kind: 'switch',
      help: refreshTokenHelp,
    },
    {
      path: 'cache.refreshBeforeSeconds',
      label: 'Refresh before (seconds)',
      kind: 'number',
      help: 'A token with a refresh token is refreshed this long before it expires. Empty: the application setting (60 s).',
      when: (c) => c.cache.useRefreshToken,
    },
    {
      path: 'cache.minRemainingSeconds',
      label: 'Minimum remaining lifetime (seconds)',
      kind: 'number',
      help: 'A cached token with less lifetime left is not reused. Empty: the application setting (1 s; z/OS Connect: 1 s).',
    },
  ],
});

/**
 * The sections every type folds under Advanced and z/OS Connect. `signs`: the type always signs a
 * JWT, or only when its client authentication is a JWT.
 */
export const foldedSections = (options: {
  authorization?: boolean;
  signs: 'always' | 'clientAuth';
  scopeClaim?: boolean;
}): ReadonlyArray<SectionSpec<Common>> => {
  const signing = [
    headerOptionsSection,
    claimOptionsSection(options.scopeClaim ?? false),
    jwtBuilderSection,
  ];
  return [
    advancedSection({ authorization: options.authorization ?? false }),
    ...(options.signs === 'always'
      ? signing
      : signing.map((s) => ({
          ...s,
          when: (c: Common) =>
            (s.id === 'claimOptions'
              ? jwtClientAuth(c)
              : c.client.authMethod === 'private_key_jwt') &&
            (s.when?.(c) ?? true),
        }))),
    dpopSection,
    tokenManagementSection,
    apiSection,
    authTokenSection,
  ];
};
