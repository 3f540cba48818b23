/**
 * Error classes of the core. Each carries a stable code from the closed set in
 * `shared/result.ts`; the message is written for the person at the keyboard.
 */
import type { ErrorCode, ErrorData } from '../../shared/result.js';

export class TokensmithError extends Error {
  override name = 'TokensmithError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; field?: string; detail?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
    this.detail = options.detail;
  }
  readonly field: string | undefined;
  readonly detail: Record<string, unknown> | undefined;

  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.field !== undefined) data.field = this.field;
    if (this.detail !== undefined) data.detail = this.detail;
    return data;
  }
}

/** RFC 6749 §5.2 error response from an authorization server. */
export class OAuthError extends TokensmithError {
  override name = 'OAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorDescription: string | undefined,
    readonly errorUri: string | undefined,
  ) {
    super(
      'oauth_error',
      `The authorization server answered ${status} ${error}` +
        (errorDescription ? `: ${errorDescription}` : ''),
      { detail: { status, error, error_description: errorDescription, error_uri: errorUri } },
    );
  }
}

/** A non-success answer whose body is not an OAuth error: status, content type, first 2 KB. */
export class HttpStatusError extends TokensmithError {
  override name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly bodyExcerpt: string,
    readonly url: string,
  ) {
    super(
      'http_status',
      `${url} answered HTTP ${status}` +
        (contentType ? ` (${contentType.split(';')[0]})` : '') +
        (bodyExcerpt ? `: ${bodyExcerpt.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''),
      { detail: { status, contentType, body: bodyExcerpt, url } },
    );
  }
}

export class CancelledError extends TokensmithError {
  override name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super('cancelled', message);
  }
}

export function isTokensmithError(e: unknown): e is TokensmithError {
  return e instanceof TokensmithError;
}

/** Anything thrown, as boundary data. Unknown errors become `internal` without a stack. */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof TokensmithError) return e.toData();
  if (e instanceof Error && e.name === 'AbortError')
    return { code: 'cancelled', message: 'Cancelled' };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
