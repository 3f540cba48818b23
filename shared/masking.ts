/**
 * Masking of secrets in what Tokensmith shows or writes about an HTTP exchange: form bodies,
 * headers and JSON token responses. A masked value keeps enough to recognise it, never enough
 * to use it.
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
]);

export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

/** `eyJhbG…(812 chars)`: the first 6 characters and the length. Short values are fully hidden. */
export function maskValue(value: string): string {
  if (value.length === 0) return '';
  if (value.length < 16) return '••••••';
  return `${value.slice(0, 6)}…(${value.length} chars)`;
}

/** `Basic ••••••`, `Bearer eyJhbG…(812 chars)`. */
export function maskHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase())) return value;
  const space = value.indexOf(' ');
  if (space > 0 && space < 16) {
    const scheme = value.slice(0, space);
    const rest = value.slice(space + 1);
    return `${scheme} ${/^basic$/i.test(scheme) ? '••••••' : maskValue(rest)}`;
  }
  return maskValue(value);
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
        `${name}=${SECRET_PARAMETERS.has(name) || extraSecrets.has(name) ? maskValue(value) : value}`,
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
        SECRET_PARAMETERS.has(k) && typeof v === 'string' ? maskValue(v) : maskJson(v),
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
