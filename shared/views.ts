/**
 * What the contract's channels answer with and its events carry, as the UI sees it (secrets
 * masked, tokens as results): the response types of `shared/contract.ts`.
 */
import type { Connection } from './connection.js';
import type { ErrorData } from './result.js';
import type { FlowProgress, TokenResult } from './token-result.js';
import type { KeystoreKind } from './resources.js';
import type { KeystoreAliasInfo } from './certificate-info.js';
import type { ImportBinding } from './transfer.js';

export interface AppInfo {
  version: string;
  mode: 'desktop' | 'browser';
  dataDir: string;
  /** How secrets are protected at rest. */
  secretStorage: string;
}

export interface ConnectionSummary {
  id: string;
  name: string;
  type: Connection['type'];
  tokenEndpoint: string;
  description: string;
  /** ISO time until which a cached token is valid. */
  tokenValidUntil?: string;
  lastError?: string;
}

export interface TokenRun extends TokenResult {
  source: 'cache' | 'refresh' | 'network';
}

/**
 * The last token set a connection obtained, kept with it (sealed) and shown when it is opened
 * again (CloudStreams' populated Connection Groups fields, seed 004). Tokens are masked.
 */
export interface LastTokenView {
  connectionId: string;
  source: 'network' | 'refresh';
  obtainedAt: string;
  expiresAt?: string;
  tokenType?: string;
  scope?: string;
  tokenPath: string;
  token: string;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  /** Every member of the token response, tokens masked. */
  fields: Record<string, unknown>;
  warnings: string[];
}

export interface KeystoreSummary {
  name: string;
  purpose: 'keystore' | 'truststore';
  kind: KeystoreKind;
  fileName: string;
  aliases: KeystoreAliasInfo[];
  /** Why the aliases could not be listed (wrong password, missing file…). */
  error?: ErrorData;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** iat, nbf, exp as ISO times. */
  times: Record<string, string>;
}

export interface JwtVerification {
  valid: boolean;
  checks: Array<{ name: string; ok: boolean; message: string }>;
}

export interface CachedTokenView {
  connectionId: string;
  connectionName: string;
  scope: string;
  expiresAt: string;
  refreshable: boolean;
}

/** Pruning of expired entries, shown on the Token Cache page. */
export interface CacheStatus {
  size: number;
  /** 0 when pruning does not run on a timer (the CLI prunes on use). */
  pruneIntervalSeconds: number;
  lastPrunedAt?: string;
  lastRemoved: number;
  totalRemoved: number;
}

export interface ApiCallView {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
  attempts: number;
  /** `DPoP` when the token was DPoP-bound and sent with a proof (RFC 9449 §7.1). */
  authorizationScheme: 'Bearer' | 'DPoP';
  tokenSource: 'cache' | 'refresh' | 'network';
  /** The header that carried the authentication-server JWT, when the connection has one. */
  authTokenHeader?: string;
  authTokenSource?: 'cache' | 'network';
}

/** A JWT builder's generated keys (z/OS `jwkEnabled`) and where they are published. */
export interface SigningKeysView {
  builderId: string;
  keys: Array<{ kid: string; algorithm: string; createdAt: string; signing: boolean }>;
  /** Everything the builder publishes: generated keys and keystore aliases signing for it. */
  jwks: { keys: Array<Record<string, unknown>> };
  /** Each published key and where it comes from. */
  published: Array<{ kid: string; source: string }>;
  /** Saved connections of this builder whose keystore key could not be read. */
  problems: string[];
  jwksUrl: string;
  /** How generated keys rotate, from the saved JWK-enabled connections of this builder. */
  rotation?: { everyMinutes: number; keySize: number };
  /** When the signing key is next replaced (rotation by time only). */
  nextRotationAt?: string;
  /** The default issuer of the builder's JWTs. */
  issuer: string;
  serving: boolean;
}

export interface JwkServerStatus {
  enabled: boolean;
  port: number;
  running: boolean;
  /** `http://127.0.0.1:{port}` while running. */
  baseUrl?: string;
  error?: ErrorData;
}

export interface ProgressEvent {
  requestId: string;
  progress: FlowProgress;
}

/** A problem in a workspace folder's file: where (file, line, JSON pointer) and what. */
export interface WorkspaceProblemView {
  file: string;
  line?: number;
  pointer: string;
  message: string;
}

/** What the app works on: the personal store, or a workspace folder shared in git. */
export interface WorkspaceInfo {
  kind: 'personal' | 'folder';
  /** The workspace folder, or the data folder of the personal store. */
  folder: string;
  id?: string;
  name?: string;
  /** Files of the folder that could not be read as records (left out until fixed). */
  problems: WorkspaceProblemView[];
  /**
   * What the folder's files would use of the user's outside it, each confirmed or not (workspace
   * trust): nothing unconfirmed is used.
   */
  bindings?: WorkspaceBindingView[];
  /** The user's secrets kept back from records that now name another destination. */
  withheld?: WithheldSecretView[];
}

export interface WorkspaceBindingView extends ImportBinding {
  /** Confirms this binding with this content (`workspace:trust`). */
  digest: string;
  /** The record that makes it: `connection:<name>`, `keystore:<name>`, `proxy:<name>`. */
  record: string;
  /** The same record by what a rename keeps (`connection:<id>`), and what it uses. */
  origin: string;
  ref: string;
  trusted?: boolean;
}

export interface WithheldSecretView {
  kind: 'connection' | 'keystore' | 'proxy';
  name: string;
  file: string;
  /** The secret fields kept back (`client.secret`, `password`…). */
  paths: string[];
  /** The destination field that changed, and its values then and now. */
  field: string;
  from: string;
  to: string;
}

export interface RecentWorkspace {
  folder: string;
  name: string;
  id: string;
  openedAt: string;
}

/**
 * Pushed when the open workspace folder changed on disk (a git pull, an editor): the UI reloads
 * what it shows. Event name `workspace:changed`, beside the progress events.
 */
export interface WorkspaceChangedEvent {
  workspace: WorkspaceInfo;
  /** The files that changed, relative to the folder. */
  files: string[];
}
