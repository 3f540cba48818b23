import { resolve } from 'node:path';
import {
  closeSession,
  createSession,
  defaultDataDir,
  openWorkspaceFolder,
  openWorkspaceAt,
  TokensmithError,
  workspaceInfo,
} from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { UsageError, withSession } from '../io.js';

const usage = `Usage: tokensmith workspace init [DIR] [--name NAME] [--copy-connections]
       tokensmith workspace status [--json]

init makes DIR (default: the current folder) a workspace: tokensmith.workspace.yaml, then one
file per connection in connections/, keystores/ and proxies/ as you add them. Commit it; each
teammate runs Tokensmith in a clone and sets their own secrets (\`tokensmith secret set\`).
--copy-connections copies every connection, keystore and proxy alias of your personal store
into it (secret values stay in your own store).
status shows the workspace in use (found from the current folder like git finds .git, or
--workspace DIR) and every problem in its files, with file, line and JSON pointer; it exits 3
when there are problems.`;

export const workspace: Command = {
  usage,
  options: { name: { type: 'string' }, 'copy-connections': { type: 'boolean' } },
  async run(input) {
    const [action, dir] = input.args;
    const { io, json, values } = input;
    if (action === 'init') {
      const folder = resolve(dir ?? '.');
      const dataDir = input.dataDir ?? defaultDataDir(io.env);
      const personal = await openWorkspaceAt({ dataDir, env: io.env });
      const session = createSession({ workspace: personal, env: io.env });
      try {
        const copy = values['copy-connections'] === true ? await personal.store.read() : undefined;
        const info = await openWorkspaceFolder(session, folder, {
          name: typeof values.name === 'string' ? values.name : '',
        });
        if (copy)
          await session.workspace.store.update((doc) => {
            doc.connections = copy.connections;
            doc.keystores = copy.keystores;
            doc.proxies = copy.proxies;
          });
        if (json) io.out(JSON.stringify(info, null, 2));
        else
          io.err(
            `Created the workspace "${info.name}" in ${info.folder}${copy ? ` with ${copy.connections.length} connection(s)` : ''}. Commit it and share it; secrets stay with each user.`,
          );
      } finally {
        await closeSession(session);
      }
      return;
    }
    if (action !== 'status') throw new UsageError(usage);
    const info = await withSession(input, async (session) => {
      await session.workspace.store.read();
      return workspaceInfo(session.workspace);
    });
    if (json) io.out(JSON.stringify(info, null, 2));
    else {
      io.out(
        info.kind === 'folder'
          ? `Workspace "${info.name}" (${info.id}) in ${info.folder}`
          : `The personal store in ${info.folder} (no workspace folder here)`,
      );
      for (const p of info.problems)
        io.err(
          `${p.file}${p.line ? `:${p.line}` : ''}${p.pointer ? ` ${p.pointer}` : ''}: ${p.message}`,
        );
    }
    if (info.problems.length)
      throw new TokensmithError(
        'invalid_input',
        `${info.problems.length} problem(s) in the workspace files; those records are left out until fixed.`,
      );
  },
};
