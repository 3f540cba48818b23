import {
  connectionByName,
  dropSecretsIfMoved,
  deleteConnection,
  discoverEndpoints,
  invalidInput,
  maskSecrets,
  saveConnection,
  TokensmithError,
  type Session,
} from '../../electron/core/index.js';
import {
  CONNECTION_TYPES,
  CONNECTION_TYPE_LABELS,
  connectionSchema,
  newConnection,
  type Connection,
  type ConnectionType,
} from '../../shared/connection.js';
import { uniqueStem } from '../../shared/workspace-model.js';
import type { Command } from '../command.js';
import {
  applyFieldFlags,
  fieldFlagHelp,
  fieldFlagOptions,
  fieldFlags,
  flagName,
  valueAt,
} from '../connection-flags.js';
import { need, UsageError, withSession, type CommandInput } from '../io.js';
import { list } from './list.js';
import { PROVIDER_OPTIONS, addFromProvider } from './connection-provider.js';

const usage =
  () => `Usage: tokensmith connection add <name> --type TYPE [field flags] [--from-discovery ISSUER]
       tokensmith connection add <name> --provider ID [--tenant T] [--domain D] [--realm R]
                 [--region R] [--key-file FILE [--key-file-password-env VAR]] [field flags]
       tokensmith connection edit <name> [--name NEW] [field flags] [--from-discovery ISSUER]
       tokensmith connection show <name> [--json]
       tokensmith connection rm <name>
       tokensmith connection list [--json]

--provider builds the connection from a provider profile (tokensmith providers); --key-file
imports the provider's key file (Google service-account JSON, certificate PFX/PEM with its key)
as the keystore it signs with (named --keystore-name, default the connection's name).
Types: ${CONNECTION_TYPES.map((t) => `${t} (${CONNECTION_TYPE_LABELS[t]})`).join(', ')}.
--from-discovery ISSUER sets the Issuer and fills the endpoints from its OpenID / RFC 8414
metadata, with the same warnings as the app's Discover. A secret flag takes only a reference
(\${env:NAME}, \${keychain:NAME}, \${file:/path}); set a value with \`tokensmith secret set\`.
In a workspace folder the connection is its file connections/<id>.yaml.

Field flags (named after the app's fields; [types] where only some types have the field):
  --description TEXT
${fieldFlagHelp()}`;

async function discoverInto(
  session: Session,
  record: Record<string, unknown>,
  issuer: string,
  input: CommandInput,
): Promise<void> {
  record.issuer = issuer;
  const parsed = connectionSchema.safeParse(record);
  if (!parsed.success) throw invalidInput(parsed.error);
  const found = await discoverEndpoints(session, parsed.data);
  if (found.tokenEndpoint) record.tokenEndpoint = found.tokenEndpoint;
  if (found.authorizationEndpoint && record.type === 'authorization_code')
    record.authorizationEndpoint = found.authorizationEndpoint;
  for (const w of found.warnings) input.io.err(`warning: ${w}`);
}

const shellQuote = (v: string) =>
  /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;

async function addOrEdit(input: CommandInput, adding: boolean): Promise<void> {
  need(input, 2, 'the connection name', usage());
  const { values, io } = input;
  const name = input.args[1] as string;
  if (adding && values.provider !== undefined) return addFromProvider(input, name);
  const stray = Object.keys(PROVIDER_OPTIONS).find(
    (k) => k !== 'provider' && values[k] !== undefined,
  );
  if (values.provider !== undefined || stray)
    throw new UsageError(
      values.provider !== undefined
        ? 'A connection’s provider is chosen when it is added: connection add NAME --provider ID.'
        : `--${stray} goes with connection add NAME --provider ID.`,
    );
  const saved = await withSession(input, async (session) => {
    const doc = await session.workspace.store.read();
    let record: Record<string, unknown>;
    if (adding) {
      const type = values.type;
      if (typeof type !== 'string' || !(CONNECTION_TYPES as readonly string[]).includes(type))
        throw new UsageError(`--type is one of ${CONNECTION_TYPES.join(', ')}.`);
      if (doc.connections.some((c) => c.name === name))
        throw new TokensmithError('invalid_input', `A connection named "${name}" already exists.`);
      const id = uniqueStem(name, new Set(doc.connections.map((c) => c.id)));
      record = newConnection(type as ConnectionType, { id, name }) as Record<string, unknown>;
    } else {
      if (values.type !== undefined)
        throw new UsageError('The type of a connection is not changed: add a new one.');
      record = structuredClone(connectionByName(doc, name)) as Record<string, unknown>;
      if (typeof values.name === 'string') record.name = values.name;
    }
    if (typeof values.description === 'string') record.description = values.description;
    const applied = applyFieldFlags(record, record.type as ConnectionType, values);
    if (!adding && !applied && values.name === undefined && values.description === undefined)
      if (typeof values['from-discovery'] !== 'string')
        throw new UsageError('Nothing to change: give the field flags to set.');
    if (typeof values['from-discovery'] === 'string')
      await discoverInto(session, record, values['from-discovery'], input);
    if (!adding) {
      // The user's secrets stay with the destination they were entered for (one rule with the
      // app, imports and workspace pulls): an edit that points elsewhere asks for them again.
      const moved = dropSecretsIfMoved('connection', connectionByName(doc, name), record);
      if (moved)
        io.err(
          `note: ${moved.field} changed from ${moved.from || '(empty)'} to ${moved.to || '(empty)'}: your ${moved.paths.join(', ')} entered for the old one ${moved.paths.length === 1 ? 'is' : 'are'} not sent there. Set ${moved.paths.length === 1 ? 'it' : 'them'} again: tokensmith secret set ${shellQuote(String(record.name))} ${moved.paths[0]}.`,
        );
    }
    const parsed = connectionSchema.safeParse(record);
    if (!parsed.success) throw invalidInput(parsed.error);
    return saveConnection(session, () => parsed.data);
  });
  if (input.json) io.out(JSON.stringify(maskSecrets('connection', saved), null, 2));
  else
    io.err(
      `${adding ? 'Added' : 'Saved'} "${saved.name}" (${CONNECTION_TYPE_LABELS[saved.type]}).`,
    );
}

/** The flags that would make this connection, for those that differ from a new one's. */
function asFlags(conn: Connection): string[] {
  // A new connection of the type; endpoints and issuer are shown whenever set.
  const fresh = connectionSchema.parse({
    ...newConnection(conn.type, { id: conn.id, name: conn.name }),
    issuer: 'https://issuer.invalid',
  });
  const shown = maskSecrets('connection', conn);
  const lines = [`--type ${conn.type}`];
  if (conn.description) lines.push(`--description ${shellQuote(conn.description)}`);
  for (const f of fieldFlags().values()) {
    if (!f.types.has(conn.type)) continue;
    const value = valueAt(shown, f.path);
    if (JSON.stringify(value) === JSON.stringify(valueAt(fresh, f.path))) continue;
    if (value === '' || value === null || value === undefined) continue;
    const flag = flagName(f, conn.type);
    if (f.kind === 'switch') lines.push(value ? `--${flag}` : `--no-${flag}`);
    else if (Array.isArray(value))
      for (const item of value as unknown[])
        lines.push(
          `--${flag} ${shellQuote(typeof item === 'string' ? item : `${(item as { name: string }).name}=${(item as { value: string }).value}`)}`,
        );
    else lines.push(`--${flag} ${shellQuote(String(value))}`);
  }
  return lines;
}

export const connection: Command = {
  get usage() {
    return usage();
  },
  get options() {
    return {
      type: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      'from-discovery': { type: 'string' },
      ...PROVIDER_OPTIONS,
      ...fieldFlagOptions(),
    } as const;
  },
  async run(input) {
    const [action, name] = input.args;
    const { io } = input;
    switch (action) {
      case 'add':
      case 'edit':
        return addOrEdit(input, action === 'add');
      case 'list':
        return list.run({ ...input, args: [] });
      case 'show': {
        need(input, 2, 'the connection name', usage());
        const conn = await withSession(input, async (s) =>
          connectionByName(await s.workspace.store.read(), name as string),
        );
        if (input.json) io.out(JSON.stringify(maskSecrets('connection', conn), null, 2));
        else io.out(`${conn.name}\n  ${asFlags(conn).join('\n  ')}`);
        return;
      }
      case 'rm': {
        need(input, 2, 'the connection name', usage());
        const removed = await withSession(input, async (s) =>
          deleteConnection(s, connectionByName(await s.workspace.store.read(), name as string).id),
        );
        if (input.json) io.out(JSON.stringify({ removed }));
        else io.err(`Removed "${name}".`);
        return;
      }
      default:
        throw new UsageError(usage());
    }
  },
};
