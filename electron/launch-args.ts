/**
 * What a launch asks for, from its command line (Windows and Linux pass a file or a
 * `tokensmith://` link there, also to a running instance through `second-instance`) or from
 * macOS's `open-file` / `open-url` events: one decision for all of them.
 *
 * - a `.json` or `.xml` file the user opened with Tokensmith: imported, through the same review
 *   as File → Import… (the user chose that file);
 * - `tokensmith://open/<connection>`: that connection in the editor;
 * - `tokensmith://import`: the import dialog, where the user chooses the file (a link never
 *   names a file to read: a web page could point it at any file of the user's).
 */
import { isAbsolute, resolve } from 'node:path';

export const URL_SCHEME = 'tokensmith';

export type LaunchRequest =
  | { kind: 'import-file'; path: string }
  | { kind: 'open-connection'; name: string }
  | { kind: 'import' };

/** A `tokensmith://` link as a request, or undefined when it asks for nothing Tokensmith does. */
export function requestOfUrl(url: string): LaunchRequest | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${URL_SCHEME}:`) return undefined;
  // `tokensmith://open/name`: the host is the verb, the path the name.
  const verb = parsed.hostname;
  const rest = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  if (verb === 'import' && !rest) return { kind: 'import' };
  if (verb === 'open' && rest && !rest.includes('/') && rest.length <= 200)
    return { kind: 'open-connection', name: rest };
  return undefined;
}

/** A file the user opened with Tokensmith, as a request (only connection files and server.xml). */
export function requestOfFile(path: string, cwd: string): LaunchRequest | undefined {
  if (!/\.(json|xml)$/i.test(path)) return undefined;
  return { kind: 'import-file', path: isAbsolute(path) ? path : resolve(cwd, path) };
}

/**
 * The request of a command line: its last argument that is a `tokensmith://` link or a
 * connections file. Chromium's and Electron's own switches (`--…`) and the executable and app
 * path before them are skipped.
 */
export function requestOfArgv(argv: readonly string[], cwd: string): LaunchRequest | undefined {
  for (const arg of [...argv.slice(1)].reverse()) {
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().startsWith(`${URL_SCHEME}:`)) return requestOfUrl(arg);
    const file = requestOfFile(arg, cwd);
    if (file) return file;
  }
  return undefined;
}
