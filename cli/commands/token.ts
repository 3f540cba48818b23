import { connectionByName, getToken } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { formatSeconds, need, useBrowserOptions, withSession } from '../io.js';
import { tokenProgress } from '../token-progress.js';
import { withTraceFile } from '../trace-file.js';

const usage = `Usage: tokensmith token <connection> [--json] [--no-cache] [--trace FILE]
                        [--browser CMD | --no-browser]

Prints the access token (the field the connection's token path selects) on stdout.
  --json         The whole result: token, token type, expiry, refresh token, scope, every field
                 returned, and the exchange with secrets masked
  --no-cache     Neither use nor store a cached token
  --trace FILE   Write every HTTP leg (request, response, timings, TLS certificate) to FILE as
                 HAR 1.2, every secret redacted, to share (written also when the flow fails)
  --browser CMD  Authorization Code: open the sign-in URL with CMD (split on spaces, the URL
                 appended; e.g. a headless browser or a script in CI)
  --no-browser   Authorization Code: print the sign-in URL instead of opening the browser
Device Authorization: the user code and the verification URI are printed on stderr, and the
command waits (polling as the server asks) until the code is approved, denied or expired.
Token Exchange: a chained subject or actor token is obtained first, as \`tokensmith token\` would.
Secrets written as \${env:NAME} are read from the environment.`;

export const token: Command = {
  usage,
  options: {
    'no-cache': { type: 'boolean' },
    'no-browser': { type: 'boolean' },
    browser: { type: 'string' },
    trace: { type: 'string' },
  },
  async run(input) {
    need(input, 1, 'the connection name', usage);
    const { io, values } = input;
    const noCache = values['no-cache'] === true;
    await withSession(input, async (session) => {
      useBrowserOptions(session, values);
      const conn = connectionByName(await session.workspace.store.read(), input.args[0] as string);
      const tracePath = values.trace as string | undefined;
      const { result, source } = await withTraceFile(session, io, tracePath, conn, (trace) =>
        getToken(session, conn, {
          signal: input.signal,
          onProgress: tokenProgress(io),
          noCache,
          ...(trace ? { trace } : {}),
        }),
      );
      if (input.json) {
        io.out(JSON.stringify({ connection: conn.name, source, ...result }, null, 2));
        return;
      }
      io.out(result.token);
      const left = result.expiresAt
        ? `, expires in ${formatSeconds((Date.parse(result.expiresAt) - Date.now()) / 1000)}`
        : '';
      const from =
        source === 'network'
          ? 'the authorization server'
          : source === 'refresh'
            ? 'a refresh'
            : 'the cache';
      const issued = result.issuedTokenType ? ` (issued_token_type ${result.issuedTokenType})` : '';
      io.err(`${result.tokenType ?? 'Token'} from ${from}${left}${issued}.`);
      for (const b of result.bindings ?? []) if (b.ok !== false) io.err(`check: ${b.message}`);
      for (const w of result.warnings) io.err(`warning: ${w}`);
    });
  },
};
