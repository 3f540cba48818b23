/**
 * Export / import of connections as JSON (DESIGN: `tokensmith.connections`, version 1).
 * Secrets are left out by default and listed as required; with a passphrase they travel
 * encrypted (scrypt + AES-256-GCM). Keystores and proxy aliases that the connections use are
 * included by name. Import validates the whole file first and imports all or nothing,
 * reporting each problem with its JSON pointer (RFC 6901).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';
import { connectionSchema, type Connection } from '../../../shared/connection.js';
import {
  keystoreEntry,
  proxyAlias,
  type KeystoreEntry,
  type ProxyAlias,
} from '../../../shared/resources.js';
import {
  ENV_REFERENCE,
  forEachSecret,
  type SecretOwner,
  type StoreDocument,
} from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';

export const EXPORT_FORMAT = 'tokensmith.connections';

const sealedSecrets = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
type SealedSecrets = z.infer<typeof sealedSecrets>;

export const exportDocument = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  connections: z.array(connectionSchema),
  keystores: z.array(keystoreEntry).default([]),
  proxies: z.array(proxyAlias).default([]),
  /** JSON pointers of secrets that were left out. */
  requiredSecrets: z.array(z.string()).default([]),
  secrets: sealedSecrets.optional(),
});
export type ExportDocument = z.infer<typeof exportDocument>;

export interface ImportProblem {
  pointer: string;
  message: string;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

function deriveKey(
  passphrase: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, {
    ...params,
    maxmem: 256 * params.N * params.r,
  });
}

function seal(values: Record<string, string>, passphrase: string): SealedSecrets {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function unseal(sealed: SealedSecrets, passphrase: string): Record<string, string> {
  if (sealed.N > 1 << 20 || sealed.r > 32 || sealed.p > 16) {
    throw new TokensmithError(
      'invalid_input',
      'The file asks for unreasonable scrypt parameters; it was not opened.',
    );
  }
  try {
    const key = deriveKey(passphrase, Buffer.from(sealed.salt, 'base64'), sealed);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  } catch (cause) {
    throw new TokensmithError(
      'keystore_password',
      'Wrong passphrase: the secrets in this file cannot be decrypted.',
      {
        cause,
        field: 'passphrase',
      },
    );
  }
}

const pointerOf = (...parts: Array<string | number>) =>
  '/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The keystores and proxy aliases that connections refer to. */
function referenced(
  doc: StoreDocument,
  connections: Connection[],
): { keystores: KeystoreEntry[]; proxies: ProxyAlias[] } {
  const keystoreNames = new Set(
    connections
      .flatMap((c) => [c.jwt.signing.keystore, c.ssl.keystoreAlias, c.ssl.truststoreAlias])
      .filter(Boolean),
  );
  const proxyNames = new Set(connections.map((c) => c.proxyAlias).filter(Boolean));
  return {
    keystores: doc.keystores.filter((k) => keystoreNames.has(k.name)),
    proxies: doc.proxies.filter((p) => proxyNames.has(p.name)),
  };
}

export interface ExportOptions {
  /** Names of the connections to export; all when empty. */
  names?: string[];
  /** Encrypt and include the secrets. */
  passphrase?: string;
  now?: Date;
}

/** The named connections (all when none are named); an unknown name is an error naming it. */
export function selectConnections(doc: StoreDocument, names: string[] = []): Connection[] {
  const unknown = names.filter((n) => !doc.connections.some((c) => c.name === n));
  if (unknown.length) {
    throw new TokensmithError(
      'not_found',
      `No connection named ${unknown.map((n) => `"${n}"`).join(', ')}.`,
    );
  }
  return names.length ? doc.connections.filter((c) => names.includes(c.name)) : doc.connections;
}

export function exportConnections(doc: StoreDocument, options: ExportOptions = {}): ExportDocument {
  const connections = structuredClone(selectConnections(doc, options.names));
  const { keystores, proxies } = structuredClone(referenced(doc, connections));
  const secrets: Record<string, string> = {};
  const strip = (owner: SecretOwner, list: object[], collection: string) =>
    list.forEach((record, i) =>
      forEachSecret(owner, record as Record<string, unknown>, (path, value, set) => {
        if (ENV_REFERENCE.test(value)) return; // a reference is not a secret
        secrets[pointerOf(collection, i, ...path.split('.'))] = value;
        set('');
      }),
    );
  strip('connection', connections, 'connections');
  strip('keystore', keystores, 'keystores');
  strip('proxy', proxies, 'proxies');
  const out: ExportDocument = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: (options.now ?? new Date()).toISOString(),
    connections,
    keystores,
    proxies,
    requiredSecrets: options.passphrase ? [] : Object.keys(secrets),
  };
  if (options.passphrase && Object.keys(secrets).length)
    out.secrets = seal(secrets, options.passphrase);
  return out;
}

function setAtPointer(root: unknown, pointer: string, value: string): boolean {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop();
  let node: unknown = root;
  for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
  if (!node || typeof node !== 'object' || last === undefined) return false;
  (node as Record<string, unknown>)[last] = value;
  return true;
}

export interface ImportOptions {
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

export interface ImportPlan {
  document: StoreDocument;
  imported: { connections: string[]; keystores: string[]; proxies: string[] };
  /** Pointers of secrets still to be entered. */
  missingSecrets: string[];
}

function problemsFromZod(error: z.ZodError): ImportProblem[] {
  return error.issues.map((issue) => ({
    pointer: pointerOf(...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))),
    message: issue.message,
  }));
}

/**
 * Checks the whole file against the store and returns the store as it would be after the import;
 * throws `invalid_input` with every problem (and its JSON pointer) when anything is wrong.
 */
export function planImport(
  text: string,
  store: StoreDocument,
  options: ImportOptions = {},
): ImportPlan {
  const fail = (problems: ImportProblem[]): never => {
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the file.\n` +
        problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n'),
      { detail: { problems } },
    );
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
  const parsed = exportDocument.safeParse(json);
  if (!parsed.success) return fail(problemsFromZod(parsed.error));
  const file = structuredClone(parsed.data);

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
    if (!options.passphrase) {
      problems.push({
        pointer: '/secrets',
        message: 'The file holds encrypted secrets: give the passphrase it was exported with.',
      });
    } else {
      try {
        const values = unseal(file.secrets, options.passphrase);
        for (const [pointer, value] of Object.entries(values)) {
          if (!setAtPointer(file, pointer, value))
            problems.push({
              pointer,
              message: 'An encrypted secret belongs to a field that is not in the file.',
            });
        }
      } catch (e) {
        problems.push({ pointer: '/secrets', message: (e as Error).message });
      }
    }
  }
  if (problems.length) return fail(problems);

  const document = structuredClone(store);
  const upsert = <T extends { name: string }>(list: T[], items: T[]) => {
    for (const item of items) {
      const i = list.findIndex((x) => x.name === item.name);
      if (i >= 0) list[i] = item;
      else list.push(item);
    }
  };
  const ids = new Set(store.connections.map((c) => c.id));
  const connections = file.connections.map((c) => {
    const existing = store.connections.find((x) => x.name === c.name);
    const id =
      existing?.id ??
      (ids.has(c.id) ? (options.newId ?? (() => randomBytes(8).toString('hex')))() : c.id);
    return { ...c, id };
  });
  upsert(document.connections, connections);
  upsert(document.keystores, file.keystores);
  upsert(document.proxies, file.proxies);
  return {
    document,
    imported: {
      connections: file.connections.map((c) => c.name),
      keystores: file.keystores.map((k) => k.name),
      proxies: file.proxies.map((p) => p.name),
    },
    missingSecrets: file.secrets ? [] : file.requiredSecrets,
  };
}
