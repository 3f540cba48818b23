/**
 * `tokensmith`: the headless face of Tokensmith, on the same use cases and the same store as
 * the app. Exit codes tell failure classes apart (see EXIT_CODES); errors are one clear line on
 * stderr; `--json` gives machine-readable output. Each command lives in `./commands/` and is
 * loaded only when it runs, so `tokensmith token` starts without the rest.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toErrorData } from '../electron/core/index.js';
import type { Command } from './command.js';
import { CODE_CLASS, EXIT_CODES, UsageError, type Io } from './io.js';

export { EXIT_CODES } from './io.js';

/** name → [one-line summary, loader]. */
const COMMANDS: Record<string, [string, () => Promise<Command>]> = {
  token: [
    'Get an access token (cached while valid; refreshed before expiry)',
    async () => (await import('./commands/token.js')).token,
  ],
  list: ['List connections', async () => (await import('./commands/list.js')).list],
  assertion: [
    'Print a freshly signed JWT assertion of a connection',
    async () => (await import('./commands/assertion.js')).assertion,
  ],
  x5t: [
    'x5t and x5t#S256 of a .cer/.crt/.pem/.der certificate',
    async () => (await import('./commands/x5t.js')).x5t,
  ],
  jwt: [
    'Decode a JWT, or verify it with a JWKS URI, certificate, key or secret',
    async () => (await import('./commands/jwt.js')).jwt,
  ],
  call: [
    "Call an API with the connection's token (retries once on 401 invalid_token)",
    async () => (await import('./commands/call.js')).call,
  ],
  exec: [
    "Run a command with the connection's token in $TOKENSMITH_TOKEN (no shell)",
    async () => (await import('./commands/exec.js')).exec,
  ],
  credential: [
    'Credential helper for kubectl (ExecCredential) and git (for the --host you name)',
    async () => (await import('./commands/credential.js')).credential,
  ],
  authtoken: [
    "Get the JWT from the connection's authentication server",
    async () => (await import('./commands/authtoken.js')).authtoken,
  ],
  keys: [
    'Generated signing keys (jwkEnabled): JWKS, or a new signing key',
    async () => (await import('./commands/keys.js')).keys,
  ],
  jwks: [
    'Serve the builders’ keys at /jwt/ibm/api/{builderId}/jwk',
    async () => (await import('./commands/jwks.js')).jwks,
  ],
  introspect: [
    "Ask the server about the connection's current token (RFC 7662)",
    async () => (await import('./commands/token-management.js')).introspect,
  ],
  revoke: [
    "Revoke the connection's current token and clear it from the cache (RFC 7009)",
    async () => (await import('./commands/token-management.js')).revoke,
  ],
  cache: ['Show or clear cached tokens', async () => (await import('./commands/cache.js')).cache],
  export: [
    'Export connections (JSON, curl, env, z/OS server.xml, Postman, Insomnia, Bruno, HTTPie)',
    async () => (await import('./commands/transfer.js')).exportCommand,
  ],
  import: [
    'Import connections from a JSON export or a server.xml',
    async () => (await import('./commands/transfer.js')).importCommand,
  ],
  connection: [
    'Add, edit, show, remove or list connections (flags named after the app’s fields)',
    async () => (await import('./commands/connection.js')).connection,
  ],
  providers: [
    'Provider profiles (Entra ID, Google, Salesforce, Okta, Auth0, Keycloak, Cognito, IBM Verify)',
    async () => (await import('./commands/providers.js')).providers,
  ],
  keystore: [
    'Import (password checked first), list, show aliases of, or remove keystores',
    async () => (await import('./commands/keystore.js')).keystore,
  ],
  proxy: [
    'Add, list or remove proxy server aliases',
    async () => (await import('./commands/proxy.js')).proxy,
  ],
  secret: [
    "Set a connection's secret (prompted without echo, or read from stdin)",
    async () => (await import('./commands/secret.js')).secret,
  ],
  discover: [
    "An issuer's endpoints from its OpenID / RFC 8414 metadata, with warnings",
    async () => (await import('./commands/discover.js')).discover,
  ],
  workspace: [
    'Create a workspace folder (shared in git), or show the one in use and its problems',
    async () => (await import('./commands/workspace.js')).workspace,
  ],
  schema: [
    'JSON Schema of the file formats (workspace files, connections export)',
    async () => (await import('./commands/schema.js')).schema,
  ],
  settings: [
    'Show settings; set the environment variables imports may use',
    async () => (await import('./commands/settings.js')).settings,
  ],
};

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  workspace: { type: 'string' },
  'no-workspace': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const MAIN_HELP = `Usage: tokensmith [--workspace DIR] [--data-dir DIR] <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, [summary]]) => `  ${name.padEnd(12)}${summary}`)
  .join('\n')}
  help [command]  Help for a command

Global options:
  --workspace DIR A workspace folder (default: $TOKENSMITH_WORKSPACE, or the folder holding
                  the current directory with a tokensmith.workspace.yaml, as git finds .git)
  --no-workspace  The personal store, even inside a workspace folder
  --data-dir DIR  Data folder (default: $TOKENSMITH_HOME or the user config folder): the
                  personal store, and your own secrets of the workspaces you use
  --json          Machine-readable output
  -h, --help      Help
  -V, --version   The version

Exit codes: 0 ok, 2 usage, 3 bad input or unknown connection, 4 network/TLS/proxy,
5 the server refused or answered badly (introspect: the token is not active), 6 keystore/
certificate, 7 authorization denied or expired, or state mismatch, 130 cancelled, 1 unexpected.`;

async function helpFor(name: string | undefined): Promise<string> {
  const entry = name ? COMMANDS[name] : undefined;
  return entry ? (await entry[1]()).usage : MAIN_HELP;
}

/** Runs the CLI; returns the exit code. */
export async function run(
  argv: string[],
  io: Io,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  // The command decides which options are valid: find it first, then parse strictly.
  const loose = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: GLOBAL_OPTIONS,
  });
  const [name, ...rest] = loose.positionals;
  if (!name && (loose.values.version === true || loose.values.V === true)) {
    const { default: manifest } = await import('../package.json', { with: { type: 'json' } });
    io.out(`tokensmith ${manifest.version}`);
    return EXIT_CODES.ok;
  }
  if (!name || name === 'help') {
    const help = name === 'help' || loose.values.help === true;
    (help ? io.out : io.err)(await helpFor(rest[0]));
    return help ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.err(`tokensmith: Unknown command "${name}".\n\n${MAIN_HELP}`);
    return EXIT_CODES.usage;
  }
  const command = await entry[1]();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...GLOBAL_OPTIONS, ...command.options },
    });
  } catch (e) {
    io.err(`tokensmith: ${(e as Error).message}\n\n${command.usage}`);
    return EXIT_CODES.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(command.usage);
    return EXIT_CODES.ok;
  }
  const json = values.json === true;
  try {
    const code = await command.run({
      args: positionals.slice(1),
      values: values as Record<string, string | boolean | string[] | undefined>,
      io,
      signal,
      json,
      dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    });
    return code ?? EXIT_CODES.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tokensmith: ${e.message}`);
      return EXIT_CODES.usage;
    }
    const data = toErrorData(e);
    if (json)
      io.out(
        JSON.stringify(
          {
            error: data.code,
            message: data.message,
            ...(data.field ? { field: data.field } : {}),
            // What an import would use of the user's: scripts can show or confirm each.
            ...(data.code === 'confirmation_required' ? { bindings: data.detail?.bindings } : {}),
          },
          null,
          2,
        ),
      );
    io.err(`tokensmith: ${data.message}`);
    return EXIT_CODES[CODE_CLASS[data.code]];
  }
}
