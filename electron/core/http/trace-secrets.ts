/**
 * The secret values a trace carries, found by the role of where they travel — the same roles
 * masking uses everywhere (shared/masking.ts): credentials in Authorization, Proxy-Authorization
 * and DPoP, cookies, the secret form and query parameters (client secret, assertions, codes,
 * verifiers, passwords, tokens…), the token members of a JSON or form answer, and any JWT in a
 * header or body. The HAR writer scrubs each of them, in every encoding, wherever it appears
 * (a token echoed in an error page, a code in a Location).
 */
import { decodeForm, SECRET_HEADERS, SECRET_PARAMETERS } from '../../../shared/masking.js';
import type { TraceLeg } from './trace.js';

/** A JWS or JWE in compact serialization (the header of both starts `eyJ`). */
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g;

const CREDENTIALS = /^(basic|bearer|dpop|digest|negotiate)\s+\S/i;
const SECRET_NAME = /token|jwt|auth|secret|api-?key|credential|session|password/;
/** Headers about credentials that hold none (their values help whoever reads the trace). */
const PUBLIC_HEADER = /^(www-authenticate|proxy-authenticate|authentication-info|access-control-)/;

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** The values of an Authorization-like header: whole, its credentials, Basic's id:secret parts. */
function headerSecrets(name: string, value: string, add: (v: string) => void): void {
  const lower = name.toLowerCase();
  if (lower === 'cookie') {
    for (const part of value.split(';')) add(part.slice(part.indexOf('=') + 1).trim());
    return;
  }
  if (lower === 'set-cookie') {
    const pair = value.split(';')[0] ?? '';
    add(pair.slice(pair.indexOf('=') + 1).trim());
    return;
  }
  add(value);
  const space = value.indexOf(' ');
  if (space < 0) return;
  const credentials = value.slice(space + 1).trim();
  add(credentials);
  if (!/^basic$/i.test(value.slice(0, space))) return;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  add(decoded);
  const colon = decoded.indexOf(':');
  if (colon >= 0) {
    // RFC 6749 §2.3.1: the ID and secret are form-encoded before they are joined.
    const secret = decoded.slice(colon + 1);
    add(secret);
    add(formDecode(secret));
  }
}

function jsonSecrets(value: unknown, add: (v: string) => void): void {
  if (Array.isArray(value)) for (const v of value) jsonSecrets(v, add);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_PARAMETERS.has(k) && typeof v === 'string') add(v);
      else jsonSecrets(v, add);
    }
}

function bodySecrets(text: string, contentType: string, add: (v: string) => void): void {
  for (const m of text.matchAll(JWT)) add(m[0]);
  if (/x-www-form-urlencoded/i.test(contentType)) {
    for (const [k, v] of decodeForm(text)) if (SECRET_PARAMETERS.has(k)) add(v);
  } else if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
    try {
      jsonSecrets(JSON.parse(text), add);
    } catch {
      // Not JSON after all: its JWTs are taken above.
    }
  }
}

/** Every secret value the legs carry, by role. */
export function traceSecrets(legs: readonly TraceLeg[]): string[] {
  const found = new Set<string>();
  const add = (v: string) => {
    if (v.length >= 4) found.add(v);
  };
  const headers = (pairs: Iterable<[string, string]>) => {
    for (const [name, value] of pairs) {
      const lower = name.toLowerCase();
      // Credentials travel in headers the user names too (a JWT connection's credentials header,
      // its response header, an API key): by their scheme, or by a name that says what they are.
      if (SECRET_HEADERS.has(lower)) headerSecrets(name, value, add);
      else if (!PUBLIC_HEADER.test(lower)) {
        if (CREDENTIALS.test(value)) headerSecrets(name, value, add);
        else if (SECRET_NAME.test(lower) && value.length >= 8) add(value.trim());
      }
      for (const m of value.matchAll(JWT)) add(m[0]);
    }
  };
  for (const leg of legs) {
    const { request, response } = leg;
    headers(Object.entries(request.headers));
    const url = URL.parse(request.url);
    for (const [k, v] of url?.searchParams ?? []) if (SECRET_PARAMETERS.has(k)) add(v);
    const type = Object.entries(request.headers).find(
      ([k]) => k.toLowerCase() === 'content-type',
    )?.[1];
    if (request.body !== undefined) bodySecrets(request.body, type ?? '', add);
    if (!response) continue;
    headers(response.headers);
    const location = response.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
    const redirect = location ? URL.parse(location, request.url) : null;
    for (const [k, v] of redirect?.searchParams ?? []) if (SECRET_PARAMETERS.has(k)) add(v);
    const responseType =
      response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    bodySecrets(response.body.toString('utf8'), responseType, add);
  }
  return [...found];
}
