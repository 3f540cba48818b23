import { connectionByName, tryApi, type ApiRequest } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { EXIT_CODES, need, UsageError, withSession } from '../io.js';
import { withTraceFile } from '../trace-file.js';

const usage = `Usage: tokensmith call <connection> <url> [-X METHOD] [-H 'Name: value']... [-d BODY]
                       [--retry-any-401] [--no-cache] [--trace FILE] [--json]

Sends the request with the connection's access token in Authorization: Bearer, through the
connection's proxy and TLS settings. When the API answers 401 with WWW-Authenticate containing
invalid_token, a new token is obtained and the request is retried once (--retry-any-401: on any
401, z/OS tokenRetryCheckLevel=1). Prints the body on stdout and the status on stderr; exits 0
for 2xx, 5 otherwise. A connection with an authentication-server JWT sends it as well, in its
own header (z/OS zosconnect_authToken); a retry renews both tokens. The retry-check level is the
connection's unless --retry-any-401 is given.
  --no-cache     Neither use nor store a cached token (a new one for this call)
  --trace FILE   Write every HTTP leg (the token's and the API's) to FILE as HAR 1.2, every
                 secret redacted, to share (written also when the call fails)`;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export const call: Command = {
  usage,
  options: {
    request: { type: 'string', short: 'X' },
    header: { type: 'string', short: 'H', multiple: true },
    data: { type: 'string', short: 'd' },
    'retry-any-401': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    trace: { type: 'string' },
  },
  async run(input) {
    need(input, 2, 'the connection name and the URL', usage);
    const { values, io } = input;
    const headers: Record<string, string> = {};
    for (const h of (values.header as string[] | undefined) ?? []) {
      const colon = h.indexOf(':');
      if (colon <= 0) throw new UsageError(`A header is "Name: value", not "${h}".`);
      headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    }
    const data = typeof values.data === 'string' ? values.data : undefined;
    const method = (
      (values.request as string | undefined) ?? (data !== undefined ? 'POST' : 'GET')
    ).toUpperCase();
    if (!METHODS.includes(method)) throw new UsageError(`Unknown method ${method}.`);
    const result = await withSession(input, async (session) => {
      const conn = connectionByName(await session.workspace.store.read(), input.args[0] as string);
      return withTraceFile(session, io, values.trace as string | undefined, conn, (trace) =>
        tryApi(
          session,
          conn,
          {
            method: method as ApiRequest['method'],
            url: input.args[1] as string,
            headers,
            ...(data !== undefined ? { body: data } : {}),
          },
          {
            signal: input.signal,
            noCache: values['no-cache'] === true,
            ...(values['retry-any-401'] ? { retryCheckLevel: 1 as const } : {}),
            ...(trace ? { trace } : {}),
          },
        ),
      );
    });
    if (input.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(result.body);
      io.err(
        `HTTP ${result.status} in ${result.durationMs} ms${result.attempts > 1 ? ' (retried once with a new token)' : ''}`,
      );
    }
    return result.status >= 200 && result.status < 300 ? EXIT_CODES.ok : EXIT_CODES.server;
  },
};
