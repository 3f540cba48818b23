/**
 * Opens a URL in the user's browser (best effort; the CLI prints the URL as well). The URL comes
 * from a server's metadata or a connection file, so it is data: only http(s) URLs are opened, no
 * shell ever parses them, and each program receives the URL as one argument of its own.
 *
 * - Linux and others: `xdg-open <url>`; macOS: `open <url>` — the URL is a single argv entry.
 * - Windows: `cmd /c start` would let cmd parse `&`, `|`, `^`, `<`, `>` in the URL, so, as the
 *   `open` package does, PowerShell's `Start-Process` is given the URL inside a single-quoted
 *   string literal, passed base64-encoded with `-EncodedCommand` (no command-line parsing of the
 *   URL at all), and powershell.exe is named by its full path (no search of the current folder).
 */
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';

export interface BrowserLaunch {
  command: string;
  args: string[];
  options: { shell: false; windowsHide: true; detached: boolean; stdio: 'ignore' };
}

/** Why a URL is not opened: not a URL, or not http(s). */
export class UnsafeUrlError extends Error {
  override name = 'UnsafeUrlError';
}

/**
 * The URL as the browser will get it: parsed and serialised by the WHATWG URL parser, so that
 * spaces, quotes, `<`, `>`, control and non-ASCII characters are percent-encoded. Throws
 * {@link UnsafeUrlError} for anything that is not an http(s) URL.
 */
export function browserUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError('Not a URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UnsafeUrlError(`Only http and https URLs are opened, not ${parsed.protocol}`);
  }
  // The serialisation is printable ASCII without spaces; anything else would be a parser bug.
  if (!/^[\x21-\x7e]+$/.test(parsed.href)) throw new UnsafeUrlError('Unexpected characters.');
  return parsed.href;
}

/**
 * A PowerShell single-quoted string literal: inside one nothing is expanded, and a quote is
 * written twice. PowerShell also takes the typographic single quotes as quotes, so they are
 * doubled too (they cannot survive {@link browserUrl}, but the rule belongs to the literal).
 */
export function powerShellLiteral(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** The program and arguments that open `url` on `platform`; a pure function of its inputs. */
export function browserLaunch(
  platform: NodeJS.Platform,
  url: string,
  env: { SYSTEMROOT?: string; windir?: string } = {},
): BrowserLaunch {
  const href = browserUrl(url);
  if (platform === 'win32') {
    const root = env.SYSTEMROOT || env.windir || 'C:\\Windows';
    const script = `$ProgressPreference = 'SilentlyContinue'; Start-Process -FilePath ${powerShellLiteral(href)}`;
    return {
      command: `${root}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`,
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-WindowStyle',
        'Hidden',
        '-EncodedCommand',
        Buffer.from(script, 'utf16le').toString('base64'),
      ],
      options: { shell: false, windowsHide: true, detached: false, stdio: 'ignore' },
    };
  }
  // xdg-open waits for the browser unless it is detached from us.
  const options = { shell: false, windowsHide: true, detached: true, stdio: 'ignore' } as const;
  if (platform === 'darwin') return { command: 'open', args: [href], options };
  return { command: 'xdg-open', args: [href], options };
}

/**
 * Starts the browser on `url`. Resolves true once the program started, false when the URL was
 * refused or the program could not be started (then the user opens the printed URL); never
 * rejects.
 */
export function openInSystemBrowser(
  url: string,
  system: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {},
): Promise<boolean> {
  const env = system.env ?? process.env;
  let launch: BrowserLaunch;
  try {
    launch = browserLaunch(system.platform ?? process.platform, url, env);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const child = spawn(launch.command, launch.args, { ...launch.options, env });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/**
 * `--browser CMD`: the user's own program for the sign-in (a headless browser in CI, a script).
 * CMD is split on spaces (no shell: nothing in it or in the URL is interpreted) and gets the URL
 * as its last argument.
 */
export function commandLaunch(command: string, url: string): BrowserLaunch {
  const [program, ...args] = command.trim().split(/\s+/);
  if (!program) throw new UnsafeUrlError('No browser command.');
  return {
    command: program,
    args: [...args, browserUrl(url)],
    options: { shell: false, windowsHide: true, detached: true, stdio: 'ignore' },
  };
}

/** Starts `--browser CMD` on `url`; resolves false when it could not be started. */
export function openWithCommand(command: string, url: string): Promise<boolean> {
  let launch: BrowserLaunch;
  try {
    launch = commandLaunch(command, url);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const child = spawn(launch.command, launch.args, launch.options);
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
