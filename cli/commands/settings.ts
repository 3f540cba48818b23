import { getSettings, setEnvAllowPrefixes } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { UsageError, withSession } from '../io.js';

const usage = `Usage: tokensmith settings [show] [--json]
       tokensmith settings set env-allow-prefixes PREFIX[,PREFIX...]

show: the settings of the data folder.
env-allow-prefixes: environment variables an imported file may refer to (\${env:NAME}) without
asking you first: those whose name starts with one of these prefixes, e.g. MYAPP_,CI_.
Any other reference in an imported file needs your confirmation. "" empties the list.`;

export const settings: Command = {
  usage,
  async run(input) {
    const [action = 'show', key, value] = input.args;
    const { io, json } = input;
    await withSession(input, async (session) => {
      if (action === 'show') {
        const current = await getSettings(session);
        if (json) io.out(JSON.stringify(current, null, 2));
        else
          for (const [k, v] of Object.entries(current))
            io.out(`${k}: ${Array.isArray(v) ? v.join(',') : String(v)}`);
        return;
      }
      if (action !== 'set' || key !== 'env-allow-prefixes' || value === undefined)
        throw new UsageError(usage);
      const prefixes = value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const saved = await setEnvAllowPrefixes(session, prefixes);
      io.err(
        saved.length
          ? `Imported files may refer to variables starting with ${saved.join(', ')} without asking.`
          : 'Every environment variable an imported file refers to needs your confirmation.',
      );
    });
  },
};
