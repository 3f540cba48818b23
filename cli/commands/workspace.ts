import { resolve } from 'node:path';
import {
  closeSession,
  createSession,
  defaultDataDir,
  listWorkspace,
  openWorkspaceFolder,
  openWorkspaceAt,
  TokensmithError,
  workspaceInfo,
  type WorkspaceBinding,
} from '../../electron/core/index.js';
import { describeBinding } from '../../shared/transfer.js';
import type { Command } from '../command.js';
import { UsageError, withSession, type CommandInput } from '../io.js';

const usage = `Usage: tokensmith workspace init [DIR] [--name NAME] [--copy-connections]
       tokensmith workspace status [--json]
       tokensmith workspace trust [--list | --revoke | --yes] [--json]

init makes DIR (default: the current folder) a workspace: tokensmith.workspace.yaml, then one
file per connection in connections/, keystores/ and proxies/ as you add them. Commit it; each
teammate runs Tokensmith in a clone and sets their own secrets (\`tokensmith secret set\`).
--copy-connections copies every connection, keystore and proxy alias of your personal store
into it (secret values stay in your own store).
status shows the workspace in use (found from the current folder like git finds .git, or
--workspace DIR) and every problem in its files, with file, line and JSON pointer; it exits 3
when there are problems.
trust reviews what the workspace's files would use of yours outside the folder (a \${env:},
\${keychain:} or \${file:} secret, a keystore file outside it, a connection's token chained into
another's request): each is asked at a terminal and remembered for this folder; a change to
one (a pull that sends it elsewhere) asks again. Nothing is used before it is confirmed.
--list shows them with their answers, --revoke forgets the answers, and --yes confirms every
binding the files make now without asking (for CI, where \${env:} secrets are the point: run it
after checking out the commit you reviewed). With --workspace DIR, trust also lists DIR to be
used although another user owns it or others can write to it.`;

export const workspace: Command = {
  usage,
  options: {
    name: { type: 'string' },
    'copy-connections': { type: 'boolean' },
    list: { type: 'boolean' },
    revoke: { type: 'boolean' },
    yes: { type: 'boolean' },
  },
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
    if (action === 'trust') return trust(input);
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

const mark = (b: WorkspaceBinding) => (b.trusted ? 'trusted  ' : 'untrusted');

async function trust(input: CommandInput): Promise<void> {
  const { io, json, values } = input;
  if (typeof values.workspace === 'string')
    await listWorkspace(input.dataDir ?? defaultDataDir(io.env), values.workspace);
  await withSession(input, async (session) => {
    const trust = session.workspace.trust;
    if (!trust)
      throw new TokensmithError(
        'not_found',
        'No workspace folder here: trust applies to a workspace folder (run it inside one, or with --workspace DIR).',
      );
    let bindings = trust.bindings();
    if (values.revoke === true) bindings = await trust.revoke();
    else if (values.yes === true) bindings = await trust.confirm('all');
    else if (values.list !== true) {
      const pending = bindings.filter((b) => !b.trusted);
      if (pending.length && !io.confirm)
        throw new TokensmithError(
          'confirmation_required',
          `${pending.length} binding(s) to review:\n${pending.map((b) => `  - ${describeBinding(b)}`).join('\n')}\nRun this at a terminal to answer each, or with --yes to confirm them all.`,
          { detail: { bindings: pending, unconfirmed: pending.map((b) => b.digest) } },
        );
      const confirmed: string[] = [];
      for (const b of pending)
        if (await io.confirm!(`  ${describeBinding(b)}\n  Allow?`)) confirmed.push(b.digest);
      if (confirmed.length) bindings = await trust.confirm(confirmed);
    }
    if (json) io.out(JSON.stringify(bindings, null, 2));
    else if (!bindings.length)
      io.out('This workspace uses nothing of yours outside its folder: nothing to confirm.');
    else for (const b of bindings) io.out(`${mark(b)} ${describeBinding(b)}`);
  });
}
