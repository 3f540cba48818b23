/**
 * A workspace: what every use case works on, whichever it is opened over.
 *
 * - The personal store (`openWorkspace(dataDir)`): `store.json` in the user's data folder, as
 *   for every user who never opens a shared folder.
 * - A workspace folder (`openFolderWorkspace`, in `./workspace/open-folder.ts`): connections as
 *   files a team shares in git; the user's secrets, token cache and drafts for it stay in their
 *   own data folder under the workspace's ID.
 *
 * Both expose the same `Store` (the seam): use cases never know which one they run on.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from '../../shared/connection.js';
import type { StoreDocument } from '../../shared/store-model.js';
import type { WorkspaceManifest } from '../../shared/workspace-model.js';
import { TokensmithError } from './errors.js';
import { TokenCache } from './cache/token-cache.js';
import { loadCacheFile, saveCacheFile } from './cache/cache-file.js';
import { FileStore, type Store } from './store/file-store.js';
import type { SecretCipher } from './store/secret-cipher.js';
import { openSealingKey } from './store/sealing-key.js';
import { resolveConnectionSecrets, type Environment } from './store/env-references.js';
import { ResourceRegistry } from './resources.js';
import { recordsOf, type WorkspaceBinding } from './workspace/trust.js';
import type { WithheldSecrets } from './workspace/folder-store.js';

/** A problem in one of a workspace folder's files. */
export interface WorkspaceProblem {
  file: string;
  line?: number;
  pointer: string;
  message: string;
}

export interface Workspace {
  /** The user's data folder (their personal store, and their state of shared workspaces). */
  dataDir: string;
  /** Where this workspace's per-user files go: token cache, drafts. */
  stateDir: string;
  /** Where imported keystore files are copied: the data folder's, or the workspace folder's. */
  keystoreDir: string;
  /** The shared folder, when the workspace is one. */
  folder?: { path: string; manifest: WorkspaceManifest };
  store: Store;
  cipher: SecretCipher;
  /** How secrets are sealed at rest, for the user. */
  secretStorage: string;
  /** Lines for the user about how the workspace was opened (e.g. no OS keychain here). */
  warnings: string[];
  cache: TokenCache;
  saveCache(): Promise<void>;
  /** Problems in the folder's files found by the last read (none for the personal store). */
  problems(): WorkspaceProblem[];
  registry(doc: StoreDocument): ResourceRegistry;
  /**
   * Refuses (`confirmation_required`) the use of records whose bindings the user has not
   * confirmed: a workspace folder's trust; the personal store allows everything.
   */
  guard(records: string[]): void;
  /** A workspace folder's bindings and the user's answers (absent for the personal store). */
  trust?: WorkspaceTrust;
  /** The named connection with its `${env:…}` secrets resolved. */
  connection(doc: StoreDocument, name: string): Connection;
}

export interface WorkspaceTrust {
  /** The bindings of the last read, each marked trusted or not. */
  bindings(): WorkspaceBinding[];
  /** Secrets kept back from records whose destination changed since they were entered. */
  withheld(): WithheldSecrets[];
  confirm(digests: readonly string[] | 'all'): Promise<WorkspaceBinding[]>;
  revoke(): Promise<WorkspaceBinding[]>;
}

export interface WorkspaceParts {
  dataDir: string;
  stateDir: string;
  keystoreDir: string;
  folder?: Workspace['folder'];
  store: Store;
  cipher: SecretCipher;
  secretStorage: string;
  warnings: string[];
  env: Environment;
  problems?: () => WorkspaceProblem[];
  /**
   * Refuses (`confirmation_required`) a use of records whose bindings the user has not
   * confirmed (`connection:<name>`, `keystore:<name>`, `proxy:<name>`): a workspace folder's
   * trust. The personal store has none.
   */
  guard?: (records: string[]) => void;
  trust?: WorkspaceTrust;
}

/** The workspace over its store: the token cache beside it, and resolvers built from it. */
export async function assembleWorkspace(parts: WorkspaceParts): Promise<Workspace> {
  const { store, cipher, env } = parts;
  const cachePath = join(parts.stateDir, 'token-cache.json');
  const cache = new TokenCache();
  await loadCacheFile(cachePath, cache, cipher);
  return {
    dataDir: parts.dataDir,
    stateDir: parts.stateDir,
    keystoreDir: parts.keystoreDir,
    ...(parts.folder ? { folder: parts.folder } : {}),
    store,
    cipher,
    secretStorage: parts.secretStorage,
    warnings: parts.warnings,
    cache,
    saveCache: () => saveCacheFile(cachePath, cache, cipher),
    problems: parts.problems ?? (() => []),
    guard: parts.guard ?? (() => undefined),
    ...(parts.trust ? { trust: parts.trust } : {}),
    registry: (doc) =>
      new ResourceRegistry({
        keystores: doc.keystores,
        proxies: doc.proxies,
        env,
        // Loaded when a generated key signs: the CLI starts without it.
        signingKeySource: async (builderId) =>
          (await import('./keys/signing-keys.js')).currentSigningKeys(store, builderId),
        jwkBaseUrl: `http://127.0.0.1:${doc.settings.jwkServerPort}`,
        dpopKeySource: async (connectionId) =>
          (await import('./keys/dpop-keys.js')).storedDpopKey(store, connectionId),
        ...(parts.guard ? { guard: parts.guard } : {}),
      }),
    connection(doc, name) {
      const conn =
        doc.connections.find((c) => c.name === name) ?? doc.connections.find((c) => c.id === name);
      if (!conn) {
        const known = doc.connections.map((c) => c.name);
        throw new TokensmithError(
          'not_found',
          `No connection named "${name}".` +
            (known.length ? ` Known: ${known.join(', ')}.` : ' There are no connections yet.'),
        );
      }
      parts.guard?.(recordsOf(conn));
      return resolveConnectionSecrets(conn, env);
    },
  };
}

/**
 * A cipher that reads what an earlier sealing scheme wrote (`legacy`, by its ID) and seals only
 * with `primary`: the next write of each file moves its secrets to the primary key.
 */
export function readingLegacy(
  primary: SecretCipher,
  legacy: Pick<SecretCipher, 'id' | 'decrypt'>,
): SecretCipher {
  return {
    id: primary.id,
    encrypt: (plain) => primary.encrypt(plain),
    decrypt: (sealed) =>
      sealed.split(':')[1] === legacy.id ? legacy.decrypt(sealed) : primary.decrypt(sealed),
  };
}

export interface PersonalStoreOptions {
  /**
   * A sealing scheme an earlier version used on this folder (the desktop app's safeStorage):
   * its secrets are read, and moved to the data folder's key once, on opening.
   */
  legacy?: Pick<SecretCipher, 'id' | 'decrypt'>;
}

/**
 * The personal store in a data folder. Every face seals with the same key — kept in the OS
 * keychain (or the key file without one) — so the app, the CLI and browser mode read each
 * other's store; `cipherOverride` is for tests.
 */
export async function openWorkspace(
  dataDir: string,
  env: Environment = process.env,
  cipherOverride?: SecretCipher,
  options: PersonalStoreOptions = {},
): Promise<Workspace> {
  const key = cipherOverride ? undefined : await openSealingKey(dataDir, { env });
  const primary = cipherOverride ?? key!.cipher;
  const cipher = options.legacy ? readingLegacy(primary, options.legacy) : primary;
  const store = new FileStore(dataDir, cipher);
  const warnings = key?.warning ? [key.warning] : [];
  const migrating =
    options.legacy !== undefined &&
    (await holdsSealed(join(dataDir, 'store.json'), options.legacy.id));
  if (migrating) {
    // Re-sealed with the shared key: from now on the CLI and browser mode read them too.
    await store.update(() => undefined);
    warnings.push(
      'Secrets sealed by an earlier version of the desktop app (safeStorage) were moved to the data folder key, shared with the CLI.',
    );
  }
  const workspace = await assembleWorkspace({
    dataDir,
    stateDir: dataDir,
    keystoreDir: join(dataDir, 'keystores'),
    store,
    cipher,
    secretStorage: key?.description ?? 'a key of the caller',
    warnings,
    env,
  });
  if (migrating) await workspace.saveCache();
  return workspace;
}

async function holdsSealed(path: string, id: string): Promise<boolean> {
  try {
    return (await readFile(path, 'utf8')).includes(`"enc:${id}:`);
  } catch {
    return false;
  }
}
