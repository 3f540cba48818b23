/**
 * A trace as an HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/) that may
 * be shared: every secret redacted twice over. First by role, as everywhere else — credential
 * headers (`Basic ••••••`, `Bearer eyJhbG…`), cookies, the secret form, query and JSON members
 * (shared/masking.ts). Then every string of the archive is scrubbed of every secret value known
 * — the store's and those the legs carried by role (trace-secrets.ts) — in each encoding it may
 * travel in (shared/scrub.ts): plain, percent- and form-encoded, JSON- and HTML-escaped, base64
 * and base64url. A response body that is not text is left out (its size stays).
 */
import {
  decodeForm,
  maskFormBody,
  maskHeaderValue,
  maskJson,
  maskToken,
  maskValue,
  SECRET_PARAMETERS,
  TOKEN_PARAMETERS,
} from '../../../shared/masking.js';
import { scrubDeep, secretScrubber } from '../../../shared/scrub.js';
import type { Har, HarEntry } from '../../../shared/har.js';
import type { TraceLeg } from './trace.js';
import { traceSecrets } from './trace-secrets.js';

const HTTP_VERSION = 'HTTP/1.1';
const ms = (n: number) => Math.round(n * 1000) / 1000;
const TEXT_TYPE = /json|xml|text\/|x-www-form-urlencoded|javascript|^$/i;

/** A parameter's value as masking shows it everywhere: tokens keep a JWT's `eyJhbG…`. */
const masked = (name: string, value: string) =>
  !SECRET_PARAMETERS.has(name)
    ? value
    : TOKEN_PARAMETERS.has(name)
      ? maskToken(value)
      : maskValue(value);

/** A URL with its secret query parameters masked (a code, a token in the query). */
function maskUrl(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed?.search) return url;
  for (const [name] of parsed.searchParams)
    if (SECRET_PARAMETERS.has(name))
      parsed.searchParams.set(name, masked(name, parsed.searchParams.get(name) ?? ''));
  return parsed.href;
}

function cookiesOf(header: string | undefined, set: boolean): HarEntry['request']['cookies'] {
  if (!header) return [];
  const pairs = set ? [header.split(';')[0] ?? ''] : header.split(';');
  return pairs
    .map((p) => p.trim())
    .filter((p) => p.includes('='))
    .map((p) => ({
      name: p.slice(0, p.indexOf('=')),
      value: maskValue(p.slice(p.indexOf('=') + 1)),
    }));
}

/** The request headers as written on the wire (undici's block), else as given. */
function requestHeaders(leg: TraceLeg): Array<[string, string]> {
  const given = Object.entries(leg.request.headers);
  if (leg.wireRequestHead === undefined) return given;
  const lines = leg.wireRequestHead.split('\r\n').slice(1);
  const pairs = lines
    .filter((l) => l.includes(':'))
    .map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
  const body = leg.request.body;
  if (body !== undefined && !pairs.some(([k]) => k.toLowerCase() === 'content-length'))
    pairs.push(['content-length', String(Buffer.byteLength(body))]);
  return pairs;
}

function header(pairs: Array<[string, string]>, name: string): string | undefined {
  return pairs.find(([k]) => k.toLowerCase() === name)?.[1];
}

function maskedText(text: string, mimeType: string): string {
  if (/x-www-form-urlencoded/i.test(mimeType)) return maskFormBody(text);
  if (/json/i.test(mimeType) || /^\s*[[{]/.test(text)) {
    try {
      return JSON.stringify(maskJson(JSON.parse(text)));
    } catch {
      // Not JSON: scrubbed as text.
    }
  }
  return text;
}

function entryOf(leg: TraceLeg): HarEntry {
  const { request } = leg;
  const sent = requestHeaders(leg);
  const url = URL.parse(request.url);
  const requestType = header(sent, 'content-type') ?? '';
  const body = request.body;
  const entry: HarEntry = {
    startedDateTime: new Date(leg.startedAt).toISOString(),
    time: ms((leg.connectMs ?? 0) + leg.waitMs + leg.receiveMs),
    request: {
      method: request.method,
      url: maskUrl(request.url),
      httpVersion: HTTP_VERSION,
      cookies: cookiesOf(header(sent, 'cookie'), false),
      headers: sent.map(([name, value]) => ({ name, value: maskHeaderValue(name, value) })),
      queryString: [...(url?.searchParams ?? [])].map(([name, value]) => ({
        name,
        value: masked(name, value),
      })),
      headersSize:
        leg.wireRequestHead === undefined ? -1 : Buffer.byteLength(leg.wireRequestHead) + 2,
      bodySize: body === undefined ? 0 : Buffer.byteLength(body),
    },
    response: {
      status: 0,
      statusText: '',
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: {
      blocked: -1,
      dns: -1,
      connect: leg.connectMs === undefined ? -1 : ms(leg.connectMs),
      ssl: -1,
      send: 0,
      wait: ms(leg.waitMs),
      receive: ms(leg.receiveMs),
    },
  };
  if (body !== undefined) {
    const form = /x-www-form-urlencoded/i.test(requestType);
    entry.request.postData = {
      mimeType: requestType || 'application/octet-stream',
      text: maskedText(body, requestType),
      ...(form
        ? {
            params: decodeForm(body).map(([name, value]) => ({ name, value: masked(name, value) })),
          }
        : {}),
    };
  }
  const res = leg.response;
  if (res) {
    const mimeType = header(res.headers, 'content-type') ?? '';
    const text = TEXT_TYPE.test(mimeType);
    const location = header(res.headers, 'location');
    entry.response = {
      status: res.status,
      statusText: res.statusText,
      httpVersion: HTTP_VERSION,
      cookies: res.headers
        .filter(([k]) => k.toLowerCase() === 'set-cookie')
        .flatMap(([, v]) => cookiesOf(v, true)),
      headers: res.headers.map(([name, value]) => ({ name, value: maskHeaderValue(name, value) })),
      content: {
        size: res.body.length,
        mimeType: mimeType || 'x-unknown',
        ...(text
          ? { text: maskedText(res.body.toString('utf8'), mimeType) }
          : { comment: 'Not text: left out.' }),
      },
      redirectURL: location ? maskUrl(location) : '',
      headersSize: -1,
      bodySize: res.body.length,
    };
  }
  if (leg.serverAddress) entry.serverIPAddress = leg.serverAddress;
  if (leg.tls) entry._tlsPeerCertificate = leg.tls;
  if (leg.error !== undefined) entry._error = leg.error;
  return entry;
}

/**
 * The legs as a redacted HAR 1.2 archive. `secrets`: the values known besides what the legs
 * carry by role (the store's client secrets, passwords, keystore passwords, keys…).
 */
export function harOf(
  legs: readonly TraceLeg[],
  secrets: readonly string[],
  creatorVersion: string,
): Har {
  const scrub = secretScrubber([...new Set([...secrets, ...traceSecrets(legs)])]);
  return {
    log: {
      version: '1.2',
      creator: { name: 'Tokensmith', version: creatorVersion },
      entries: legs.map((leg) => scrubDeep(entryOf(leg), scrub)),
      comment:
        'Redacted by Tokensmith: credentials, cookies, codes, assertions and tokens are masked, and every known secret is scrubbed in any encoding.',
    },
  };
}
