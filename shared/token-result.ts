/** What a token flow returns to the UI, the CLI and the cache. */
import type { AssertionCheck } from './assertion-check.js';

/** A request and its response as shown to the user: secrets masked. */
export interface ExchangeRecord {
  /** Which leg: discovery, token, refresh… */
  label: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  durationMs?: number;
  error?: string;
}

export interface TokenResult {
  /** The token used on API calls, picked by the token path. */
  token: string;
  tokenPath: string;
  tokenType?: string;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
  expiresIn?: number;
  /** ISO 8601; absent when the server did not say. */
  expiresAt?: string;
  obtainedAt: string;
  /** Every member of the token response (e.g. Salesforce `instance_url`). */
  fields: Record<string, unknown>;
  /** Leniencies applied and oddities seen, e.g. an unexpected token_type. */
  warnings: string[];
  exchanges: ExchangeRecord[];
  /** The check of the assertion that was sent, when the flow built or sent one. */
  assertionCheck?: AssertionCheck;
  /** RFC 8693 §2.2.1 `issued_token_type` of a token exchange. */
  issuedTokenType?: string;
  /**
   * A token exchange's chain, first hop first: each subject or actor token that went in (and,
   * when it was itself exchanged, the hops before it), then the token issued.
   */
  chain?: TokenChainHop[];
  /** Proof-of-possession bindings checked on the issued token (RFC 9449 `cnf.jkt`, RFC 8705). */
  bindings?: TokenBindingCheck[];
}

/** One hop of a token exchange chain (RFC 8693), as shown: no token value, only what it says. */
export interface TokenChainHop {
  /** The connection the token came from; absent for a pasted token. */
  connection?: string;
  role: 'subject' | 'actor' | 'issued';
  /** RFC 8693 token type identifier. */
  tokenType?: string;
  /** Where the token came from on this run. */
  source?: 'cache' | 'refresh' | 'network' | 'pasted';
  /** The JWT's claims; absent for an opaque token. */
  claims?: Record<string, unknown>;
}

/**
 * The check that a token is bound to what proved possession: the DPoP proof key's RFC 7638
 * thumbprint against `cnf.jkt` (RFC 9449 §6), or the client certificate's SHA-256 thumbprint
 * against `cnf.x5t#S256` (RFC 8705 §3.1). Thumbprints are public values.
 */
export interface TokenBindingCheck {
  kind: 'dpop' | 'mtls';
  /** The thumbprint of the proof key or certificate Tokensmith used. */
  expected: string;
  /** What the token's `cnf` says, when it says anything. */
  found?: string;
  /** How the token's `cnf` was read: from the JWT, by introspection, or not at all. */
  via: 'jwt' | 'introspection' | 'unchecked';
  /** true: bound to it; false: not bound to it (a warning too); undefined: not checked. */
  ok?: boolean;
  message: string;
}

/** What the device authorization endpoint said (RFC 8628 §3.2), while the flow polls. */
export interface DeviceAuthorizationView {
  userCode: string;
  verificationUri: string;
  /** The URI with the code in it: a link and a QR code. */
  verificationUriComplete?: string;
  /** ISO 8601: when the device code expires. */
  expiresAt: string;
  /** Seconds between polls (after any slow_down). */
  intervalSeconds: number;
}

/** An RFC 7662 introspection answer. */
export interface IntrospectionResult {
  active: boolean;
  /** Every member returned (scope, client_id, sub, exp, cnf…). */
  fields: Record<string, unknown>;
  tokenTypeHint: 'access_token' | 'refresh_token';
  exchanges: ExchangeRecord[];
}

/** An RFC 7009 revocation. */
export interface RevocationResult {
  revoked: true;
  tokenTypeHint: 'access_token' | 'refresh_token';
  /** Whether a cached token of the connection was cleared. */
  cacheCleared: boolean;
  exchanges: ExchangeRecord[];
}

/** Progress of a flow that waits: shown as the button's status line. */
export interface FlowProgress {
  step:
    | 'discovery'
    | 'signing'
    | 'listening'
    | 'browser'
    | 'callback'
    | 'token_request'
    | 'refresh'
    | 'pushed_authorization'
    | 'device'
    | 'polling'
    | 'chain';
  message: string;
  /** The authorization URL while waiting for the browser; the verification URI of a device flow. */
  url?: string;
  /** While a device authorization waits for the user (steps `device` and `polling`). */
  device?: DeviceAuthorizationView;
}
