/**
 * Workspace trust: a workspace folder is someone else's file (a teammate's commit, a fork, a
 * planted folder), so what it would use of the user's outside the folder is a binding the user
 * confirms before its first use, as an import's are — a `${env:}`, `${keychain:}` or `${file:}`
 * secret, a keystore or certificate file outside the folder, a connection's token chained into
 * another's request. The answer is kept per workspace and per binding content (a digest of what
 * is used, by which record, and where it goes): a pull that changes where a binding sends
 * something asks again; one that changes comments or unrelated fields asks nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { chainedConnections, type Connection } from '../../../shared/connection.js';
import type { StoreDocument } from '../../../shared/store-model.js';
import type { WorkspaceBindingView } from '../../../shared/views.js';
import {
  SECRET_LABELS,
  describeBinding,
  envAllowed,
  quoted,
  reviewUrl,
  type BindingKind,
} from '../../../shared/transfer.js';
import { TokensmithError } from '../errors.js';
import { referenceLabel, secretReferences } from '../transfer/import-bindings.js';
import { destinationOf } from '../transfer/kept-secrets.js';

/** A binding of a workspace: what it uses, which record uses it, and whether it is confirmed. */
export type WorkspaceBinding = WorkspaceBindingView;

const inside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

const destination = (c: Connection) =>
  c.tokenEndpoint
    ? reviewUrl(c.tokenEndpoint)
    : c.issuer
      ? `the token endpoint discovered from ${reviewUrl(c.issuer)}`
      : 'its server';

/** The records a connection's request uses: itself, its keystores and its proxy. */
export function recordsOf(c: Connection): string[] {
  return [
    `connection:${c.name}`,
    ...[
      c.jwt.signing.keystore,
      c.ssl.keystoreAlias,
      c.ssl.truststoreAlias,
      c.dpop.keySource === 'keystore' ? c.dpop.keystore : '',
    ]
      .filter(Boolean)
      .map((k) => `keystore:${k}`),
    ...(c.proxyAlias ? [`proxy:${c.proxyAlias}`] : []),
  ];
}

/**
 * Where a connection's requests and secrets go, with what its names stand for in the folder:
 * every declared endpoint, the proxy server its alias names, the truststore file it trusts.
 */
export function connectionDestination(
  doc: StoreDocument,
  c: Connection,
  folder: string,
): Record<string, string> {
  const out = destinationOf('connection', c);
  const proxy = doc.proxies.find((p) => p.name === c.proxyAlias);
  if (proxy) out['proxy server'] = `${proxy.protocol}://${proxy.host}:${proxy.port}`;
  // The trusted CAs by content: a pull that swaps the PEM a path names is a change too.
  const trust = doc.keystores.find((k) => k.name === c.ssl.truststoreAlias);
  if (trust)
    out['truststore file'] = [trust.path, trust.certificatePath]
      .filter(Boolean)
      .map((p) => (inside(folder, p) ? `${p} (sha256 ${fileDigest(p)})` : p))
      .join(', ');
  return out;
}

const digests = new Map<string, { mtimeMs: number; size: number; digest: string }>();
/**
 * A file of the folder's (never one outside it: those are bindings, read only once confirmed):
 * its SHA-256, cached while its size and modification time stay.
 */
function fileDigest(path: string): string {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return 'not a file';
    const { mtimeMs, size } = stat;
    const known = digests.get(path);
    if (known && known.mtimeMs === mtimeMs && known.size === size) return known.digest;
    // A truststore is small; a huge or special file is not read here (its load says why).
    const digest =
      size <= 10 * 1024 * 1024
        ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16)
        : `size ${size}`;
    digests.set(path, { mtimeMs, size, digest });
    return digest;
  } catch {
    return 'missing';
  }
}

/** Every binding the folder's records make, in file order (trust not yet applied). */
export function workspaceBindings(doc: StoreDocument, folder: string): WorkspaceBinding[] {
  const out: WorkspaceBinding[] = [];
  const allowed = (name: string) => envAllowed(name, doc.settings.envAllowPrefixes);
  /**
   * A binding: its digest covers what is used, by which record, and everywhere that record's
   * requests go (`scope`), so a pull that moves any of it — also an endpoint the text does not
   * name, such as PAR or introspection — asks again. `origin` and `ref` stay the same when
   * records are renamed.
   */
  const add = (
    kind: BindingKind,
    name: string,
    record: string,
    usedBy: string[],
    use: string,
    stable: { origin: string; ref: string; scope: unknown },
  ) => {
    const detail = `${use}.`;
    const digest = createHash('sha256')
      .update(JSON.stringify([kind, name, record, detail, stable.scope]))
      .digest('base64url');
    out.push({
      id: `${kind}:${name}`,
      kind,
      name,
      usedBy,
      detail,
      digest,
      record,
      origin: stable.origin,
      ref: stable.ref,
    });
  };
  const scopeOf = (list: Connection[]) => list.map((c) => connectionDestination(doc, c, folder));
  const users = (resource: string) =>
    doc.connections.filter((c) => recordsOf(c).includes(resource));
  const usesOf = (resource: string, verb: string) => {
    const list = users(resource).map((c) => `${quoted(c.name)} (${verb} ${destination(c)})`);
    return list.length ? `; used by ${list.join(', ')}` : '';
  };

  for (const c of doc.connections) {
    const to = destination(c);
    for (const [kind, name, path] of secretReferences('connection', c)) {
      if (kind === 'env' && allowed(name)) continue;
      const target = path === 'authToken.password' ? c.authToken.tokenEndpoint || to : to;
      add(
        kind,
        name,
        `connection:${c.name}`,
        [c.name],
        `${referenceLabel(kind)} is the ${SECRET_LABELS[path] ?? path} of ${quoted(c.name)}, sent in its requests to ${target}`,
        { origin: `connection:${c.id}`, ref: `${path} ${name}`, scope: scopeOf([c]) },
      );
    }
    for (const { role, ...chained } of chainedConnections(c)) {
      const source = doc.connections.find(
        (x) => x.name === chained.connection || x.id === chained.connection,
      );
      add(
        'connection',
        source?.name ?? chained.connection,
        `connection:${c.name}`,
        [c.name],
        `${quoted(c.name)} sends the current token of ${quoted(source?.name ?? chained.connection)}, obtained with your secrets for it, as the ${role} token of a token exchange to ${to}`,
        {
          origin: `connection:${c.id}`,
          ref: `${role} ${source?.id ?? chained.connection}`,
          scope: scopeOf(source ? [c, source] : [c]),
        },
      );
    }
  }
  for (const k of doc.keystores) {
    const record = `keystore:${k.name}`;
    const usedBy = users(record).map((c) => c.name);
    for (const [key, what] of [
      ['path', k.kind === 'pkcs11' ? 'token (PKCS#11 URI)' : 'file'],
      ['certificatePath', 'certificate chain'],
      // Native code that runs inside Tokensmith: never loaded from a file unconfirmed.
      ['module', 'PKCS#11 module (a library loaded into Tokensmith)'],
    ] as const) {
      const file = k[key];
      // A module is native code: confirmed wherever it is, also inside the folder (a library
      // committed to the repository runs as the user the moment it is loaded).
      if (file && (key === 'module' || !inside(folder, file)))
        add(
          'path',
          file,
          record,
          usedBy,
          `${key === 'module' ? 'loaded' : 'outside the workspace folder, read'} as the ${what} of ${k.purpose} ${quoted(k.name)}${usesOf(record, k.purpose === 'truststore' ? 'trusting it for' : 'with its key, to')}`,
          { origin: record, ref: `${key} ${file}`, scope: scopeOf(users(record)) },
        );
    }
    for (const [kind, name] of secretReferences('keystore', k))
      if (kind !== 'env' || !allowed(name))
        add(
          kind,
          name,
          record,
          usedBy,
          `${referenceLabel(kind)} opens ${k.purpose} ${quoted(k.name)}${usesOf(record, 'to')}`,
          { origin: record, ref: `${kind} ${name}`, scope: scopeOf(users(record)) },
        );
  }
  for (const p of doc.proxies) {
    const record = `proxy:${p.name}`;
    for (const [kind, name] of secretReferences('proxy', p))
      if (kind !== 'env' || !allowed(name))
        add(
          kind,
          name,
          record,
          users(record).map((c) => c.name),
          `${referenceLabel(kind)} is the password of proxy alias ${quoted(p.name)}, sent to ${p.host}:${p.port}`,
          {
            origin: record,
            ref: `${kind} ${name}`,
            scope: [p.protocol, p.host, p.port, ...scopeOf(users(record))],
          },
        );
  }
  return out;
}

/** The bindings with the user's answers applied. */
export function withTrust(
  bindings: WorkspaceBinding[],
  trusted: readonly string[],
): WorkspaceBinding[] {
  const set = new Set(trusted);
  return bindings.map((b) => ({ ...b, trusted: set.has(b.digest) }));
}

/**
 * Throws `confirmation_required` unless every binding of `records` is confirmed. `where` names
 * the workspace for the message.
 */
export function requireTrusted(
  bindings: WorkspaceBinding[],
  records: readonly string[],
  where: string,
): void {
  const wanted = new Set(records);
  const pending = bindings.filter((b) => !b.trusted && wanted.has(b.record));
  if (!pending.length) return;
  const n = pending.length;
  const listed = pending.slice(0, 20).map((b) => `  - ${describeBinding(b)}`);
  if (n > 20) listed.push(`  … and ${n - 20} more`);
  throw new TokensmithError(
    'confirmation_required',
    `Not used yet: the workspace ${where} would use ${n} thing${n === 1 ? '' : 's'} of yours that you have not confirmed:\n${listed.join('\n')}\nReview them with \`tokensmith workspace trust\` (in the app: Review on the workspace banner).`,
    {
      detail: {
        bindings: pending,
        unconfirmed: pending.map((b) => b.digest),
        workspace: true,
      },
    },
  );
}
