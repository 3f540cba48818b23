/**
 * What an imported file would bind to of the user's (issue 12, items 2, 3 and 5): a file from
 * someone else must not sign with the user's keys, send their environment variables or proxy
 * credentials, or read their files, without the user confirming each binding. The bindings:
 *
 * - a Keystore Name, SSL Keystore Alias or Truststore Alias naming a keystore of the user's (not
 *   one of the file's), or a keystore of the file replacing one of the user's;
 * - a JWK-enabled JWT builder ID whose generated key the user's store holds (or will generate
 *   for one of the user's connections);
 * - a Proxy Server Alias naming one of the user's, or a proxy of the file replacing one;
 * - a `${env:NAME}` secret anywhere in the file, unless NAME starts with one of the user's
 *   `envAllowPrefixes`;
 * - every file path of the file's keystores (PKCS#12/JKS/PEM file, certificate chain, a PKCS#11
 *   token's URI and its module, a library that would run inside Tokensmith).
 *
 * A binding's ID is `kind:name`: confirming it confirms every use the file makes of that thing.
 */
import { chainedConnections, type Connection } from '../../../shared/connection.js';
import type { KeystoreEntry, ProxyAlias } from '../../../shared/resources.js';
import {
  isSecretReference,
  forEachSecret,
  type SecretOwner,
  type StoreDocument,
} from '../../../shared/store-model.js';
import {
  SECRET_LABELS,
  describeBinding,
  envAllowed,
  quoted,
  reviewUrl,
  type BindingKind,
  type ConfirmationDetail,
  type ImportBinding,
} from '../../../shared/transfer.js';
import { TokensmithError } from '../errors.js';
import { sameDestination } from './kept-secrets.js';

/** The records an import brings, already validated. */
export interface ImportedRecords {
  connections: Connection[];
  keystores: KeystoreEntry[];
  proxies: ProxyAlias[];
}

/** How many different uses a binding's detail spells out before "and N more". */
const MAX_USES = 4;
/** How many bindings the refusal's message lists before "and N more" (the detail has all). */
const MAX_LISTED = 20;

class BindingList {
  readonly #byId = new Map<
    string,
    { kind: BindingKind; name: string; usedBy: Set<string>; uses: Set<string> }
  >();

  add(kind: BindingKind, name: string, use: string, usedBy: readonly string[]): void {
    const id = `${kind}:${name}`;
    let entry = this.#byId.get(id);
    if (!entry) {
      entry = { kind, name, usedBy: new Set(), uses: new Set() };
      this.#byId.set(id, entry);
    }
    entry.uses.add(use);
    for (const n of usedBy) entry.usedBy.add(n);
  }

  list(): ImportBinding[] {
    return [...this.#byId].map(([id, { kind, name, usedBy, uses }]) => {
      const all = [...uses];
      const shown = all.slice(0, MAX_USES).join('; ');
      const more = all.length > MAX_USES ? `; and ${all.length - MAX_USES} more uses` : '';
      return { id, kind, name, usedBy: [...usedBy], detail: `${shown}${more}.` };
    });
  }
}

export type ReferenceKind = 'env' | 'keychain' | 'path';
const REFERENCE = /^\$\{(env|keychain|file):(.*)\}$/s;

/**
 * Every reference of a record's secret fields (`${env:NAME}`, `${keychain:NAME}`,
 * `${file:PATH}`: read when the secret is used), with the field's path.
 */
export function secretReferences(
  owner: SecretOwner,
  record: object,
): Array<[kind: ReferenceKind, name: string, path: string]> {
  const found: Array<[ReferenceKind, string, string]> = [];
  forEachSecret(owner, structuredClone(record) as Record<string, unknown>, (path, value) => {
    if (!isSecretReference(value)) return;
    const [, scheme, name] = REFERENCE.exec(value) ?? [];
    if (!scheme || name === undefined) return;
    found.push([scheme === 'file' ? 'path' : (scheme as ReferenceKind), name, path]);
  });
  return found;
}

export const referenceLabel = (kind: ReferenceKind) =>
  kind === 'env' ? 'its value' : kind === 'keychain' ? 'its keychain entry' : 'its contents';

/** The bindings of an import, in the order the file makes them. */
export function findBindings(
  file: ImportedRecords,
  store: StoreDocument,
  options: { replace?: boolean } = {},
): ImportBinding[] {
  const bindings = new BindingList();
  const allowed = (name: string) => envAllowed(name, store.settings.envAllowPrefixes);
  const fileKeystores = new Set(file.keystores.map((k) => k.name));
  const fileProxies = new Set(file.proxies.map((p) => p.name));
  const fileConnections = new Set(file.connections.map((c) => c.name));
  const storeKeystores = new Map(store.keystores.map((k) => [k.name, k]));
  const storeProxies = new Set(store.proxies.map((p) => p.name));
  const builders = new Set([
    ...store.signingKeys.map((s) => s.builderId),
    ...store.connections
      .filter((c) => c.jwt.signing.jwkEnabled && c.jwt.signing.builderId)
      .map((c) => c.jwt.signing.builderId),
  ]);
  const usersOfKeystore = (list: Connection[], name: string) =>
    list
      .filter((c) =>
        [c.jwt.signing.keystore, c.ssl.keystoreAlias, c.ssl.truststoreAlias].includes(name),
      )
      .map((c) => c.name);
  // The user's connections that stay after the import (a replaced one is the file's).
  const staying = store.connections.filter((c) => !fileConnections.has(c.name));

  for (const c of file.connections) {
    const to = c.tokenEndpoint
      ? reviewUrl(c.tokenEndpoint)
      : `the token endpoint discovered from ${reviewUrl(c.issuer)}`;
    const { signing } = c.jwt;
    if (signing.jwkEnabled && signing.builderId && builders.has(signing.builderId)) {
      bindings.add(
        'builder',
        signing.builderId,
        `${quoted(c.name)} signs JWTs with your generated key of this builder and sends them to ${to}`,
        [c.name],
      );
    }
    const alias = (a: string) => (a ? ` (alias ${quoted(a)})` : '');
    const refs: Array<[name: string, use: string]> = [
      [
        signing.keystore,
        signing.jwkEnabled
          ? `${quoted(c.name)} names it as its JWT signing keystore (used once its generated key is turned off; JWTs go to ${to})`
          : `${quoted(c.name)} signs JWTs with its key${alias(signing.alias)} and sends them to ${to}`,
      ],
      [
        c.ssl.keystoreAlias,
        `${quoted(c.name)} presents its client certificate${alias(c.ssl.keyAlias)} to ${to}`,
      ],
      [c.ssl.truststoreAlias, `${quoted(c.name)} trusts its certificates for ${to}`],
      [
        c.dpop.keySource === 'keystore' ? c.dpop.keystore : '',
        `${quoted(c.name)} signs DPoP proofs with its key${alias(c.dpop.alias)} and sends them to ${to}`,
      ],
    ];
    for (const [name, use] of refs) {
      const mine = name && !fileKeystores.has(name) ? storeKeystores.get(name) : undefined;
      if (mine) bindings.add(mine.purpose, name, use, [c.name]);
    }
    // A token exchange that chains through a connection of the user's sends its token.
    for (const { role, ...chained } of chainedConnections(c)) {
      const yours = store.connections.find(
        (x) => x.name === chained.connection || x.id === chained.connection,
      );
      const replaced = options.replace && fileConnections.has(chained.connection) && yours;
      if (fileConnections.has(chained.connection) && !replaced) continue;
      bindings.add(
        'connection',
        yours?.name ?? chained.connection,
        yours
          ? `${quoted(c.name)} sends its current token, as the ${role} token of a token exchange, to ${to}`
          : `no connection has this name yet: whichever you later name so, ${quoted(c.name)} sends its token, as the ${role} token of a token exchange, to ${to}`,
        [c.name],
      );
    }
    // Replacing one of the user's connections is theirs to allow: it keeps their secrets where
    // they would go as before, and what chains through it then runs the file's copy.
    const mine = options.replace ? store.connections.find((x) => x.name === c.name) : undefined;
    if (mine) {
      const was = mine.tokenEndpoint ? reviewUrl(mine.tokenEndpoint) : reviewUrl(mine.issuer);
      bindings.add(
        'connection',
        mine.name,
        sameDestination('connection', mine, c)
          ? `the file replaces it with its own copy (still to ${was}), which keeps your secrets for it`
          : `the file replaces it (to ${was}) with one that sends its requests to ${to}`,
        [c.name],
      );
    }
    if (c.proxyAlias && !fileProxies.has(c.proxyAlias) && storeProxies.has(c.proxyAlias)) {
      bindings.add(
        'proxy',
        c.proxyAlias,
        `${quoted(c.name)} sends its requests to ${to} through it, with its credentials`,
        [c.name],
      );
    }
    for (const [kind, name, path] of secretReferences('connection', c)) {
      if (kind === 'env' && allowed(name)) continue;
      const target = path === 'authToken.password' ? c.authToken.tokenEndpoint || to : to;
      bindings.add(
        kind,
        name,
        `${referenceLabel(kind)} is the ${SECRET_LABELS[path] ?? path} of ${quoted(c.name)}, used in its requests to ${target}`,
        [c.name],
      );
    }
  }

  for (const k of file.keystores) {
    const users = usersOfKeystore(file.connections, k.name);
    bindings.add(
      'path',
      k.path,
      k.kind === 'pkcs11'
        ? `the token (PKCS#11 URI) of ${k.purpose} ${quoted(k.name)}`
        : `read as the file of ${k.purpose} ${quoted(k.name)}`,
      users,
    );
    if (k.module)
      bindings.add(
        'path',
        k.module,
        `loaded into Tokensmith as the PKCS#11 module of ${k.purpose} ${quoted(k.name)}`,
        users,
      );
    if (k.certificatePath)
      bindings.add(
        'path',
        k.certificatePath,
        `read as the certificate chain of ${k.purpose} ${quoted(k.name)}`,
        users,
      );
    for (const [kind, name] of secretReferences('keystore', k)) {
      if (kind !== 'env' || !allowed(name))
        bindings.add(
          kind,
          name,
          `${referenceLabel(kind)} opens ${k.purpose} ${quoted(k.name)} of the file`,
          users,
        );
    }
    const mine = options.replace ? storeKeystores.get(k.name) : undefined;
    if (mine) {
      const yours = usersOfKeystore(staying, k.name);
      bindings.add(
        mine.purpose,
        k.name,
        `the file replaces it with its own ${k.purpose} of the same name${yours.length ? ', which your connections then use' : ''}`,
        yours,
      );
    }
  }

  for (const p of file.proxies) {
    const users = file.connections.filter((c) => c.proxyAlias === p.name).map((c) => c.name);
    for (const [kind, name] of secretReferences('proxy', p)) {
      if (kind !== 'env' || !allowed(name))
        bindings.add(
          kind,
          name,
          `${referenceLabel(kind)} is the password of proxy alias ${quoted(p.name)} of the file, sent to ${p.host}:${p.port}`,
          users,
        );
    }
    if (options.replace && storeProxies.has(p.name)) {
      const yours = staying.filter((c) => c.proxyAlias === p.name).map((c) => c.name);
      bindings.add(
        'proxy',
        p.name,
        `the file replaces it with ${p.protocol}://${p.host}:${p.port}${yours.length ? ', which your connections then send their requests through' : ''}`,
        yours,
      );
    }
  }
  return bindings.list();
}

export interface Confirmation {
  /** IDs of the bindings the user confirmed. */
  confirm?: readonly string[];
  /** Every binding confirmed at once (CLI `--allow-bind`). */
  confirmAll?: boolean;
}

/**
 * Throws `confirmation_required` (nothing imported) unless every binding is confirmed; the
 * error's detail ({@link ConfirmationDetail}) has what a review step shows.
 */
export function requireConfirmation(bindings: ImportBinding[], confirmation: Confirmation): void {
  if (confirmation.confirmAll) return;
  const confirmed = new Set(confirmation.confirm ?? []);
  const unconfirmed = bindings.filter((b) => !confirmed.has(b.id));
  if (unconfirmed.length === 0) return;
  const listed = unconfirmed.slice(0, MAX_LISTED).map((b) => `  - ${describeBinding(b)}`);
  if (unconfirmed.length > MAX_LISTED)
    listed.push(`  … and ${unconfirmed.length - MAX_LISTED} more`);
  const n = unconfirmed.length;
  const detail: ConfirmationDetail = { bindings, unconfirmed: unconfirmed.map((b) => b.id) };
  throw new TokensmithError(
    'confirmation_required',
    `Nothing was imported: the file would use ${n} thing${n === 1 ? '' : 's'} of yours, which you must confirm first:\n${listed.join('\n')}`,
    { detail: { ...detail } },
  );
}
