import { connectionByName, saveConnection, TokensmithError } from '../../electron/core/index.js';
import { descriptorOfType } from '../../shared/connection.js';
import type { Command } from '../command.js';
import { fieldFlagFor, secretFlags, valueAt } from '../connection-flags.js';
import { need, withSession } from '../io.js';
import { readSecret } from '../secret-input.js';

const usage = () => `Usage: tokensmith secret set <connection> <field>

Sets a secret of a connection, typed at a prompt that does not echo (when stdin is a terminal)
or read from stdin (one trailing newline removed), never from an argument. Fields, by flag or
path: ${secretFlags()
  .map((f) => `${f.flag} (${f.path})`)
  .join(', ')}.
In a workspace folder the value stays in your own data folder, sealed, never in the folder's
files; a reference (\${env:NAME}, \${keychain:NAME}, \${file:/path}) typed here is written to
the connection's file instead, for everyone. An empty value removes yours.`;

export const secret: Command = {
  get usage() {
    return usage();
  },
  async run(input) {
    const [action, name, field] = input.args;
    if (action !== 'set') throw new TokensmithError('invalid_input', usage());
    need(input, 3, 'the connection and the field', usage());
    const named = (f: { flag: string; path: string; alias?: string }) =>
      f.flag === field || f.path === field || f.alias === field;
    if (!secretFlags().some(named))
      throw new TokensmithError(
        'invalid_input',
        `"${field}" is not a secret field; use one of ${secretFlags()
          .map((f) => f.flag)
          .join(', ')}.`,
      );
    const { saved, flag } = await withSession(input, async (session) => {
      const conn = connectionByName(await session.workspace.store.read(), name as string);
      // The field of this connection's type (`password` on a JWT connection is its own).
      const flag = fieldFlagFor(field as string, conn.type)!;
      if (
        flag.kind !== 'secret' ||
        !flag.types.has(conn.type) ||
        valueAt(conn, flag.path) === undefined
      )
        throw new TokensmithError(
          'invalid_input',
          `${descriptorOfType(conn.type).label} connections have no ${flag.label}.`,
        );
      const value = await readSecret(`${flag.label} of ${conn.name}: `);
      const next = structuredClone(conn) as Record<string, unknown>;
      const parts = flag.path.split('.');
      const last = parts.pop() as string;
      let node = next;
      for (const part of parts) node = node[part] as Record<string, unknown>;
      node[last] = value;
      return { saved: await saveConnection(session, () => next as typeof conn), flag };
    });
    if (input.json)
      input.io.out(JSON.stringify({ connection: saved.name, field: flag.flag, set: true }));
    else input.io.err(`Set the ${flag.label} of "${saved.name}".`);
  },
};
