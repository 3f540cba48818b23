/**
 * RFC 8252 §7.3 loopback redirect: a one-shot HTTP(S) server on 127.0.0.1 or [::1] that takes
 * exactly one callback on its path, checks `state`, handles `error`/`error_description`, answers
 * the browser with a small page, times out, can be cancelled, and always releases its port.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import { CancelledError, TokensmithError } from '../errors.js';

export interface LoopbackOptions {
  host: '127.0.0.1' | '[::1]' | 'localhost';
  /** 0 = ephemeral. */
  port: number;
  path: string;
  https: boolean;
  timeoutMs: number;
  /** The `state` of the authorization request; a callback must carry exactly this. */
  state: string;
  signal?: AbortSignal;
}

export interface CallbackParams {
  code: string;
  state: string;
  /** Every query parameter of the callback (e.g. `iss`, `session_state`). */
  params: Record<string, string>;
}

export interface LoopbackRedirect {
  redirectUri: string;
  port: number;
  /** Settles with the first callback on the path; the listener then closes. */
  callback: Promise<CallbackParams>;
  close(): Promise<void>;
}

function page(title: string, message: string, ok: boolean): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tokensmith – ${escape(title)}</title>
<style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;height:90vh;margin:0;color:#1f2328}
main{max-width:32rem;padding:2rem;border-radius:12px;border:1px solid #d0d7de}h1{font-size:1.3rem;color:${ok ? '#1a7f37' : '#cf222e'}}</style>
</head><body><main><h1>${escape(title)}</h1><p>${escape(message)}</p></main></body></html>`;
}

function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type CallbackOutcome =
  | { kind: 'not_found' }
  | { kind: 'already_handled' }
  | { kind: 'rejected'; status: number; title: string; page: string; error: TokensmithError }
  | { kind: 'accepted'; callback: CallbackParams };

/**
 * What the loopback listener does with one request: anything but `GET {path}` is not found; after
 * the first callback every other one is "already handled"; a repeated code, state or error is
 * refused; a missing or different `state` is
 * refused (and ends the sign-in: it does not belong to it, RFC 6749 §10.12); an `error` is the
 * provider's refusal; a callback without `code` is refused; otherwise the code is accepted. Pure,
 * so that it can be fuzzed without sockets.
 */
export function classifyCallback(
  method: string,
  rawUrl: string,
  path: string,
  expectedState: string,
  done: boolean,
): CallbackOutcome {
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://loopback');
  } catch {
    return { kind: 'not_found' };
  }
  if (method !== 'GET' || url.pathname !== path) return { kind: 'not_found' };
  if (done) return { kind: 'already_handled' };
  // RFC 6749 §3.1: response parameters must not be repeated; which copy counts is ambiguous.
  const repeated = ['code', 'state', 'error'].find((n) => url.searchParams.getAll(n).length > 1);
  if (repeated) {
    return {
      kind: 'rejected',
      status: 400,
      title: 'Sign-in not accepted',
      page: `The response repeats the ${repeated} parameter. Start again from Tokensmith.`,
      error: new TokensmithError(
        'invalid_response',
        `The authorization response repeats the ${repeated} parameter (RFC 6749 §3.1): it was not accepted.`,
      ),
    };
  }
  const params = Object.fromEntries(url.searchParams);
  const state = params.state ?? '';
  if (!state || !sameState(state, expectedState)) {
    return {
      kind: 'rejected',
      status: 400,
      title: 'Sign-in not accepted',
      page: 'The response does not belong to the sign-in Tokensmith started (state mismatch). Start again from Tokensmith.',
      error: new TokensmithError(
        'state_mismatch',
        state
          ? 'The authorization response carried a different state than the request: it was not accepted (possible CSRF or a stale browser tab).'
          : 'The authorization response had no state parameter: it was not accepted.',
      ),
    };
  }
  if (params.error) {
    return {
      kind: 'rejected',
      status: 200,
      title: 'Sign-in failed',
      page: `${params.error}${params.error_description ? `: ${params.error_description}` : ''}. You can close this window and return to Tokensmith.`,
      error: new TokensmithError(
        params.error === 'access_denied' ? 'authorization_denied' : 'oauth_error',
        `The authorization server returned ${params.error}` +
          (params.error_description ? `: ${params.error_description}` : ''),
        {
          detail: {
            error: params.error,
            error_description: params.error_description,
            error_uri: params.error_uri,
          },
        },
      ),
    };
  }
  if (!params.code) {
    return {
      kind: 'rejected',
      status: 400,
      title: 'Sign-in failed',
      page: 'The response carried no authorization code.',
      error: new TokensmithError('invalid_response', 'The authorization response carried no code.'),
    };
  }
  return { kind: 'accepted', callback: { code: params.code, state, params } };
}

export async function startLoopbackRedirect(options: LoopbackOptions): Promise<LoopbackRedirect> {
  const bindHost = options.host === '[::1]' ? '::1' : '127.0.0.1';
  let server: Server;
  if (options.https) {
    // Loaded only for an HTTPS redirect: certificate building is heavy to load (@peculiar/x509).
    const { generateKeyPair, privateKeyToPem } = await import('../keys/keygen.js');
    const entry = await generateKeyPair({
      algorithm: 'EC-P256',
      subject: 'CN=Tokensmith loopback',
      validityDays: 1,
      subjectAltNames: [
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ],
    });
    server = createHttpsServer({
      key: privateKeyToPem(entry.privateKey as NonNullable<typeof entry.privateKey>),
      cert: entry.chain.map((c) => c.toString()).join(''),
    });
  } else {
    server = createHttpServer();
  }
  server.keepAliveTimeout = 1000;

  let settle: { resolve: (v: CallbackParams) => void; reject: (e: unknown) => void } | undefined;
  const expected = options.state;
  let done = false;

  const finish = (
    res: ServerResponse,
    status: number,
    title: string,
    message: string,
    ok: boolean,
  ) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(page(title, message, ok));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const outcome = classifyCallback(
      req.method ?? '',
      req.url ?? '/',
      options.path,
      expected,
      done,
    );
    switch (outcome.kind) {
      case 'not_found':
        res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' }).end('Not found');
        return;
      case 'already_handled':
        finish(
          res,
          409,
          'Already handled',
          'This sign-in was already completed. You can close this window.',
          false,
        );
        return;
      case 'rejected':
        done = true;
        finish(res, outcome.status, outcome.title, outcome.page, false);
        settle?.reject(outcome.error);
        return;
      case 'accepted':
        done = true;
        finish(
          res,
          200,
          'Signed in',
          'Tokensmith received the authorization. You can close this window.',
          true,
        );
        settle?.resolve(outcome.callback);
    }
  };
  server.on('request', handle);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new TokensmithError(
              'port_in_use',
              `Port ${options.port} on ${options.host} is in use by another program; close it or choose another redirect port (0 = any free port, if the provider allows).`,
              { field: 'redirect.port', cause: e },
            )
          : e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT'
            ? new TokensmithError('network', `Cannot listen on ${options.host}: ${e.code}.`, {
                field: 'redirect.host',
                cause: e,
              })
            : new TokensmithError('network', `Cannot start the redirect listener: ${e.message}`, {
                cause: e,
              }),
      );
    });
    server.listen(options.port, bindHost, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const redirectUri = `${options.https ? 'https' : 'http'}://${options.host}:${port}${options.path}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  const callback = new Promise<CallbackParams>((resolve, reject) => {
    // Every way out — callback, timeout, cancel — goes through `cleanup`, which stops the timer
    // and the abort listener so nothing keeps the process alive afterwards.
    const onAbort = () => fail(new CancelledError('The sign-in was cancelled.'));
    const cleanup = () => {
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: unknown) => {
      cleanup();
      reject(e);
    };
    settle = {
      resolve: (v) => {
        cleanup();
        resolve(v);
      },
      reject: fail,
    };
    const timer = setTimeout(
      () =>
        fail(
          new TokensmithError(
            'timeout',
            `No sign-in arrived within ${Math.round(options.timeoutMs / 1000)} s. Start again when you are ready to sign in.`,
          ),
        ),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
  });
  const settled = callback.finally(() => close());
  settled.catch(() => undefined);

  return { redirectUri, port, close, callback: settled };
}
