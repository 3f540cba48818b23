import { connectionByName, generateAssertion } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { need, withSession } from '../io.js';

const usage = `Usage: tokensmith assertion <connection> [--json]

Signs and prints a new assertion of the connection (JWT bearer grant, client assertion, or
private_key_jwt / client_secret_jwt). --json adds the decoded header, claims and the check.`;

export const assertion: Command = {
  usage,
  async run(input) {
    need(input, 1, 'the connection name', usage);
    const { io } = input;
    const { assertion: jwt, check } = await withSession(input, async (session) =>
      generateAssertion(
        session,
        connectionByName(await session.workspace.store.read(), input.args[0] as string),
        { signal: input.signal },
      ),
    );
    if (input.json) io.out(JSON.stringify({ assertion: jwt, ...check }, null, 2));
    else {
      io.out(jwt);
      for (const f of check.findings.filter((x) => x.level !== 'ok'))
        io.err(`${f.level}: ${f.message}`);
    }
  },
};
