/**
 * The one contract between the UI and the core: every channel, named `domain:verb`, with its
 * request schema (validated by every handler) and its response type. The Electron preload, the
 * main-process handlers, the browser-mode HTTP routes and the renderer's client are all derived
 * from this object; nothing is declared twice.
 */
import * as z from 'zod';
import type { Connection } from './connection.js';
import type { AssertionCheck } from './assertion-check.js';
import type { CertificateInfo } from './certificate-info.js';
import type { IntrospectionResult, RevocationResult } from './token-result.js';
import { KEYSTORE_KINDS, type ProxyAlias } from './resources.js';
import { CHANNELS, EVENTS, type Channel, type HostEventName } from './channels.js';
import type { ImportBinding } from './transfer.js';
import type { Har } from './har.js';
import type { ProviderView } from './providers/view.js';

export { SECRET_MASK } from './masking.js';
export type * from './views.js';
import type {
  AppInfo,
  ConnectionSummary,
  TokenRun,
  LastTokenView,
  KeystoreSummary,
  DecodedJwt,
  JwtVerification,
  CachedTokenView,
  CacheStatus,
  ApiCallView,
  SigningKeysView,
  JwkServerStatus,
  ProgressEvent,
  WorkspaceInfo,
  RecentWorkspace,
  WorkspaceChangedEvent,
} from './views.js';

const id = z.string().min(1);
const requestId = z.string().min(1).max(100);
const base64 = z.string().max(20_000_000);
const tokenTypeHint = z.enum(['access_token', 'refresh_token']).default('access_token');

export const contract = {
  'app:info': { request: z.object({}), response: z.custom<AppInfo>() },
  'connections:list': { request: z.object({}), response: z.custom<ConnectionSummary[]>() },
  'connections:get': { request: z.object({ id }), response: z.custom<Connection>() },
  /** The connection is validated against the model; errors name the field. */
  'connections:save': {
    request: z.object({ connection: z.unknown() }),
    response: z.custom<Connection>(),
  },
  'connections:delete': { request: z.object({ id }), response: z.custom<{ deleted: boolean }>() },
  'connections:duplicate': { request: z.object({ id }), response: z.custom<Connection>() },
  'tokens:generate': {
    request: z.object({ requestId, connection: z.unknown(), useCache: z.boolean().default(false) }),
    response: z.custom<TokenRun>(),
  },
  /** Without `refreshToken`: the one kept with the connection's last token set. */
  'tokens:refresh': {
    request: z.object({
      requestId,
      connection: z.unknown(),
      refreshToken: z.string().min(1).optional(),
    }),
    response: z.custom<TokenRun>(),
  },
  'tokens:last': {
    request: z.object({ connectionId: id }),
    response: z.custom<LastTokenView | null>(),
  },
  'tokens:cancel': {
    request: z.object({ requestId }),
    response: z.custom<{ cancelled: boolean }>(),
  },
  /** RFC 7662: the connection's current (cached) token, with its client authentication. */
  'tokens:introspect': {
    request: z.object({ requestId, connection: z.unknown(), tokenTypeHint }),
    response: z.custom<IntrospectionResult>(),
  },
  /** RFC 7009: the connection's current (cached) token; its cache entry is cleared. */
  'tokens:revoke': {
    request: z.object({ requestId, connection: z.unknown(), tokenTypeHint }),
    response: z.custom<RevocationResult>(),
  },
  /**
   * The redacted HAR 1.2 of a run (tokens:generate, tokens:refresh, api:call…) by its request
   * ID, also when it failed: every HTTP leg with its timings and TLS certificate, for a Request
   * and response timeline and Export trace. The app keeps its last 16 runs' traces.
   */
  'trace:export': {
    request: z.object({ requestId }),
    response: z.custom<{ fileName: string; har: Har }>(),
  },
  'assertions:generate': {
    request: z.object({ requestId, connection: z.unknown() }),
    response: z.custom<{ assertion: string; check: AssertionCheck }>(),
  },
  'assertions:check': {
    request: z.object({ connection: z.unknown(), assertion: z.string() }),
    response: z.custom<AssertionCheck>(),
  },
  'api:call': {
    request: z.object({
      requestId,
      connection: z.unknown(),
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
      url: z.string().trim().min(1, 'Enter the URL of the API'),
      headers: z.array(z.object({ name: z.string().trim().min(1), value: z.string() })).default([]),
      body: z.string().optional(),
      /** Default: the connection's retry-check level. */
      retryCheckLevel: z.union([z.literal(0), z.literal(1)]).optional(),
    }),
    response: z.custom<ApiCallView>(),
  },
  'authToken:fetch': {
    request: z.object({ requestId, connection: z.unknown(), useCache: z.boolean().default(false) }),
    response: z.custom<TokenRun>(),
  },
  'signingKeys:get': {
    request: z.object({ builderId: id }),
    response: z.custom<SigningKeysView>(),
  },
  'signingKeys:rotate': {
    request: z.object({ builderId: id }),
    response: z.custom<SigningKeysView>(),
  },
  'jwkServer:status': { request: z.object({}), response: z.custom<JwkServerStatus>() },
  'jwkServer:configure': {
    request: z.object({
      enabled: z.boolean(),
      port: z.coerce
        .number()
        .int()
        .min(1, 'A port is 1 to 65535')
        .max(65535, 'A port is 1 to 65535'),
    }),
    response: z.custom<JwkServerStatus>(),
  },
  'discovery:run': {
    request: z.object({ connection: z.unknown() }),
    response: z.custom<{
      tokenEndpoint?: string;
      authorizationEndpoint?: string;
      warnings: string[];
      metadataUrl: string;
    }>(),
  },
  /** The provider profiles (issue 25): values, endpoints, auth methods, assertion rules, errors. */
  'providers:list': { request: z.object({}), response: z.custom<ProviderView[]>() },
  /**
   * A connection built from a profile and its values, the provider's key file (a Google
   * service-account key JSON, a certificate with its key) imported as its keystore. What it would
   * use of the user's fails with `confirmation_required` (as `transfer:import`); sending it again
   * with the binding IDs in `confirm` adds it.
   */
  'providers:build': {
    request: z.object({
      provider: z.string().min(1).max(100),
      name: z.string().trim().min(1, 'Name is required'),
      values: z
        .object({
          tenant: z.string().max(300),
          domain: z.string().max(2000),
          realm: z.string().max(300),
          region: z.string().max(100),
        })
        .partial()
        .default({}),
      keyFile: z
        .object({
          fileName: z.string().min(1).max(500),
          content: base64,
          password: z.string().optional(),
        })
        .optional(),
      keystoreName: z.string().trim().max(200).optional(),
      replace: z.boolean().default(false),
      confirm: z.array(z.string().max(10_000)).max(1000).default([]),
      /** The few fields the dialog asks for beside the profile's values. */
      fields: z
        .object({
          clientId: z.string().max(500),
          clientSecret: z.string().max(10_000),
          scope: z.string().max(5000),
          subject: z.string().max(500),
          audience: z.string().max(2000),
        })
        .partial()
        .default({}),
    }),
    response: z.custom<{ connection: Connection; keystore?: string; notes: string[] }>(),
  },
  'keystores:list': { request: z.object({}), response: z.custom<KeystoreSummary[]>() },
  'keystores:import': {
    request: z.object({
      name: z.string().trim().min(1, 'Name is required'),
      purpose: z.enum(['keystore', 'truststore']).default('keystore'),
      kind: z.enum(KEYSTORE_KINDS).optional(),
      fileName: z.string().min(1),
      content: base64,
      certificateFileName: z.string().optional(),
      certificateContent: base64.optional(),
      password: z.string().default(''),
      keyPasswords: z.record(z.string(), z.string()).default({}),
      replace: z.boolean().default(false),
      /**
       * A PKCS#11 token instead of a file (kind `pkcs11`, `content` empty): its RFC 7512 URI and
       * module path; `password` is the token PIN.
       */
      uri: z.string().max(2000).optional(),
      module: z.string().max(4096).optional(),
    }),
    response: z.custom<KeystoreSummary>(),
  },
  /** A lost or changed passphrase entered again; refused unless it opens the keystore. */
  'keystores:setPassword': {
    request: z.object({
      name: id,
      password: z.string(),
      keyPasswords: z.record(z.string(), z.string()).optional(),
    }),
    response: z.custom<KeystoreSummary>(),
  },
  'keystores:delete': {
    request: z.object({ name: id }),
    response: z.custom<{ deleted: boolean }>(),
  },
  'keystores:generate': {
    request: z.object({
      name: z.string().trim().min(1, 'Name is required'),
      algorithm: z
        .enum(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384', 'EC-P521'])
        .default('RSA-2048'),
      subject: z.string().trim().min(1, 'Subject is required'),
      validityDays: z.coerce.number().int().min(1).max(36_500).default(730),
    }),
    response: z.custom<KeystoreSummary>(),
  },
  'keystores:exportCertificate': {
    request: z.object({ name: id, alias: id }),
    response: z.custom<{ fileName: string; pem: string }>(),
  },
  'keystores:exportJwks': {
    request: z.object({ name: id }),
    response: z.custom<{ fileName: string; jwks: { keys: Array<Record<string, unknown>> } }>(),
  },
  'certificates:inspect': {
    request: z.object({ fileName: z.string(), content: base64 }),
    response: z.custom<CertificateInfo>(),
  },
  'proxies:list': { request: z.object({}), response: z.custom<ProxyAlias[]>() },
  'proxies:save': {
    request: z.object({ proxy: z.unknown(), previousName: z.string().optional() }),
    response: z.custom<ProxyAlias>(),
  },
  'proxies:delete': { request: z.object({ name: id }), response: z.custom<{ deleted: boolean }>() },
  'transfer:export': {
    request: z.object({
      names: z.array(z.string()).default([]),
      passphrase: z.string().optional(),
      format: z.enum(['json', 'curl', 'env', 'server.xml']).default('json'),
      /** server.xml only: write secrets in clear text instead of Liberty variables. */
      includeSecrets: z.boolean().default(false),
    }),
    response: z.custom<{
      fileName: string;
      content: string;
      requiredSecrets: string[];
      /** What did not map (server.xml). */
      notes: string[];
    }>(),
  },
  /**
   * A file that would use anything of the user's fails with `confirmation_required`, whose
   * detail (`ConfirmationDetail`) lists the bindings; sending the same content again with their
   * IDs in `confirm` imports it.
   */
  'transfer:import': {
    request: z.object({
      content: z.string().max(20_000_000),
      passphrase: z.string().optional(),
      replace: z.boolean().default(false),
      /** IDs of the bindings the user confirmed. */
      confirm: z.array(z.string().max(10_000)).max(10_000).default([]),
    }),
    response: z.custom<{
      imported: { connections: string[]; keystores: string[]; proxies: string[] };
      missingSecrets: string[];
      /** server.xml: what was not imported, and what to do next. */
      notes: string[];
      /** What the import uses of the user's, as confirmed. */
      bindings: ImportBinding[];
    }>(),
  },
  'jwt:decode': { request: z.object({ token: z.string() }), response: z.custom<DecodedJwt>() },
  'jwt:verify': {
    request: z.object({
      token: z.string(),
      method: z.enum(['jwks_uri', 'certificate', 'public_key', 'secret']),
      value: z.string(),
      issuer: z.string().default(''),
      audience: z.string().default(''),
    }),
    response: z.custom<JwtVerification>(),
  },
  'cache:list': { request: z.object({}), response: z.custom<CachedTokenView[]>() },
  'cache:clear': {
    request: z.object({ connectionId: z.string().optional() }),
    response: z.custom<{ removed: number }>(),
  },
  'cache:status': { request: z.object({}), response: z.custom<CacheStatus>() },
  'workspace:current': { request: z.object({}), response: z.custom<WorkspaceInfo>() },
  /** Opens a workspace folder (File → Open Workspace…); `create` makes a new one there first. */
  'workspace:open': {
    request: z.object({
      folder: z.string().trim().min(1, 'Choose a folder'),
      create: z.object({ name: z.string().trim().min(1, 'Name is required') }).optional(),
    }),
    response: z.custom<WorkspaceInfo>(),
  },
  /** Back to the personal store. */
  'workspace:close': { request: z.object({}), response: z.custom<WorkspaceInfo>() },
  'workspace:recent': { request: z.object({}), response: z.custom<RecentWorkspace[]>() },
  /** Confirms the workspace's bindings by digest (workspace trust); answers the new state. */
  'workspace:trust': {
    request: z.object({ confirm: z.array(z.string().max(200)).max(1000) }),
    response: z.custom<WorkspaceInfo>(),
  },
  'drafts:get': { request: z.object({ key: id }), response: z.custom<{ draft: unknown | null }>() },
  'drafts:save': {
    request: z.object({ key: id, draft: z.unknown().nullable() }),
    response: z.custom<{ saved: boolean }>(),
  },
} as const satisfies Record<Channel, { request: z.ZodType; response: z.ZodType }>;

export type Contract = typeof contract;
export type ChannelRequest<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<Contract[C]['request']>;
export type ChannelResponse<C extends Channel> = z.output<Contract[C]['response']>;

export { CHANNELS, EVENTS, type Channel, type HostEventName };

/** The typed API the renderer talks to, one method per channel. */
export type TokensmithApi = {
  [C in Channel]: (request: ChannelRequest<C>) => Promise<ChannelResponse<C>>;
};

/** Why the connection list changed outside the page showing it. */
export interface ConnectionsChanged {
  reason: 'import';
}

/** What each host event carries (the names are `EVENTS`; a name without a payload fails here). */
export interface HostEventPayloads {
  'tokens:progress': ProgressEvent;
  'connections:changed': ConnectionsChanged;
  'workspace:changed': WorkspaceChangedEvent;
}

export type HostEventPayload<E extends HostEventName> = HostEventPayloads[E];

/** Events pushed from the host to the UI. */
export interface EventSource {
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  onConnectionsChanged(listener: (event: ConnectionsChanged) => void): () => void;
  onWorkspaceChanged(listener: (event: WorkspaceChangedEvent) => void): () => void;
}
