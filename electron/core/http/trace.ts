/**
 * A trace of the HTTP legs of a flow or API call, as they went over the wire: the request line
 * and headers undici wrote (with the `host` and `connection` it adds), the body, the status line
 * and headers the server answered with (every Set-Cookie kept), the body read, when each leg
 * started, how long the server took to answer and the body to arrive, and the TLS peer's
 * certificate. What a leg holds is as it was sent — secrets included — and stays in memory: it
 * leaves the process only through the HAR writer (`har.ts`), which redacts it.
 *
 * The wire view comes from undici's documented diagnostics channels (`undici:client:sendHeaders`
 * with the socket, `undici:request:headers` with the status text and raw headers), subscribed
 * to only while a traced request is in flight.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type { TlsPeer } from '../../../shared/har.js';
import type { HttpRequest, HttpResponse } from './http-client.js';

export interface TraceLeg {
  /** Milliseconds since the epoch when the leg started. */
  startedAt: number;
  request: HttpRequest;
  /** The request line and header block exactly as undici wrote them. */
  wireRequestHead?: string;
  response?: {
    status: number;
    statusText: string;
    /** Name and value pairs as received, duplicates (Set-Cookie) kept. */
    headers: Array<[string, string]>;
    body: Buffer;
  };
  /** Opening the connection (TCP and TLS), when the leg opened one rather than reusing it. */
  connectMs?: number;
  /** From sending the request (on its connection) to the response headers; then to the body's end. */
  waitMs: number;
  receiveMs: number;
  durationMs: number;
  serverAddress?: string;
  tls?: TlsPeer;
  /** The failure's message, when the leg failed. */
  error?: string;
}

interface Wire {
  connectStart?: number;
  connectMs?: number;
  head?: string;
  statusText?: string;
  headers?: Array<[string, string]>;
  serverAddress?: string;
  tls?: TlsPeer;
}

interface UndiciRequest {
  origin?: unknown;
  path?: string;
  method?: string;
}

function pem(raw: Buffer): string {
  const lines = raw.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function tlsPeer(socket: TLSSocket): TlsPeer | undefined {
  if (!socket.encrypted) return undefined;
  const cert = socket.getPeerCertificate();
  const name = (o: Record<string, unknown> | undefined) =>
    o
      ? Object.entries(o)
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
          .join(', ')
      : undefined;
  const peer: TlsPeer = {};
  const protocol = socket.getProtocol();
  if (protocol) peer.protocol = protocol;
  const cipher = socket.getCipher() as { name?: string } | undefined;
  if (cipher?.name) peer.cipher = cipher.name;
  if (cert && Object.keys(cert).length > 0) {
    Object.assign(peer, {
      subject: name(cert.subject as unknown as Record<string, unknown>),
      issuer: name(cert.issuer as unknown as Record<string, unknown>),
      ...(cert.subjectaltname ? { subjectAltName: cert.subjectaltname } : {}),
      serialNumber: cert.serialNumber,
      validFrom: cert.valid_from,
      validTo: cert.valid_to,
      fingerprint256: cert.fingerprint256,
      ...(cert.raw ? { pem: pem(cert.raw) } : {}),
    });
  }
  return peer;
}

/** Collects the legs of one flow or call; hand it to `HttpClient.traced`. */
export class Trace {
  readonly legs: TraceLeg[] = [];

  /** Runs one request through `send`, recording it and what undici saw of it. */
  async record(req: HttpRequest, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    const url = URL.parse(req.url);
    // Not a URL: the client refuses it with its own message, before anything is sent.
    if (!url) return send();
    const path = url.pathname + url.search;
    const wire: Wire = {};
    const mine = (request: UndiciRequest | undefined) => {
      if (!request || request.path !== path || request.method !== req.method) return false;
      const origin = request.origin;
      return (
        (typeof origin === 'string' || origin instanceof URL) &&
        new URL(String(origin)).origin === url.origin
      );
    };
    const onSend = (message: unknown) => {
      const { request, headers, socket } = message as {
        request?: UndiciRequest;
        headers?: string;
        socket?: TLSSocket;
      };
      if (!mine(request) || wire.head !== undefined) return;
      if (typeof headers === 'string') wire.head = headers;
      if (socket?.remoteAddress) wire.serverAddress = socket.remoteAddress;
      const peer = socket ? tlsPeer(socket) : undefined;
      if (peer) wire.tls = peer;
    };
    const onHeaders = (message: unknown) => {
      const { request, response } = message as {
        request?: UndiciRequest;
        response?: { headers?: Buffer[]; statusText?: string };
      };
      if (!mine(request) || wire.headers) return;
      const raw = response?.headers ?? [];
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([String(raw[i]), String(raw[i + 1])]);
      wire.headers = pairs;
      wire.statusText = response?.statusText ?? '';
    };
    // A connection opened for this origin while the request waits for one: its connect time.
    const sameOrigin = (message: unknown) => {
      const p = (message as { connectParams?: { protocol?: string; host?: string } }).connectParams;
      return `${p?.protocol}//${p?.host}` === url.origin;
    };
    const onConnecting = (message: unknown) => {
      if (wire.connectStart === undefined && sameOrigin(message))
        wire.connectStart = performance.now();
    };
    const onConnected = (message: unknown) => {
      if (wire.connectStart !== undefined && wire.connectMs === undefined && sameOrigin(message))
        wire.connectMs = performance.now() - wire.connectStart;
    };
    subscribe('undici:client:beforeConnect', onConnecting);
    subscribe('undici:client:connected', onConnected);
    subscribe('undici:client:sendHeaders', onSend);
    subscribe('undici:request:headers', onHeaders);
    const startedAt = Date.now();
    const started = performance.now();
    const leg: TraceLeg = {
      startedAt,
      request: { ...req, headers: { ...req.headers } },
      waitMs: 0,
      receiveMs: 0,
      durationMs: 0,
    };
    this.legs.push(leg);
    try {
      const res = await send();
      leg.response = {
        status: res.status,
        statusText: wire.statusText ?? '',
        headers: wire.headers ?? Object.entries(res.headers),
        body: res.body,
      };
      const headersMs = res.headersMs ?? res.durationMs;
      leg.receiveMs = Math.max(0, res.durationMs - headersMs);
      if (wire.connectMs !== undefined && wire.connectMs <= headersMs)
        leg.connectMs = wire.connectMs;
      leg.waitMs = headersMs - (leg.connectMs ?? 0);
      return res;
    } catch (e) {
      leg.error = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      unsubscribe('undici:client:beforeConnect', onConnecting);
      unsubscribe('undici:client:connected', onConnected);
      unsubscribe('undici:client:sendHeaders', onSend);
      unsubscribe('undici:request:headers', onHeaders);
      leg.durationMs = performance.now() - started;
      if (wire.head !== undefined) leg.wireRequestHead = wire.head;
      if (wire.serverAddress) leg.serverAddress = wire.serverAddress;
      if (wire.tls) leg.tls = wire.tls;
    }
  }
}

/** How many runs' traces an app session keeps for Export trace. */
export const KEPT_TRACES = 16;

/** The traces of an app session's last runs, by request ID (memory only, the oldest dropped). */
export class TraceLog {
  readonly #runs = new Map<string, { trace: Trace; connectionId?: string }>();

  keep(requestId: string, trace: Trace, connectionId?: string): void {
    this.#runs.delete(requestId);
    this.#runs.set(requestId, { trace, ...(connectionId ? { connectionId } : {}) });
    while (this.#runs.size > KEPT_TRACES) this.#runs.delete(this.#runs.keys().next().value!);
  }

  get(requestId: string): { trace: Trace; connectionId?: string } | undefined {
    return this.#runs.get(requestId);
  }
}
