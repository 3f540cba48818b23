/**
 * RFC 8252 §7.3 loopback redirect: a one-shot HTTP(S) server on 127.0.0.1 or [::1] — for
 * `localhost`, on both, same port, so that no other local program can take the address family
 * the browser resolves `localhost` to — that takes exactly one callback on its path, checks
 * `state`, handles `error`/`error_description`, answers the browser with a small page, times out,
 * can be cancelled, and always releases its port. A callback without the right `state` does not
 * belong to this sign-in (RFC 6749 §10.12): it is answered with an error page and ignored, and
 * the wait goes on, so that another local program cannot end the user's sign-in.
 */
// node:http and node:https are loaded by the sign-in that listens: every CLI command loads this
// module's chunk, and most never listen.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
  /**
   * Told what the user should know while waiting: a callback with a wrong or missing state was
   * ignored; `localhost` is served on 127.0.0.1 only because [::1] is not available.
   */
  onNotice?: (message: string) => void;
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
  /** The addresses listened on: `127.0.0.1`, `::1`, or both for `localhost`. */
  addresses: string[];
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
  | { kind: 'ignored'; status: number; title: string; page: string; notice: string }
  | { kind: 'rejected'; status: number; title: string; page: string; error: TokensmithError }
  | { kind: 'accepted'; callback: CallbackParams };

/** What the progress line says when a callback that is not this sign-in's is ignored. */
export const WRONG_STATE_NOTICE = 'A callback with a wrong state was ignored';
export const MISSING_STATE_NOTICE = 'A callback with a missing state was ignored';

/**
 * What the loopback listener does with one request: anything but `GET {path}` is not found; after
 * the first callback every other one is "already handled"; a missing, repeated or different
 * `state` is ignored (answered with an error page, the sign-in goes on: the request does not
 * belong to it, RFC 6749 §10.12); a repeated code or error is refused (RFC 6749 §3.1); an `error`
 * is the provider's refusal; a callback without `code` is refused; otherwise the code is
 * accepted. Pure, so that it can be fuzzed without sockets.
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
  const states = url.searchParams.getAll('state');
  if (states.length !== 1 || !states[0] || !sameState(states[0], expectedState)) {
    return {
      kind: 'ignored',
      status: 400,
      title: 'Sign-in not accepted',
      page: 'This response does not belong to the sign-in Tokensmith is waiting for (state mismatch); it was ignored. If you started this sign-in, use the browser window Tokensmith opened.',
      notice: states.some(Boolean) ? WRONG_STATE_NOTICE : MISSING_STATE_NOTICE,
    };
  }
  // RFC 6749 §3.1: response parameters must not be repeated; which copy counts is ambiguous.
  const repeated = ['code', 'error'].find((n) => url.searchParams.getAll(n).length > 1);
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
  const state = states[0];
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

/** Port attempts for `localhost` on an ephemeral port whose [::1] twin is taken. */
const DUAL_STACK_ATTEMPTS = 5;

type ListenFailure = NodeJS.ErrnoException & { address: string };

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(Object.assign(e, { address }));
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const shown = (address: string) => (address.includes(':') ? `[${address}]` : address);

function listenError(e: ListenFailure, port: number): TokensmithError {
  return e.code === 'EADDRINUSE'
    ? new TokensmithError(
        'port_in_use',
        `Port ${port} on ${shown(e.address)} is in use by another program; close it or choose another redirect port (0 = any free port, if the provider allows).`,
        { field: 'redirect.port', cause: e },
      )
    : e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT'
      ? new TokensmithError('network', `Cannot listen on ${shown(e.address)}: ${e.code}.`, {
          field: 'redirect.host',
          cause: e,
        })
      : new TokensmithError('network', `Cannot start the redirect listener: ${e.message}`, {
          cause: e,
        });
}

export async function startLoopbackRedirect(options: LoopbackOptions): Promise<LoopbackRedirect> {
  let makeServer: () => Server;
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
    const tls = {
      key: privateKeyToPem(entry.privateKey as NonNullable<typeof entry.privateKey>),
      cert: entry.chain.map((c) => c.toString()).join(''),
    };
    const { createServer } = await import('node:https');
    makeServer = () => createServer(tls);
  } else {
    const { createServer } = await import('node:http');
    makeServer = () => createServer();
  }

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
      case 'ignored':
        finish(res, outcome.status, outcome.title, outcome.page, false);
        options.onNotice?.(outcome.notice);
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

  const servers: Server[] = [];
  const open = (): Server => {
    const server = makeServer();
    server.keepAliveTimeout = 1000;
    server.on('request', handle);
    // A socket error after listening must not crash the process; the wait ends by its timeout.
    server.on('error', () => undefined);
    servers.push(server);
    return server;
  };
  let port: number;
  const addresses: string[] = [];
  if (options.host !== 'localhost') {
    const address = options.host === '[::1]' ? '::1' : '127.0.0.1';
    try {
      await listen(open(), options.port, address);
    } catch (e) {
      throw listenError(e as ListenFailure, options.port);
    }
    port = (servers[0]?.address() as { port: number }).port;
    addresses.push(address);
  } else {
    // The browser may resolve localhost to either family: listen on both, on one port. An
    // ephemeral port whose [::1] twin another program holds is given up for a new one.
    let bound: number | undefined;
    for (let attempt = 1; bound === undefined; attempt++) {
      const v4 = open();
      try {
        await listen(v4, options.port, '127.0.0.1');
      } catch (e) {
        throw listenError(e as ListenFailure, options.port);
      }
      const candidate = (v4.address() as { port: number }).port;
      try {
        await listen(open(), candidate, '::1');
        addresses.push('127.0.0.1', '::1');
        bound = candidate;
      } catch (e) {
        const failure = e as ListenFailure;
        servers.pop();
        if (failure.code === 'EADDRNOTAVAIL' || failure.code === 'EAFNOSUPPORT') {
          options.onNotice?.(
            `[::1] is not available on this machine: listening for localhost on 127.0.0.1 only (port ${candidate}).`,
          );
          addresses.push('127.0.0.1');
          bound = candidate;
        } else {
          await Promise.all(servers.map(closeServer));
          servers.length = 0;
          if (options.port !== 0 || attempt >= DUAL_STACK_ATTEMPTS)
            throw listenError(failure, candidate);
        }
      }
    }
    port = bound;
  }
  const redirectUri = `${options.https ? 'https' : 'http'}://${options.host}:${port}${options.path}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= Promise.all(servers.map(closeServer)).then(() => undefined);
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

  return { redirectUri, port, addresses, close, callback: settled };
}
