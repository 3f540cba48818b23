import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { clearCache, connectionByName, TokensmithError } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { durationSeconds, freshToken } from '../fresh-token.js';
import { allowedOrigins, readGitRequest, requestedOrigin } from '../git-credential.js';
import { need, UsageError, withSession, type CommandInput } from '../io.js';

const usage = `Usage: tokensmith credential kubectl <connection> [--min-valid DURATION]
       tokensmith credential git <connection> --host HOST [--host HOST]… [--username NAME]
                                 [--min-valid DURATION] get|store|erase

Credential helpers: the connection's access token for kubectl and git, from the cache while it
has at least --min-valid left (default 1m; e.g. 90s, 5m), else refreshed or obtained anew.

kubectl: an exec credential plugin (kubeconfig users[].user.exec). Prints an ExecCredential
(client.authentication.k8s.io/v1, or v1beta1 when KUBERNETES_EXEC_INFO asks for it) with
status.token and status.expirationTimestamp.

git: a credential helper (git config credential.https://HOST.helper). get answers
username=NAME (default: the one git asks with, else oauth2), password=<token> and
password_expiry_utc, only when git asks for one of the --host origins (HOST, HOST:PORT, or
http://HOST to allow plain HTTP; https:// by default). git asks every helper for every host,
so other hosts get nothing. erase clears the cached token when git reports that it was
refused; store does nothing.`;

const EXEC_CREDENTIAL_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
] as const;

const execInfo = z.object({ apiVersion: z.string(), kind: z.literal('ExecCredential') });

/** The apiVersion the kubectl (client-go) that runs us asks for in KUBERNETES_EXEC_INFO. */
function execCredentialVersion(raw: string | undefined): string {
  if (raw === undefined || raw === '') return EXEC_CREDENTIAL_VERSIONS[0];
  let parsed: z.infer<typeof execInfo>;
  try {
    parsed = execInfo.parse(JSON.parse(raw));
  } catch {
    throw new TokensmithError(
      'invalid_input',
      'KUBERNETES_EXEC_INFO is not an ExecCredential (JSON with apiVersion and kind).',
    );
  }
  if (!(EXEC_CREDENTIAL_VERSIONS as readonly string[]).includes(parsed.apiVersion))
    throw new TokensmithError(
      'unsupported',
      `kubectl asks for ${parsed.apiVersion}; Tokensmith answers ${EXEC_CREDENTIAL_VERSIONS.join(' or ')}: set that apiVersion in the kubeconfig's exec section.`,
    );
  return parsed.apiVersion;
}

function minValid(input: CommandInput): number {
  const given = input.values['min-valid'];
  return typeof given === 'string' ? durationSeconds(given, '--min-valid') : 60;
}

async function kubectl(input: CommandInput, name: string): Promise<void> {
  const apiVersion = execCredentialVersion(input.io.env.KUBERNETES_EXEC_INFO);
  const result = await freshToken(input, name, { minValidSeconds: minValid(input) });
  const status: Record<string, string> = { token: result.token };
  // RFC 3339 in whole seconds (rounded down: never later than the token's own expiry).
  if (result.expiresAt)
    status.expirationTimestamp = new Date(result.expiresAt).toISOString().replace(/\.\d+Z$/, 'Z');
  input.io.out(JSON.stringify({ apiVersion, kind: 'ExecCredential', status }, null, 2));
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

async function git(input: CommandInput, name: string, action: string | undefined): Promise<void> {
  const hosts = (input.values.host as string[] | undefined) ?? [];
  if (hosts.length === 0)
    throw new UsageError(
      'credential git needs --host: git asks its helpers for every host, and the token goes only to the host(s) you name, e.g. --host git.example.com.',
    );
  const allowed = allowedOrigins(hosts);
  const username = typeof input.values.username === 'string' ? input.values.username : undefined;
  if (username !== undefined && /[\r\n\0]/.test(username))
    throw new UsageError('--username holds a line break or NUL.');
  // git-credential(1): a helper ignores an operation it does not know.
  if (action !== 'get' && action !== 'erase' && action !== 'store') return;
  const request = await readGitRequest();
  if (action === 'store') return;
  const asked = requestedOrigin(request, allowed);
  const askedUser = request.get('username');
  if (!asked.allowed) {
    if (action === 'get')
      input.io.err(
        `tokensmith: the token of "${name}" goes only to ${allowed.join(', ')} (--host), not to ${asked.origin ?? 'this request'}.`,
      );
    return;
  }
  if (username !== undefined && askedUser && askedUser !== username) return;
  if (action === 'erase') {
    const password = request.get('password');
    if (!password) return;
    const cleared = await withSession(input, async (session) => {
      const conn = connectionByName(await session.workspace.store.read(), name);
      const cached = session.workspace.cache
        .entries()
        .some((e) => e.connectionId === conn.id && same(e.result.token, password));
      return cached ? clearCache(session, conn.id) : 0;
    });
    if (cleared)
      input.io.err(
        `tokensmith: git reported the token of "${name}" refused; cleared it from the cache.`,
      );
    return;
  }
  const result = await freshToken(input, name, { minValidSeconds: minValid(input) });
  const lines = [`username=${username ?? askedUser ?? 'oauth2'}`, `password=${result.token}`];
  // git ≥ 2.41 drops the password after this time (earlier versions ignore the line).
  if (result.expiresAt)
    lines.push(`password_expiry_utc=${Math.floor(Date.parse(result.expiresAt) / 1000)}`);
  input.io.out(lines.join('\n'));
}

export const credential: Command = {
  usage,
  options: {
    host: { type: 'string', multiple: true },
    username: { type: 'string' },
    'min-valid': { type: 'string' },
  },
  async run(input) {
    need(input, 2, 'the client (kubectl or git) and the connection name', usage);
    const [client, name, action] = input.args as [string, string, string | undefined];
    if (client === 'kubectl') {
      if (input.values.host !== undefined || input.values.username !== undefined)
        throw new UsageError('--host and --username are for credential git.');
      return kubectl(input, name);
    }
    if (client === 'git') return git(input, name, action);
    throw new UsageError(`credential speaks for kubectl or git, not "${client}".\n\n${usage}`);
  },
};
