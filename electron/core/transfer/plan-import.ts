/**
 * Import of a connections file (`./connections-json.ts`): the whole file is checked first and
 * imported all or nothing, each problem reported with its JSON pointer (RFC 6901). What the file
 * would use of the user's — keystores, generated keys, proxies, environment variables, files —
 * is imported only once the user has confirmed each binding (`./import-bindings.ts`).
 */
import { randomBytes } from 'node:crypto';
import { SECRET_PATHS, type SecretOwner, type StoreDocument } from '../../../shared/store-model.js';
import type { ImportBinding, ImportProblem } from '../../../shared/transfer.js';
import { EXPORT_FORMAT, exportDocument } from './connections-json.js';
import { nothingImported, pointerOf, problemsFromZod, withDefaultIds } from './import-problems.js';
import { findBindings, requireConfirmation, type Confirmation } from './import-bindings.js';
import { keepLocalSecrets, sameDestination } from './kept-secrets.js';
import type { UnsealedSecrets } from './sealed-secrets.js';

export { unsealImportSecrets, type UnsealedSecrets } from './sealed-secrets.js';
export type { ImportProblem };

const OWNERS: Record<string, SecretOwner> = {
  connections: 'connection',
  keystores: 'keystore',
  proxies: 'proxy',
};

/**
 * Puts a decrypted secret back at its pointer. The pointers come from the file: only a secret
 * field (SECRET_PATHS) of a record the file holds is written, walking own properties only — a
 * pointer at another field (a name, an endpoint) or through `__proto__` is refused.
 */
function setAtPointer(root: object, pointer: string, value: string): boolean {
  const [, collection, index, ...path] = pointer
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const owner = OWNERS[collection ?? ''];
  if (!owner || !/^\d+$/.test(index ?? '') || path.length === 0) return false;
  const secret = SECRET_PATHS[owner].some((known) => {
    const parts = known.split('.');
    return (
      parts.length === path.length && parts.every((part, i) => part === '*' || part === path[i])
    );
  });
  if (!secret) return false;
  let node: unknown = root;
  for (const p of [collection as string, index as string, ...path.slice(0, -1)]) {
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, p)) return false;
    node = (node as Record<string, unknown>)[p];
  }
  const last = path[path.length - 1] as string;
  if (!node || typeof node !== 'object' || Array.isArray(node)) return false;
  if (last === '__proto__' || last === 'constructor' || last === 'prototype') return false;
  Object.defineProperty(node, last, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return true;
}

export interface ImportOptions extends Confirmation {
  /** Decrypts the file's secrets (by {@link importFile}, before the store is locked). */
  passphrase?: string;
  /** Replace records whose names already exist instead of refusing them. */
  replace?: boolean;
  /**
   * Keep references to keystores that do not exist yet (server.xml names Liberty keystores the
   * user imports afterwards; the import notes say so). A connection file must be complete.
   */
  allowMissingKeystores?: boolean;
  newId?: () => string;
}

export interface PlanOptions extends Omit<ImportOptions, 'passphrase'> {
  /** The file's secrets, decrypted beforehand by {@link unsealImportSecrets}. */
  unsealed?: UnsealedSecrets;
}

export interface ImportPlan {
  document: StoreDocument;
  imported: { connections: string[]; keystores: string[]; proxies: string[] };
  /** Pointers of secrets still to be entered. */
  missingSecrets: string[];
  /** What the import uses of the user's, as confirmed. */
  bindings: ImportBinding[];
}

/**
 * Checks the whole file against the store and returns the store as it would be after the import;
 * throws `invalid_input` with every problem (and its JSON pointer) when anything is wrong, and
 * `confirmation_required` with the bindings when the file would use anything of the user's that
 * the options do not confirm.
 */
export function planImport(
  text: string,
  store: StoreDocument,
  options: PlanOptions = {},
): ImportPlan {
  const fail = (problems: ImportProblem[]): never => {
    throw nothingImported(problems);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail([{ pointer: '', message: `Not valid JSON: ${(e as Error).message}` }]);
  }
  if (json && typeof json === 'object' && (json as { format?: unknown }).format !== EXPORT_FORMAT) {
    return fail([
      {
        pointer: '/format',
        message: `Expected "${EXPORT_FORMAT}"; this is not a Tokensmith connections file.`,
      },
    ]);
  }
  withDefaultIds(json);
  const parsed = exportDocument.safeParse(json);
  if (!parsed.success) return fail(problemsFromZod(parsed.error));
  let file = structuredClone(parsed.data);
  const problems: ImportProblem[] = [];
  const duplicates = (names: string[], collection: string) =>
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        problems.push({
          pointer: pointerOf(collection, i, 'name'),
          message: `"${n}" appears twice in the file.`,
        });
    });
  duplicates(
    file.connections.map((c) => c.name),
    'connections',
  );
  duplicates(
    file.keystores.map((k) => k.name),
    'keystores',
  );
  duplicates(
    file.proxies.map((p) => p.name),
    'proxies',
  );
  if (!options.replace) {
    const clash = (names: string[], existing: string[], collection: string, what: string) =>
      names.forEach((n, i) => {
        if (existing.includes(n))
          problems.push({
            pointer: pointerOf(collection, i, 'name'),
            message: `A ${what} named "${n}" already exists (import with replace to overwrite it).`,
          });
      });
    clash(
      file.connections.map((c) => c.name),
      store.connections.map((c) => c.name),
      'connections',
      'connection',
    );
    clash(
      file.keystores.map((k) => k.name),
      store.keystores.map((k) => k.name),
      'keystores',
      'keystore',
    );
    clash(
      file.proxies.map((p) => p.name),
      store.proxies.map((p) => p.name),
      'proxies',
      'proxy alias',
    );
  }
  // References must resolve to the file or the store.
  const keystoreNames = new Set([...file.keystores, ...store.keystores].map((k) => k.name));
  const proxyNames = new Set([...file.proxies, ...store.proxies].map((p) => p.name));
  file.connections.forEach((c, i) => {
    const refs: Array<[string, string[]]> = [
      [c.jwt.signing.keystore, ['jwt', 'signing', 'keystore']],
      [c.ssl.keystoreAlias, ['ssl', 'keystoreAlias']],
      [c.ssl.truststoreAlias, ['ssl', 'truststoreAlias']],
      [c.dpop.keySource === 'keystore' ? c.dpop.keystore : '', ['dpop', 'keystore']],
    ];
    for (const [name, path] of refs) {
      if (name && !keystoreNames.has(name) && !options.allowMissingKeystores)
        problems.push({
          pointer: pointerOf('connections', i, ...path),
          message: `No keystore named "${name}" in the file or in Tokensmith.`,
        });
    }
    if (c.proxyAlias && !proxyNames.has(c.proxyAlias))
      problems.push({
        pointer: pointerOf('connections', i, 'proxyAlias'),
        message: `No proxy alias named "${c.proxyAlias}" in the file or in Tokensmith.`,
      });
  });

  if (file.secrets) {
    const unsealed = options.unsealed;
    if (!unsealed) {
      problems.push({
        pointer: '/secrets',
        message: 'The file holds encrypted secrets: give the passphrase it was exported with.',
      });
    } else if ('problem' in unsealed) {
      problems.push(unsealed.problem);
    } else {
      for (const [pointer, value] of Object.entries(unsealed.values)) {
        if (!setAtPointer(file, pointer, value))
          problems.push({
            pointer,
            message: 'An encrypted secret belongs to a field that is not a secret in the file.',
          });
      }
      // The decrypted values obey the same rules as the rest of the file.
      const again = exportDocument.safeParse(file);
      if (again.success) file = again.data;
      else problems.push(...problemsFromZod(again.error));
    }
  }
  if (problems.length) return fail(problems);
  const bindings = findBindings(file, store, { replace: options.replace === true });
  requireConfirmation(bindings, options);

  const document = structuredClone(store);
  const upsert = <T extends { name: string }>(list: T[], items: T[]) => {
    for (const item of items) {
      const i = list.findIndex((x) => x.name === item.name);
      if (i >= 0) list[i] = item;
      else list.push(item);
    }
  };
  // IDs stay unique: one taken by another connection (of the user's, or earlier in the file)
  // is replaced, so nothing of another connection (its secrets, its cached tokens) is reached
  // by ID.
  const ids = new Set(store.connections.map((c) => c.id));
  const newId = options.newId ?? (() => randomBytes(8).toString('hex'));
  // A replaced connection that now sends its requests elsewhere starts afresh under a new ID:
  // the user's tokens, last token set and DPoP key, all found by ID, stay out of its reach.
  const redirected = new Set<string>();
  const connections = file.connections.map((c) => {
    let existing = store.connections.find((x) => x.name === c.name);
    if (existing && !sameDestination('connection', existing, c)) {
      redirected.add(existing.id);
      existing = undefined;
    }
    let id = existing?.id ?? c.id;
    if (!existing && ids.has(id)) id = newId();
    while (!existing && ids.has(id)) id = randomBytes(8).toString('hex');
    ids.add(id);
    return { ...c, id };
  });
  // Replace keeps the user's secrets the file leaves out, where they would go as before.
  const kept = new Set<string>();
  const keep = <T extends { name: string }>(
    owner: 'connection' | 'keystore' | 'proxy',
    mine: T[],
    incoming: T[],
    collection: string,
    skip: (record: T) => boolean = () => false,
  ) =>
    incoming.forEach((record, i) => {
      const local = mine.find((x) => x.name === record.name);
      if (local && !skip(record))
        for (const p of keepLocalSecrets(owner, local, record, collection, i)) kept.add(p);
    });
  // Not over a truststore or proxy the file replaces with another (another CA file, another
  // proxy server): the same name would then lead elsewhere.
  const changed = <T extends { name: string }>(
    owner: 'keystore' | 'proxy',
    mine: T[],
    theirs: T[],
  ) =>
    new Set(
      theirs
        .filter((t) => {
          const m = mine.find((x) => x.name === t.name);
          return !m || !sameDestination(owner, m, t);
        })
        .map((t) => t.name),
    );
  const replacedStores = changed('keystore', store.keystores, file.keystores);
  const replacedProxies = changed('proxy', store.proxies, file.proxies);
  keep(
    'connection',
    store.connections,
    connections,
    'connections',
    (c) => replacedStores.has(c.ssl.truststoreAlias) || replacedProxies.has(c.proxyAlias),
  );
  keep('keystore', store.keystores, file.keystores, 'keystores');
  keep('proxy', store.proxies, file.proxies, 'proxies');
  upsert(document.connections, connections);
  document.lastTokens = document.lastTokens.filter((t) => !redirected.has(t.connectionId));
  document.dpopKeys = document.dpopKeys.filter((k) => !redirected.has(k.connectionId));
  upsert(document.keystores, file.keystores);
  upsert(document.proxies, file.proxies);
  return {
    document,
    imported: {
      connections: file.connections.map((c) => c.name),
      keystores: file.keystores.map((k) => k.name),
      proxies: file.proxies.map((p) => p.name),
    },
    missingSecrets: file.secrets ? [] : file.requiredSecrets.filter((p) => !kept.has(p)),
    bindings,
  };
}
