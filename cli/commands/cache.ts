import {
  cachedTokens,
  clearCache,
  connectionByName,
  pruneCache,
} from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { formatSeconds, UsageError, withSession } from '../io.js';

const usage = `Usage: tokensmith cache list [--json]
       tokensmith cache clear [connection]

Lists cached tokens (connection, scope, time left) or clears them: one connection's or all.`;

export const cache: Command = {
  usage,
  async run(input) {
    const [action, target] = input.args;
    const { io, json } = input;
    await withSession(input, async (session) => {
      if (action === 'clear') {
        const id = target
          ? connectionByName(await session.workspace.store.read(), target).id
          : undefined;
        const removed = await clearCache(session, id);
        io.err(
          `Cleared ${removed} cached token${removed === 1 ? '' : 's'}${target ? ` of "${target}"` : ''}.`,
        );
        return;
      }
      if (action !== 'list')
        throw new UsageError(
          'Use `tokensmith cache list` or `tokensmith cache clear [connection]`.',
        );
      const pruned = await pruneCache(session);
      if (pruned && !json) io.err(`Pruned ${pruned} expired token(s) that could not be refreshed.`);
      const rows = cachedTokens(session).map((e) => ({
        connection: e.connectionName,
        scope: e.scope,
        expiresAt: e.expiresAt,
        secondsLeft: Math.round((Date.parse(e.expiresAt) - Date.now()) / 1000),
        refreshable: e.refreshable,
      }));
      if (json) io.out(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) io.err('The token cache is empty.');
      else
        for (const r of rows)
          io.out(
            `${r.connection}  ${r.scope || '(no scope)'}  ${r.secondsLeft > 0 ? `${formatSeconds(r.secondsLeft)} left` : 'expired'}${r.refreshable ? ', refreshable' : ''}`,
          );
    });
  },
};
