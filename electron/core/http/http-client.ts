/**
 * The one HTTP client of the core, on undici. Every leg of every flow goes through `send`, with
 * the connection's network profile: proxy (with credentials and a bypass list), extra trusted
 * CAs, a client certificate, connect/read timeouts and a response size cap.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type * as UndiciParts from './undici-parts.js';
import { TokensmithError } from '../errors.js';
import { lazyProperty } from '../lazy-property.js';
import { mapNetworkError, type NetworkErrorContext } from './network-errors.js';
import { watchSocketErrors } from './socket-evidence.js';
import { profileKey, proxyUrl, type NetworkProfile } from './network-profile.js';
import { maskFormBody, maskHeaders } from '../../../shared/masking.js';
import type { ExchangeRecord } from '../../../shared/token-result.js';
import type { Trace } from './trace.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Milliseconds from sending the request to the end of the body. */
  durationMs: number;
  /** Milliseconds from sending the request to its response headers. */
  headersMs?: number;
}

const MAX_CACHED_DISPATCHERS = 32;

export class HttpClient {
  readonly #dispatchers: Map<string, Dispatcher>;
  readonly #trace: Trace | undefined;

  constructor(shared?: { dispatchers: Map<string, Dispatcher>; trace: Trace }) {
    this.#dispatchers = shared?.dispatchers ?? new Map();
    this.#trace = shared?.trace;
    // Tells a connection refused right after the TLS handshake from one that failed later.
    watchSocketErrors();
  }

  /** A client over the same pooled connections that records every leg it sends in `trace`. */
  traced(trace: Trace): HttpClient {
    return new HttpClient({ dispatchers: this.#dispatchers, trace });
  }

  /** Sends one request with the profile's network settings; throws a mapped TokensmithError. */
  send(req: HttpRequest, profile: NetworkProfile, signal?: AbortSignal): Promise<HttpResponse> {
    if (!this.#trace) return this.#send(req, profile, signal);
    return this.#trace.record(req, () => this.#send(req, profile, signal));
  }

  async #send(
    req: HttpRequest,
    profile: NetworkProfile,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    // Parsed once here (undici is given the string): a URL object costs undici more than a string.
    const url = URL.parse(req.url);
    if (!url) throw new TokensmithError('invalid_input', `Not a valid URL: ${req.url}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TokensmithError(
        'invalid_input',
        `Only http:// and https:// URLs are supported: ${req.url}`,
      );
    }
    signal?.throwIfAborted();
    let started = 0;
    let res: Dispatcher.ResponseData;
    try {
      const dispatcher = this.#dispatchers.get(profileKey(profile)) ?? (await this.#add(profile));
      started = performance.now();
      // Dispatcher.request: undici's own `request(url)` without the URL parsed a second time.
      res = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        headersTimeout: profile.readTimeoutMs,
        bodyTimeout: profile.readTimeoutMs,
      });
    } catch (e) {
      throw mapNetworkError(e, errorContext(req.url, profile));
    }
    const headersMs = performance.now() - started;
    let body: Buffer;
    try {
      body = await readCapped(res.body, profile.maxResponseBytes);
    } catch (e) {
      if (e !== TOO_LARGE) throw mapNetworkError(e, errorContext(req.url, profile));
      throw new TokensmithError(
        'response_too_large',
        `The response from ${url.host} is larger than ${Math.round(profile.maxResponseBytes / 1024)} KB; it was not read.`,
        { detail: { url: req.url, limitBytes: profile.maxResponseBytes } },
      );
    }
    return {
      status: res.statusCode,
      headers: flattenHeaders(res.headers),
      body,
      durationMs: performance.now() - started,
      headersMs,
    };
  }

  /** Releases every pooled connection. */
  async close(): Promise<void> {
    const all = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    await Promise.allSettled(all.map((d) => d.close()));
  }

  /** A new pooled dispatcher for the profile (undici is loaded by the first one). */
  async #add(profile: NetworkProfile): Promise<Dispatcher> {
    const parts = await undici();
    const key = profileKey(profile);
    let dispatcher = this.#dispatchers.get(key);
    if (!dispatcher) {
      if (this.#dispatchers.size >= MAX_CACHED_DISPATCHERS) {
        const [oldestKey, oldest] = this.#dispatchers.entries().next().value as [
          string,
          Dispatcher,
        ];
        this.#dispatchers.delete(oldestKey);
        void oldest.close();
      }
      dispatcher = createDispatcher(parts, profile);
      this.#dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }
}

let loading: Promise<typeof UndiciParts> | undefined;
/** undici's agents, loaded once, on the first request (a token from the cache never loads them). */
const undici = () => (loading ??= import('./undici-parts.js'));

const TOO_LARGE = Symbol('response too large');

/** What the error mapper needs of a request: built only when one fails. */
function errorContext(url: string, profile: NetworkProfile): NetworkErrorContext {
  const cert = profile.clientCertificate;
  return {
    url,
    ...(profile.proxy ? { proxy: `${profile.proxy.host}:${profile.proxy.port}` } : {}),
    connectTimeoutMs: profile.connectTimeoutMs,
    readTimeoutMs: profile.readTimeoutMs,
    ...(cert ? { clientCertificate: { subject: cert.subject, issuer: cert.issuer } } : {}),
  };
}

/**
 * Reads a response body up to `limit` bytes; past it the body is destroyed (the connection is
 * not reused) and the promise rejects with TOO_LARGE. Events rather than `for await`: the
 * async iterator costs more than the rest of reading a small token response.
 */
function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(Buffer.concat(chunks, size)));
    body.once('error', reject);
  });
}

function createDispatcher(
  { Agent, EnvHttpProxyAgent, rootCertificates }: typeof UndiciParts,
  profile: NetworkProfile,
): Dispatcher {
  const tls = {
    ...(profile.trustedCertificates?.length
      ? { ca: [...rootCertificates, ...profile.trustedCertificates] }
      : {}),
    ...(profile.clientCertificate
      ? { key: profile.clientCertificate.key, cert: profile.clientCertificate.cert }
      : {}),
    timeout: profile.connectTimeoutMs,
  };
  const agentOptions = {
    connect: tls,
    headersTimeout: profile.readTimeoutMs,
    bodyTimeout: profile.readTimeoutMs,
    keepAliveTimeout: 4_000,
  };
  if (!profile.proxy) return new Agent(agentOptions);
  const uri = proxyUrl(profile.proxy);
  // EnvHttpProxyAgent gives the NO_PROXY matching rules users know; every option is passed
  // explicitly so the process environment never decides where a request goes.
  return new EnvHttpProxyAgent({
    ...agentOptions,
    httpProxy: uri,
    httpsProxy: uri,
    noProxy: profile.proxy.bypass.join(','),
    requestTls: tls,
    proxyTls: { timeout: profile.connectTimeoutMs },
  });
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The exchange as the user may see it: credentials and tokens masked. The masked headers and
 * bodies are made when the record is first read (the UI's exchange view, `--json`, the cache
 * file): most records are never looked at, and masking them was a tenth of a token request.
 * Nothing unmasked is ever readable from the record.
 */
export function recordExchange(
  label: string,
  req: HttpRequest,
  res: HttpResponse | undefined,
  maskResponseBody: (body: string, contentType: string) => string,
  error?: TokensmithError,
): ExchangeRecord {
  const headers = { ...req.headers };
  const sent = req.body;
  const request = { method: req.method, url: req.url } as ExchangeRecord['request'];
  lazyProperty(request, 'headers', () => maskHeaders(headers));
  if (sent !== undefined) {
    const contentType = headers['content-type'] ?? headers['Content-Type'] ?? '';
    lazyProperty(request, 'body', () =>
      contentType.includes('x-www-form-urlencoded') ? maskFormBody(sent) : sent,
    );
  }
  const record: ExchangeRecord = { label, request };
  if (res) {
    const response = { status: res.status } as NonNullable<ExchangeRecord['response']>;
    lazyProperty(response, 'headers', () => maskHeaders(res.headers));
    lazyProperty(response, 'body', () =>
      maskResponseBody(
        res.body.subarray(0, 64 * 1024).toString('utf8'),
        res.headers['content-type'] ?? '',
      ),
    );
    record.response = response;
    record.durationMs = Math.round(res.durationMs * 10) / 10;
  }
  if (error) record.error = error.message;
  return record;
}
