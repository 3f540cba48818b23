/**
 * What a connection had received when it failed. undici rejects a request with its socket's own
 * error (`other side closed`, `read ECONNRESET`, an OpenSSL alert), and the raw ones do not say
 * whether any response byte had arrived on that connection. That is the difference between a
 * server refusing the client's certificate under TLS 1.3 — it checks the certificate only when
 * the client's Finished arrives (RFC 8446 §4.4.2.4), so the client has seen the handshake
 * complete and sent its request when the connection is closed or reset, having read nothing —
 * and a server closing a reused keep-alive connection, which had carried responses before.
 *
 * undici publishes every socket it connects on its documented diagnostics channel
 * `undici:client:connected`; the errors those sockets emit are remembered here, weakly, with what
 * the socket had read by then.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

export interface SocketEvidence {
  /** The socket was a TLS connection (to the server, or an HTTPS proxy). */
  encrypted: boolean;
  /** Application bytes the connection had received when it failed (0: not one response byte). */
  bytesRead: number;
}

const evidence = new WeakMap<object, SocketEvidence>();
let watching = false;

function onConnected(message: unknown): void {
  const socket = (message as { socket?: Socket & { encrypted?: boolean } }).socket;
  // Prepended: the request is failed by undici's own listener, and must find the evidence.
  socket?.prependListener('error', (err: unknown) => {
    if (typeof err === 'object' && err !== null && !evidence.has(err)) {
      evidence.set(err, { encrypted: socket.encrypted === true, bytesRead: socket.bytesRead });
    }
  });
}

/** Starts remembering socket errors; one subscription per process, however often called. */
export function watchSocketErrors(): void {
  if (watching) return;
  watching = true;
  subscribe('undici:client:connected', onConnected);
}

/** What the socket that emitted `error` had received, when it was a watched undici socket. */
export function socketEvidence(error: unknown): SocketEvidence | undefined {
  return typeof error === 'object' && error !== null ? evidence.get(error) : undefined;
}
