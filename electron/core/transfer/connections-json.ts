/**
 * Export / import of connections as JSON (DESIGN: `tokensmith.connections`, version 1).
 * Secrets are left out by default and listed as required; with a passphrase they travel
 * encrypted (scrypt + AES-256-GCM). Keystores and proxy aliases that the connections use are
 * included by name. Import validates the whole file first and imports all or nothing,
 * reporting each problem with its JSON pointer (RFC 6901).
 *
 * The file's scrypt parameters are untrusted: import refuses any above what the exporter writes
 * before it derives a key, and derives it asynchronously ({@link unsealImportSecrets}), so a
 * hostile file can neither hold the process for long nor block its event loop.
 */
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt,
  type ScryptOptions,
} from 'node:crypto';
import { z } from 'zod';
import { connectionSchema, type Connection } from '../../../shared/connection.js';
import {
  keystoreEntry,
  proxyAlias,
  type KeystoreEntry,
  type ProxyAlias,
} from '../../../shared/resources.js';
import {
  forEachSecret,
  isSecretReference,
  type SecretOwner,
  type StoreDocument,
} from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import {
  nothingImported,
  pointerOf,
  problemsFromZod,
  withDefaultIds,
  type ImportProblem,
} from './import-problems.js';

export { nothingImported, type ImportProblem };

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

/**
 * scrypt cost of new exports (RFC 7914): N = 2^17, r = 8, p = 1, as OWASP's password storage
 * guidance recommends; about 128 MB and a few hundred milliseconds per derivation. Files written
 * before (N = 2^15) still import. Argon2id is not used: Electron's BoringSSL has no Argon2 in
 * node:crypto, and scrypt at this cost needs no extra dependency.
 */
export const EXPORT_SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const;

/** The shortest passphrase an export accepts, in characters. */
export const MIN_PASSPHRASE_LENGTH = 12;

type ScryptParams = { N: number; r: number; p: number };

const scryptOptions = ({ N, r, p }: ScryptParams): ScryptOptions => ({
  N,
  r,
  p,
  // Node refuses when 128 * N * r * p exceeds maxmem; leave room above that.
  maxmem: 256 * N * r * p,
});

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, scryptOptions(params), (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Refuses a passphrase too short to protect the exported secrets. */
function checkPassphrase(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new TokensmithError(
      'invalid_input',
      `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long: it is all that protects the exported secrets. Four or more unrelated words make a strong one that is easy to type.`,
      { field: 'passphrase' },
    );
  }
}

function sealWith(values: Record<string, string>, key: Buffer, salt: Buffer): SealedSecrets {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...EXPORT_SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** What {@link unsealImportSecrets} found: the secrets, or the problem to report at /secrets. */
export type UnsealedSecrets = { values: Record<string, string> } | { problem: ImportProblem };

const WITHIN_EXPORT_LIMITS = (params: ScryptParams): boolean =>
  Number.isInteger(params.N) &&
  params.N >= 2 &&
  params.N <= EXPORT_SCRYPT.N &&
  (params.N & (params.N - 1)) === 0 &&
  params.r >= 1 &&
  params.r <= EXPORT_SCRYPT.r &&
  params.p >= 1 &&
  params.p <= EXPORT_SCRYPT.p;

/**
 * Decrypts the secrets of a connections file with the passphrase, before the store is locked.
 * Returns undefined when there is nothing to decrypt here (no passphrase, no `secrets`, or a
 * file that {@link planImport} will refuse for its shape). scrypt parameters above
 * {@link EXPORT_SCRYPT} are refused without deriving anything; the derivation runs on libuv's
 * thread pool, never on the event loop.
 */
export async function unsealImportSecrets(
  text: string,
  passphrase: string | undefined,
): Promise<UnsealedSecrets | undefined> {
  if (!passphrase) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = sealedSecrets.safeParse((json as { secrets?: unknown } | null)?.secrets);
  if (!parsed.success) return undefined;
  const sealed = parsed.data;
  const problem = (message: string): UnsealedSecrets => ({
    problem: { pointer: '/secrets', message },
  });
  if (!WITHIN_EXPORT_LIMITS(sealed)) {
    return problem(
      `The file asks for scrypt parameters N=${sealed.N}, r=${sealed.r}, p=${sealed.p}, above what Tokensmith writes (N=${EXPORT_SCRYPT.N}, r=${EXPORT_SCRYPT.r}, p=${EXPORT_SCRYPT.p}): it was not opened.`,
    );
  }
  const salt = Buffer.from(sealed.salt, 'base64');
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (salt.length === 0 || iv.length !== 12 || tag.length !== 16) {
    return problem('The encrypted secrets are damaged (salt, IV or tag of the wrong size).');
  }
  let key: Buffer;
  try {
    key = await deriveKey(passphrase, salt, sealed);
  } catch {
    return problem('The encrypted secrets cannot be opened (scrypt refused the parameters).');
  }
  let values: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]);
    values = JSON.parse(plain.toString('utf8'));
  } catch {
    return problem('Wrong passphrase: the secrets in this file cannot be decrypted.');
  }
  if (
    !values ||
    typeof values !== 'object' ||
    Array.isArray(values) ||
    Object.values(values).some((v) => typeof v !== 'string')
  ) {
    return problem('The encrypted secrets are not a list of secret values.');
  }
  return { values: values as Record<string, string> };
}

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

/** The export document with every secret taken out, and the secrets taken out by pointer. */
function exportWithoutSecrets(
  doc: StoreDocument,
  options: ExportOptions,
): { out: ExportDocument; secrets: Record<string, string> } {
  if (options.passphrase !== undefined) checkPassphrase(options.passphrase);
  const connections = structuredClone(selectConnections(doc, options.names));
  const { keystores, proxies } = structuredClone(referenced(doc, connections));
  const secrets: Record<string, string> = {};
  const strip = (owner: SecretOwner, list: object[], collection: string) =>
    list.forEach((record, i) =>
      forEachSecret(owner, record as Record<string, unknown>, (path, value, set) => {
        if (isSecretReference(value)) return; // a reference is not a secret
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
  return { out, secrets };
}

/**
 * The export document; with a passphrase (at least {@link MIN_PASSPHRASE_LENGTH} characters) the
 * secrets travel sealed. The key is derived with the asynchronous scrypt: the event loop keeps
 * serving others (the app, browser mode) meanwhile.
 */
export async function exportConnections(
  doc: StoreDocument,
  options: ExportOptions = {},
): Promise<ExportDocument> {
  const { out, secrets } = exportWithoutSecrets(doc, options);
  if (options.passphrase && Object.keys(secrets).length) {
    const salt = randomBytes(16);
    out.secrets = sealWith(secrets, await deriveKey(options.passphrase, salt, EXPORT_SCRYPT), salt);
  }
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
}

/**
 * Checks the whole file against the store and returns the store as it would be after the import;
 * throws `invalid_input` with every problem (and its JSON pointer) when anything is wrong.
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
            message: 'An encrypted secret belongs to a field that is not in the file.',
          });
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
