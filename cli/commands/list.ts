import { CONNECTION_TYPE_LABELS } from '../../shared/connection.js';
import type { Command } from '../command.js';
import { withSession } from '../io.js';

export const list: Command = {
  usage: `Usage: tokensmith list [--json]

Lists connections: name, type, token endpoint.`,
  async run(input) {
    const { io } = input;
    const doc = await withSession(input, (s) => s.workspace.store.read());
    if (input.json) {
      io.out(
        JSON.stringify(
          doc.connections.map(({ id, name, type, tokenEndpoint }) => ({
            id,
            name,
            type,
            tokenEndpoint,
          })),
          null,
          2,
        ),
      );
      return;
    }
    if (doc.connections.length === 0) {
      io.err(
        'No connections yet. Import some with `tokensmith import FILE`, or run `npm run sandbox`.',
      );
      return;
    }
    const width = Math.max(...doc.connections.map((c) => c.name.length));
    for (const c of doc.connections)
      io.out(`${c.name.padEnd(width)}  ${CONNECTION_TYPE_LABELS[c.type]}  ${c.tokenEndpoint}`);
  },
};
