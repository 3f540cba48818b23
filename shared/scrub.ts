/**
 * Scrubbing known secrets out of text a server sent back (an HTML error page that echoes the
 * request, an error_description quoting the client secret): every known value is replaced, in
 * the forms it travels in — as it is, form-urlencoded, percent-encoded, JSON-escaped, base64.
 */

export const SCRUBBED = '••••••';

function encodings(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  // application/x-www-form-urlencoded, as URLSearchParams writes it (RFC 6749 §2.3.1).
  forms.add(
    encodeURIComponent(secret)
      .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
  );
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms];
}

/**
 * Replaces every occurrence of each secret (and its encodings) with SCRUBBED. Values shorter
 * than 4 characters are left alone: they would scrub ordinary words, and say little.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = secrets
    .filter((s) => s.length >= 4)
    .flatMap(encodings)
    .sort((a, b) => b.length - a.length);
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(SCRUBBED);
  return out;
}

/** Scrubs every string inside a JSON-like value (error details, exchange records). */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, secrets);
    return out as T;
  }
  return value;
}
