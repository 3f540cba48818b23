/**
 * What an import reports back to the UI and the CLI: the problems of a file that is refused, and
 * the bindings a file asks for. A connections file or server.xml comes from someone else and is
 * hostile until the user says otherwise (issue 12, items 2, 3 and 5): before it may use anything
 * of the user's — a keystore, truststore, generated signing key or proxy alias already in
 * Tokensmith, an environment variable, a file on disk — the user confirms each binding.
 * Pure TypeScript.
 */

/** A problem of an imported file, at its JSON pointer (RFC 6901). */
export interface ImportProblem {
  pointer: string;
  message: string;
}

export const BINDING_KINDS = [
  'keystore',
  'truststore',
  'builder',
  'proxy',
  'env',
  'keychain',
  'path',
  'connection',
] as const;

/**
 * - `keystore` / `truststore`: a keystore or truststore of the user's, by name (JWT Keystore
 *   Name, SSL Keystore Alias, SSL Truststore Alias), or one the file replaces;
 * - `builder`: a JWT builder ID whose generated signing key is in the user's store;
 * - `proxy`: a proxy alias of the user's (with its credentials), or one the file replaces;
 * - `env`: a `${env:NAME}` secret, sent wherever the file says;
 * - `keychain`: a `${keychain:NAME}` secret, an entry of the user's OS keychain, likewise;
 * - `path`: a keystore or certificate file the file's keystore would read, or a `${file:PATH}`
 *   secret;
 * - `connection`: a connection of the user's whose token a token exchange would send.
 */
export type BindingKind = (typeof BINDING_KINDS)[number];

/** One thing of the user's an imported file would use; the import goes ahead once confirmed. */
export interface ImportBinding {
  /** `kind:name`; a request confirms the binding by this ID. */
  id: string;
  kind: BindingKind;
  /** The keystore, truststore or proxy alias name, builder ID, variable name or file path. */
  name: string;
  /** The connections that would use it (the file's, or the user's for a replaced resource). */
  usedBy: string[];
  /** What it would do, in words for the review step: where keys sign, where values go. */
  detail: string;
}

/** The `detail` of a `confirmation_required` error. */
export interface ConfirmationDetail {
  bindings: ImportBinding[];
  /** IDs of the bindings the request did not confirm. */
  unconfirmed: string[];
}

/** Whether `${env:NAME}` is on the user's allow-list (settings `envAllowPrefixes`). */
export function envAllowed(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => p !== '' && name.startsWith(p));
}

/**
 * A name in a review text, quoted so that it cannot close the quote and pose as text of
 * Tokensmith's (`a" signs nothing. "b` stays one visibly quoted name).
 */
export const quoted = (name: string): string => JSON.stringify(name);

/**
 * A URL in a review text as the URL parser sees it: where it goes (origin and path), and a
 * warning when it carries user info before the host (`https://login.example.com:443@evil/`
 * goes to `evil`).
 */
export function reviewUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return quoted(url);
  }
  const where = `${parsed.origin}${parsed.pathname}`;
  if (!parsed.username && !parsed.password) return where;
  const info = decodeURIComponent(parsed.username + (parsed.password ? `:${parsed.password}` : ''));
  return `${where} (host ${parsed.host}: the ${quoted(info)} before "@" is user info, not the host)`;
}

/** The binding as one line: `keystore "signing": …`. */
export function describeBinding(b: ImportBinding): string {
  const what =
    b.kind === 'env'
      ? `environment variable ${b.name}`
      : b.kind === 'keychain'
        ? `keychain entry ${quoted(b.name)}`
        : b.kind === 'connection'
          ? `your connection ${quoted(b.name)}`
          : b.kind === 'path'
            ? `file ${b.name}`
            : b.kind === 'builder'
              ? `JWT builder ${quoted(b.name)}`
              : b.kind === 'proxy'
                ? `proxy alias ${quoted(b.name)}`
                : `${b.kind} ${quoted(b.name)}`;
  return `${what}: ${b.detail}`;
}

/** Secret fields of connections, keystores and proxies, as the import names them. */
export const SECRET_LABELS: Record<string, string> = {
  'client.secret': 'client secret',
  password: 'password',
  clientAssertion: 'client assertion',
  'authToken.password': 'authentication-server password',
  'subjectToken.value': 'subject token',
  'actorToken.value': 'actor token',
  'jwtIssuer.password': 'JWT issuer password',
  pastedJwt: 'pasted JWT',
};

/**
 * The secrets an import left to enter (its `missingSecrets` pointers), by record: "api: client
 * secret, password". `names` are the imported records' names in the file's order.
 */
export function secretsToFill(
  pointers: readonly string[],
  names: { connections: string[]; keystores: string[]; proxies: string[] },
): string[] {
  const byRecord = new Map<string, string[]>();
  const WHAT = { connections: 'connection', keystores: 'keystore', proxies: 'proxy alias' };
  for (const pointer of pointers) {
    const [, collection, index, ...rest] = pointer.split('/');
    if (collection !== 'connections' && collection !== 'keystores' && collection !== 'proxies')
      continue;
    const name = names[collection][Number(index)];
    if (name === undefined) continue;
    const path = rest.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
    const label =
      SECRET_LABELS[path] ??
      (path.startsWith('keyPasswords.') ? `key password of ${path.slice(13)}` : path);
    const key = `${WHAT[collection]} "${name}"`;
    byRecord.set(key, [...(byRecord.get(key) ?? []), label]);
  }
  return [...byRecord].map(([record, fields]) => `${record}: ${fields.join(', ')}`);
}
