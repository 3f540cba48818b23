/**
 * Masking of secrets in what Tokensmith shows or writes about an HTTP exchange: form bodies,
 * headers and JSON token responses. A masked secret or password is a fixed mask that tells
 * nothing about the value (neither its first characters nor its length); a masked token keeps
 * at most the start of a JWT's header (`eyJhbG…`), which is not secret, so that the user can
 * tell a JWT from an opaque token.
 */

/** Form and JSON members whose values are credentials or tokens. */
export const SECRET_PARAMETERS: ReadonlySet<string> = new Set([
  'client_secret',
  'password',
  'client_assertion',
  'assertion',
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'id_token',
  'subject_token',
  'actor_token',
  'device_code',
  /** OpenID CIBA: polls for the tokens like a device code. */
  'auth_req_id',
  /** An ID token sent back as a hint (logout, CIBA). */
  'id_token_hint',
  'login_hint_token',
  /** RFC 7662 / RFC 7009: the token to introspect or revoke. */
  'token',
]);

/** The members of {@link SECRET_PARAMETERS} that hold tokens or assertions (JWTs, often). */
export const TOKEN_PARAMETERS: ReadonlySet<string> = new Set([
  'client_assertion',
  'assertion',
  'refresh_token',
  'access_token',
  'id_token',
  'subject_token',
  'actor_token',
  'id_token_hint',
  'login_hint_token',
  'token',
]);

export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  /** RFC 9449 proof: a JWT, masked like a token. */
  'dpop',
]);

/** What every non-empty secret, password or opaque token is shown as. */
export const MASK = '••••••';

/** What the UI sees in place of a stored secret; sending it back keeps the stored value. */
export const SECRET_MASK = '••••••••';

/** How many characters of a JWT's header a masked token keeps. */
const TOKEN_PREFIX = 6;

/** A secret or password: {@link MASK} whatever its value; empty stays empty. */
export function maskValue(value: string): string {
  return value.length === 0 ? '' : MASK;
}

/**
 * A token or assertion: `eyJhbG…` for a JWT (at most 6 characters of its base64url header, the
 * same for every token with that header), {@link MASK} for anything else.
 */
export function maskToken(value: string): string {
  if (value.length === 0) return '';
  const dot = value.indexOf('.');
  const header = dot > 0 ? value.slice(0, dot) : '';
  if (!header.startsWith('eyJ') || !/^[\w-]+$/.test(header)) return MASK;
  return `${header.slice(0, TOKEN_PREFIX)}…`;
}

/** `Basic ••••••`, `Bearer eyJhbG…`; a header without a scheme is masked whole. */
export function maskHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase())) return value;
  if (name.toLowerCase() === 'dpop') return maskToken(value);
  const space = value.indexOf(' ');
  if (space > 0 && space < 16) {
    const scheme = value.slice(0, space);
    const rest = value.slice(space + 1);
    return `${scheme} ${/^basic$/i.test(scheme) ? MASK : maskToken(rest)}`;
  }
  return maskValue(value);
}

/** The mask for a parameter or member's value: tokens keep their JWT prefix, the rest is fixed. */
function maskParameter(name: string, value: string): string {
  return TOKEN_PARAMETERS.has(name) ? maskToken(value) : maskValue(value);
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, maskHeaderValue(name, value)]),
  );
}

/** An application/x-www-form-urlencoded body with secret parameters masked, still readable. */
export function maskFormBody(body: string, extraSecrets: ReadonlySet<string> = new Set()): string {
  return decodeForm(body)
    .map(
      ([name, value]) =>
        `${name}=${SECRET_PARAMETERS.has(name) ? maskParameter(name, value) : extraSecrets.has(name) ? maskValue(value) : value}`,
    )
    .join('&');
}

/** A JSON value with secret members masked, at any depth. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_PARAMETERS.has(k) && typeof v === 'string' ? maskParameter(k, v) : maskJson(v),
      ]),
    );
  }
  return value;
}

/** Decodes an application/x-www-form-urlencoded body into pairs (no DOM or Node global needed). */
export function decodeForm(body: string): Array<[string, string]> {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return body
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return [decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1))];
    });
}
