/**
 * Scrubbing known secrets out of text a server sent back (an HTML error page that echoes the
 * request, an error_description quoting the client secret): every known value is replaced, in
 * the forms it travels in — as it is, form-urlencoded, percent-encoded, JSON-escaped,
 * HTML-escaped, base64 and base64url. A secret inside HTTP Basic credentials (RFC 6749 §2.3.1,
 * RFC 7617) is not a substring of their base64: whoever sends them adds the credentials (the
 * base64 of `id:secret`) to the list.
 */

export const SCRUBBED = '••••••';

/**
 * How common escapers write what HTML escaping touches: `&`, `<` and `>` always; quotes as
 * lodash and escape-html (`&quot;` `&#39;`), he, Python and React (`&#x27;`, he also `&#x60;`),
 * XML and PHP's ENT_HTML5 (`&apos;`), PHP's htmlspecialchars (`&#039;`), Go's html package
 * (`&#34;` `&#39;`, html/template also `&#43;`); Apache Commons escapeHtml4 and text-only escapers
 * leave `'` (and some `"`) as they are.
 */
const QUOTE_ESCAPES: ReadonlyArray<Readonly<Record<string, string>>> = [
  {},
  { '"': '&quot;' },
  { '"': '&quot;', "'": '&#39;' },
  { '"': '&quot;', "'": '&#x27;' },
  { '"': '&quot;', "'": '&#x27;', '`': '&#x60;' },
  { '"': '&quot;', "'": '&apos;' },
  { '"': '&quot;', "'": '&#039;' },
  { '"': '&#34;', "'": '&#39;' },
  { '"': '&#34;', "'": '&#39;', '+': '&#43;' },
];
const HTML_ESCAPERS = QUOTE_ESCAPES.map((quotes) => ({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  ...quotes,
}));

function htmlEscaped(value: string, escaper: Readonly<Record<string, string>>): string {
  return value.replace(/[&<>"'`+]/g, (c) => escaper[c] ?? c);
}

/** UTF-8 bytes of a string (a lone surrogate as U+FFFD, as TextEncoder and Buffer write it). */
function utf8(value: string): number[] {
  const bytes: number[] = [];
  for (const char of value) {
    let cp = char.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return bytes;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** RFC 4648 §4 base64 of the UTF-8 bytes of a string, padded. */
function base64(value: string): string {
  const bytes = utf8(value);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i] as number, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64.charAt(n >> 18) + BASE64.charAt((n >> 12) & 63);
    out += b === undefined ? '=' : BASE64.charAt((n >> 6) & 63);
    out += c === undefined ? '=' : BASE64.charAt(n & 63);
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function encodings(secret: string): string[] {
  const forms = new Set<string>([secret]);
  // A lone surrogate travels as U+FFFD (and would make encodeURIComponent throw).
  const wellFormed = secret.replace(LONE_SURROGATE, '\uFFFD');
  forms.add(encodeURIComponent(wellFormed));
  // application/x-www-form-urlencoded, as URLSearchParams writes it (RFC 6749 §2.3.1).
  forms.add(
    encodeURIComponent(wellFormed)
      .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
  );
  forms.add(JSON.stringify(secret).slice(1, -1));
  for (const escaper of HTML_ESCAPERS) forms.add(htmlEscaped(secret, escaper));
  // Base64 (RFC 4648 §4) and base64url (§5), padded or not.
  const b64 = base64(secret);
  const url = b64.replace(/\+/g, '-').replace(/\//g, '_');
  for (const form of [b64, url]) forms.add(form).add(form.replace(/=+$/, ''));
  return [...forms];
}

/**
 * Replaces every occurrence of each secret (and its encodings) with SCRUBBED. Values shorter
 * than 4 characters are left alone: they would scrub ordinary words, and say little.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secretScrubber(secrets)(text);
}

/**
 * {@link scrubSecrets} with the encodings of the secrets made once, for scrubbing many strings
 * (a trace's every header and body) against many secrets (a whole store's).
 */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.filter((s) => s.length >= 4).flatMap(encodings))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(SCRUBBED);
    return out;
  };
}

/** Scrubs every string inside a JSON-like value (error details, exchange records). */
export function scrubDeep<T>(value: T, secrets: readonly string[] | ((text: string) => string)): T {
  const scrub = typeof secrets === 'function' ? secrets : secretScrubber(secrets);
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, scrub);
    return out as T;
  }
  return value;
}
