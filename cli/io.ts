/** What every CLI command shares: its streams and environment, usage errors, exit codes. */
import type { ErrorCode } from '../shared/result.js';
import {
  closeSession,
  createSession,
  defaultDataDir,
  listedWorkspaces,
  locateWorkspace,
  openWorkspaceAt,
  TokensmithError,
  type Session,
} from '../electron/core/index.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Opens a URL in the system browser; undefined to only print it. */
  openUrl?: (url: string) => void;
  /**
   * Asks the person at the terminal a yes/no question; undefined when no one can answer (stdin
   * is not a terminal), so that nothing that needs a yes goes ahead.
   */
  confirm?: (question: string) => Promise<boolean>;
}

/** A command line that cannot work as written: exit code 2 with the command's usage. */
export class UsageError extends Error {}

/** Exit codes per failure class. */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  network: 4,
  server: 5,
  keys: 6,
  authorization: 7,
  cancelled: 130,
} as const;

export const CODE_CLASS: Record<ErrorCode, keyof typeof EXIT_CODES> = {
  invalid_input: 'input',
  confirmation_required: 'input',
  claims_json: 'input',
  not_found: 'input',
  unsupported: 'input',
  cancelled: 'cancelled',
  dns: 'network',
  connection_refused: 'network',
  network: 'network',
  timeout: 'network',
  tls_untrusted: 'network',
  tls_hostname: 'network',
  tls_expired: 'network',
  tls: 'network',
  proxy: 'network',
  proxy_auth: 'network',
  port_in_use: 'network',
  http_status: 'server',
  oauth_error: 'server',
  invalid_response: 'server',
  missing_token: 'server',
  response_too_large: 'server',
  keystore_password: 'keys',
  keystore_corrupt: 'keys',
  keystore_no_key: 'keys',
  alias_not_found: 'keys',
  certificate_expired: 'keys',
  key_algorithm: 'keys',
  state_mismatch: 'authorization',
  authorization_denied: 'authorization',
  authorization_expired: 'authorization',
  internal: 'internal',
};

/** What a command gets: its positionals, its options, the streams and a cancel signal. */
export interface CommandInput {
  args: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  io: Io;
  signal: AbortSignal;
  json: boolean;
  dataDir: string | undefined;
}

/**
 * The workspace folder a command works on: `--workspace DIR`, else `$TOKENSMITH_WORKSPACE`, else
 * the folder holding the current directory (as git finds `.git`); `--no-workspace`, or none
 * found: the personal store.
 */
export async function workspaceFolderOf(input: CommandInput): Promise<string | undefined> {
  const { values, io } = input;
  if (values['no-workspace'] === true) return undefined;
  if (typeof values.workspace === 'string') return values.workspace;
  if (io.env.TOKENSMITH_WORKSPACE) return io.env.TOKENSMITH_WORKSPACE;
  const dataDir = input.dataDir ?? defaultDataDir(io.env);
  const located = await locateWorkspace(process.cwd(), await listedWorkspaces(dataDir));
  if (located.ignored)
    io.err(
      `tokensmith: ignored the workspace in ${located.ignored.folder}: ${located.ignored.reason}. Using your personal store. To use that folder: --workspace ${shellQuote(located.ignored.folder)}, or list it with \`tokensmith workspace trust --workspace ${shellQuote(located.ignored.folder)}\`.`,
    );
  return located.folder;
}

const shellQuote = (s: string) => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Runs `fn` with a session over the data folder; its HTTP connections are closed after. */
export async function withSession<T>(
  input: CommandInput,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const dataDir = input.dataDir ?? defaultDataDir(input.io.env);
  const folder = await workspaceFolderOf(input);
  const workspace = await openWorkspaceAt({
    dataDir,
    env: input.io.env,
    ...(folder ? { folder } : {}),
  });
  for (const warning of workspace.warnings) input.io.err(`tokensmith: ${warning}`);
  if (workspace.folder) {
    await workspace.store.read();
    const { manifest, path } = workspace.folder;
    input.io.err(`tokensmith: workspace "${manifest.name}" (${path})`);
    for (const w of workspace.trust?.withheld() ?? [])
      input.io.err(
        `tokensmith: your ${w.paths.join(', ')} of ${w.kind} "${w.name}" ${w.paths.length === 1 ? 'is' : 'are'} not used: ${w.field} changed from ${w.from || '(empty)'} to ${w.to || '(empty)'} since you entered ${w.paths.length === 1 ? 'it' : 'them'} (${w.file}). Enter ${w.paths.length === 1 ? 'it' : 'them'} again to send ${w.paths.length === 1 ? 'it' : 'them'} there: tokensmith secret set.`,
      );
  }
  const session = createSession({
    workspace,
    env: input.io.env,
    ...(input.io.openUrl ? { openUrl: input.io.openUrl } : {}),
  });
  try {
    return await fn(session);
  } finally {
    await closeSession(session);
  }
}

/** `--passphrase-env VAR` (preferred) or `--passphrase P`. */
export function passphraseOf(input: CommandInput): string | undefined {
  const variable = input.values['passphrase-env'];
  if (typeof variable === 'string') {
    const value = input.io.env[variable];
    if (value === undefined)
      throw new TokensmithError(
        'invalid_input',
        `The environment variable ${variable} is not set.`,
      );
    return value;
  }
  return typeof input.values.passphrase === 'string' ? input.values.passphrase : undefined;
}

export function need(input: CommandInput, n: number, what: string, usage: string): void {
  if (input.args.length < n) throw new UsageError(`Missing ${what}.\n\n${usage}`);
}

export function formatSeconds(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** `--no-browser`: only print the sign-in URL; `--browser CMD`: open it with CMD. */
export function useBrowserOptions(session: Session, values: CommandInput['values']): void {
  if (values['no-browser'] === true) delete session.openUrl;
  else if (typeof values.browser === 'string') {
    const command = values.browser;
    session.openUrl = async (url) => {
      const { openWithCommand } = await import('./system-browser.js');
      await openWithCommand(command, url);
    };
  }
}
