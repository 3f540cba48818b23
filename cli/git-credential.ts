/**
 * git's credential-helper protocol (git-credential(1), "HELPER PROTOCOL" and "INPUT/OUTPUT
 * FORMAT"): the request is `key=value` lines on stdin up to a blank line or the end; the answer
 * is `key=value` lines on stdout. git asks every configured helper for every host it talks to,
 * so the token goes only to the hosts the user named with --host.
 */
import { stdin } from 'node:process';
import { TokensmithError } from '../electron/core/index.js';
import { UsageError } from './io.js';

/** The request's attributes; a repeated key (`capability[]`, `wwwauth[]`) keeps its last value. */
export async function readGitRequest(): Promise<Map<string, string>> {
  let text = '';
  for await (const chunk of stdin) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > 64 * 1024)
      throw new TokensmithError('invalid_input', 'A git credential request is at most 64 KB.');
    if (/(^|\n)\r?\n/.test(text)) break;
  }
  const attributes = new Map<string, string>();
  for (const line of text.split('\n')) {
    const clean = line.replace(/\r$/, '');
    if (clean === '') break;
    const eq = clean.indexOf('=');
    if (eq > 0) attributes.set(clean.slice(0, eq), clean.slice(eq + 1));
  }
  return attributes;
}

/** `scheme://host[:port]` with the default port left out, lowercased; undefined if not http(s). */
function origin(protocol: string, host: string): string | undefined {
  // Nothing that a URL parser reads as a user, a path or a query: the host git named, only.
  if ((protocol !== 'https' && protocol !== 'http') || !/^[^\s/?#@\\]+$/.test(host))
    return undefined;
  try {
    return `${protocol}://${new URL(`${protocol}://${host}`).host}`;
  } catch {
    return undefined;
  }
}

/** `--host` values (`git.example.com`, `git.example.com:8443`, `https://…`) as origins. */
export function allowedOrigins(hosts: string[]): string[] {
  return hosts.map((given) => {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `https://${given}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new UsageError(`--host takes a host such as git.example.com, not "${given}".`);
    }
    const scheme = url.protocol.slice(0, -1);
    if (
      (scheme !== 'https' && scheme !== 'http') ||
      url.username ||
      url.password ||
      url.pathname !== '/' ||
      url.search ||
      url.hash
    )
      throw new UsageError(
        `--host takes a host, with a port and http:// or https:// if need be (no user, path or query), not "${given}".`,
      );
    return `${scheme}://${url.host}`;
  });
}

/** The request's origin when it is one of the allowed ones. */
export function requestedOrigin(
  request: Map<string, string>,
  allowed: string[],
): { origin: string | undefined; allowed: boolean } {
  const asked = origin(request.get('protocol') ?? '', request.get('host') ?? '');
  return { origin: asked, allowed: asked !== undefined && allowed.includes(asked) };
}
