/**
 * Errors cross every boundary (IPC, HTTP in browser mode, CLI JSON output) as data.
 * The set of codes is closed: the UI maps each to a message style and a hint.
 */
export const ERROR_CODES = [
  'invalid_input',
  /** An import that would use the user's keystores, keys, proxies, variables or files (detail: bindings). */
  'confirmation_required',
  'cancelled',
  'dns',
  'connection_refused',
  'network',
  'timeout',
  'tls_untrusted',
  'tls_hostname',
  'tls_expired',
  'tls',
  'proxy',
  'proxy_auth',
  'http_status',
  'oauth_error',
  'invalid_response',
  'missing_token',
  'response_too_large',
  'keystore_password',
  'keystore_corrupt',
  'keystore_no_key',
  'alias_not_found',
  'certificate_expired',
  'key_algorithm',
  'claims_json',
  'state_mismatch',
  'authorization_denied',
  /** A device code (RFC 8628) or pushed request expired before the user finished. */
  'authorization_expired',
  'port_in_use',
  'not_found',
  'unsupported',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a failure looks like once it leaves the core. `detail` never holds a secret. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  /** Dotted path of the connection field the error is about, when there is one. */
  field?: string;
  detail?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };
