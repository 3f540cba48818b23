import { connectionByName, getToken, type FlowOptions } from '../../electron/core/index.js';
import type { DeviceAuthorizationView } from '../../shared/token-result.js';
import type { Command } from '../command.js';
import { formatSeconds, need, useBrowserOptions, withSession } from '../io.js';

const usage = `Usage: tokensmith token <connection> [--json] [--no-cache] [--browser CMD | --no-browser]

Prints the access token (the field the connection's token path selects) on stdout.
  --json         The whole result: token, token type, expiry, refresh token, scope, every field
                 returned, and the exchange with secrets masked
  --no-cache     Neither use nor store a cached token
  --browser CMD  Authorization Code: open the sign-in URL with CMD (split on spaces, the URL
                 appended; e.g. a headless browser or a script in CI)
  --no-browser   Authorization Code: print the sign-in URL instead of opening the browser
Device Authorization: the user code and the verification URI are printed on stderr, and the
command waits (polling as the server asks) until the code is approved, denied or expired.
Token Exchange: a chained subject or actor token is obtained first, as \`tokensmith token\` would.
Secrets written as \${env:NAME} are read from the environment.`;

/** RFC 8628 §3.3: what the person is to do, on stderr (stdout keeps only the token). */
function deviceInstructions(device: DeviceAuthorizationView): string {
  const until = new Date(device.expiresAt).toTimeString().slice(0, 5);
  return [
    `To sign in, open ${device.verificationUri} on any device and enter the code:`,
    `  ${device.userCode}`,
    ...(device.verificationUriComplete
      ? [`or open this link, which carries the code:`, `  ${device.verificationUriComplete}`]
      : []),
    `Waiting for the approval until ${until} (Ctrl+C cancels)…`,
  ].join('\n');
}

export const token: Command = {
  usage,
  options: {
    'no-cache': { type: 'boolean' },
    'no-browser': { type: 'boolean' },
    browser: { type: 'string' },
  },
  async run(input) {
    need(input, 1, 'the connection name', usage);
    const { io, values } = input;
    const noCache = values['no-cache'] === true;
    await withSession(input, async (session) => {
      useBrowserOptions(session, values);
      const conn = connectionByName(await session.workspace.store.read(), input.args[0] as string);
      let interval: number | undefined;
      const progress: FlowOptions['onProgress'] = (p) => {
        if (p.step === 'browser' && p.url)
          io.err(
            `Sign in to continue. Open this URL in a browser:\n  ${p.url}\nWaiting for the sign-in (Ctrl+C cancels)…`,
          );
        else if (p.step === 'device' && p.device) {
          interval = p.device.intervalSeconds;
          io.err(deviceInstructions(p.device));
        } else if (p.step === 'polling' && p.device && p.device.intervalSeconds !== interval) {
          interval = p.device.intervalSeconds;
          io.err(p.message);
        } else if (p.step === 'refresh' || p.step === 'chain') io.err(p.message);
      };
      const { result, source } = await getToken(session, conn, {
        signal: input.signal,
        onProgress: progress,
        noCache,
      });
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
