/**
 * Maps what undici and Node's sockets throw to the core's error codes, in one place, with a
 * message that says what failed and what to check.
 */
// undici's error classes alone: its index loads all of undici (./undici-parts.ts).
import undiciErrors from 'undici/lib/core/errors.js';
import { TokensmithError, CancelledError } from '../errors.js';
import { socketEvidence } from './socket-evidence.js';

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/**
 * Alerts with which a server ends the handshake over the client's certificate, or for want of
 * one (RFC 5246 §7.2.2, RFC 8446 §6.2: handshake_failure, bad_certificate,
 * unsupported_certificate, certificate_revoked/expired/unknown, unknown_ca, access_denied,
 * certificate_required). Node names them `ERR_SSL_<version>_ALERT_<NAME>`; OpenSSL's reason reads
 * "sslv3 alert handshake failure", "tlsv13 alert certificate required".
 */
const REFUSAL_ALERT =
  /ALERT_(HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_(REVOKED|EXPIRED|UNKNOWN|REQUIRED)|UNKNOWN_CA|ACCESS_DENIED)$|alert (handshake failure|bad certificate|unsupported certificate|certificate (revoked|expired|unknown|required)|unknown ca|access denied)/i;
/** Node's error when the peer closes the socket before the TLS handshake has finished. */
const CLOSED_IN_HANDSHAKE = /before secure TLS connection was established/;

type ChainError = Error & { code?: string; reason?: string };

function causeChain(e: unknown): ChainError[] {
  const chain: ChainError[] = [];
  let current: unknown = e;
  for (let i = 0; i < 6 && current instanceof Error; i++) {
    chain.push(current as ChainError);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** The error as the details show it: OpenSSL's reason rather than its source location. */
function describeCause(c: ChainError): string {
  const text = c.reason ?? c.message.split('\n')[0] ?? '';
  return c.code ? `${text} (${c.code})` : text;
}

/**
 * The failure that says the server ended the connection during the TLS handshake or right
 * after it, before any response byte: a refusal alert (TLS 1.2 sends it during the handshake,
 * TLS 1.3 sometimes after the client's Finished), a socket closed before the handshake finished,
 * or a TLS connection closed or reset having read nothing (TLS 1.3: the client saw the handshake
 * complete and sent its request; the server then checked the certificate and hung up).
 */
function closedAtHandshake(chain: ChainError[]): ChainError | undefined {
  return chain.find((c) => {
    if (REFUSAL_ALERT.test(c.code ?? '') || REFUSAL_ALERT.test(c.reason ?? c.message)) return true;
    if (c.code === 'ECONNRESET' && CLOSED_IN_HANDSHAKE.test(c.message)) return true;
    const seen = socketEvidence(c);
    return (
      seen?.encrypted === true &&
      seen.bytesRead === 0 &&
      ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(c.code ?? '')
    );
  });
}

export interface NetworkErrorContext {
  url: string;
  proxy?: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /**
   * The client certificate this request presented (mutual TLS), absent when it presented none:
   * the leaf's subject (`CN=…`) and its issuer's distinguished name, when known.
   */
  clientCertificate?: { subject?: string; issuer?: string };
}

export function mapNetworkError(e: unknown, ctx: NetworkErrorContext): TokensmithError {
  if (e instanceof TokensmithError) return e;
  const chain = causeChain(e);
  const host = URL.canParse(ctx.url) ? new URL(ctx.url).host : ctx.url;
  const codes = chain.map((c) => c.code ?? '');
  const has = (code: string) => codes.includes(code);
  const opts = { cause: e, detail: { url: ctx.url } };

  const proxyStatus = chain
    .map((c) => /Proxy response \((\d{3})\)/.exec(c.message)?.[1])
    .find((s) => s !== undefined);
  if (proxyStatus === '407') {
    return new TokensmithError(
      'proxy_auth',
      `The proxy ${ctx.proxy ?? ''} refused the request: 407 Proxy Authentication Required. Check the proxy alias's user name and password.`,
      opts,
    );
  }
  if (proxyStatus) {
    return new TokensmithError(
      'proxy',
      `The proxy ${ctx.proxy ?? ''} could not open a tunnel to ${host}: it answered ${proxyStatus}.`,
      opts,
    );
  }
  if (
    chain.some((c) => c.name === 'AbortError' && !(c instanceof undiciErrors.RequestAbortedError))
  ) {
    return new CancelledError();
  }
  if (
    chain.some((c) => c instanceof undiciErrors.ConnectTimeoutError) ||
    has('UND_ERR_CONNECT_TIMEOUT')
  ) {
    return new TokensmithError(
      'timeout',
      `Could not connect to ${ctx.proxy ? `the proxy ${ctx.proxy}` : host} within ${ctx.connectTimeoutMs / 1000} s.`,
      opts,
    );
  }
  if (has('UND_ERR_HEADERS_TIMEOUT') || has('UND_ERR_BODY_TIMEOUT')) {
    return new TokensmithError(
      'timeout',
      `${host} did not answer within ${ctx.readTimeoutMs / 1000} s (read timeout).`,
      opts,
    );
  }
  if (has('ENOTFOUND') || has('EAI_AGAIN') || has('EAI_NONAME')) {
    const target =
      ctx.proxy && chain.some((c) => String(c.message).includes(ctx.proxy ?? '\0'))
        ? ctx.proxy
        : host;
    return new TokensmithError('dns', `The host name ${target} could not be resolved (DNS).`, opts);
  }
  if (has('ECONNREFUSED')) {
    return new TokensmithError(
      'connection_refused',
      ctx.proxy
        ? `Connection refused by ${host} or the proxy ${ctx.proxy}: is the server running?`
        : `Connection refused by ${host}: is the server running and the port right?`,
      opts,
    );
  }
  const tls = codes.find(
    (c) => TLS_UNTRUSTED.has(c) || TLS_EXPIRED.has(c) || c === 'ERR_TLS_CERT_ALTNAME_INVALID',
  );
  if (tls && TLS_UNTRUSTED.has(tls)) {
    return new TokensmithError(
      'tls_untrusted',
      `The TLS certificate of ${host} is not trusted (${tls}). Add its CA to a truststore and choose it as the Truststore Alias.`,
      opts,
    );
  }
  if (tls === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new TokensmithError(
      'tls_hostname',
      `The TLS certificate of ${host} is not valid for that host name.`,
      opts,
    );
  }
  if (tls && TLS_EXPIRED.has(tls)) {
    return new TokensmithError(
      'tls_expired',
      `The TLS certificate of ${host} ${tls === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'}.`,
      opts,
    );
  }
  const closed = URL.parse(ctx.url)?.protocol === 'https:' ? closedAtHandshake(chain) : undefined;
  if (closed) {
    const cert = ctx.clientCertificate;
    const named = cert?.subject
      ? ` ${cert.subject}${cert.issuer ? `, issued by ${cert.issuer}` : ''}`
      : '';
    return new TokensmithError(
      'tls',
      cert
        ? `The server ${host} closed the TLS connection — it may not accept the client certificate${named}. Check that the server trusts its issuer, or choose another SSL Connection → Key Alias.`
        : `The server ${host} closed the TLS connection — it may require a client certificate: set SSL Connection → Keystore Alias and Key Alias.`,
      { cause: e, detail: { url: ctx.url, cause: describeCause(closed) } },
    );
  }
  const tlsOther = chain.find((c) =>
    /ERR_SSL|ERR_TLS|SSL routines|alert/i.test(`${c.code} ${c.message}`),
  );
  if (tlsOther) {
    return new TokensmithError(
      'tls',
      `The TLS handshake with ${host} failed: ${tlsOther.reason ?? tlsOther.message}. If the server wants a client certificate, turn on SSL Connection and choose a Keystore Alias and Key Alias.`,
      { cause: e, detail: { url: ctx.url, cause: describeCause(tlsOther) } },
    );
  }
  if (
    has('ECONNRESET') ||
    has('UND_ERR_SOCKET') ||
    has('EPIPE') ||
    has('EHOSTUNREACH') ||
    has('ENETUNREACH')
  ) {
    return new TokensmithError(
      'network',
      `The connection to ${host} failed (${codes.find((c) => c) ?? 'socket error'}).`,
      opts,
    );
  }
  const message = chain.at(-1)?.message ?? String(e);
  return new TokensmithError('network', `The request to ${host} failed: ${message}`, opts);
}
