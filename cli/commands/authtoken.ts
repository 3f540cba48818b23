import { connectionByName, getAuthToken, TokensmithError } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { need, withSession } from '../io.js';

const usage = `Usage: tokensmith authtoken <connection> [--json] [--no-cache]

Requests the JWT from the connection's authentication server (z/OS zosconnect_authToken):
credentials as Basic in the configured request header or in the body template, the JWT read
from the configured response header or JSON path. Cached until the JWT's exp.`;

export const authtoken: Command = {
  usage,
  options: { 'no-cache': { type: 'boolean' } },
  async run(input) {
    need(input, 1, 'the connection name', usage);
    const { io } = input;
    await withSession(input, async (session) => {
      const conn = connectionByName(await session.workspace.store.read(), input.args[0] as string);
      if (!conn.authToken.enabled)
        throw new TokensmithError(
          'invalid_input',
          `Connection "${conn.name}" has no authentication server JWT configured.`,
        );
      const { result, source } = await getAuthToken(session, conn, {
        signal: input.signal,
        noCache: input.values['no-cache'] === true,
      });
      if (input.json) {
        io.out(JSON.stringify({ connection: conn.name, source, ...result }, null, 2));
        return;
      }
      io.out(result.token);
      io.err(
        `JWT from ${source === 'network' ? 'the authentication server' : 'the cache'}; send it in ${conn.authToken.header}.`,
      );
      for (const w of result.warnings) io.err(`warning: ${w}`);
    });
  },
};
