/**
 * A data folder opened for use by a Node host (CLI, browser mode, sandbox): the store, the
 * secret cipher, the persisted token cache, and resolvers built from the store.
 */
import { join } from 'node:path';
import type { Connection } from '../../shared/connection.js';
import type { StoreDocument } from '../../shared/store-model.js';
import { TokensmithError } from './errors.js';
import { TokenCache } from './cache/token-cache.js';
import { loadCacheFile, saveCacheFile } from './cache/cache-file.js';
import { FileStore } from './store/file-store.js';
import { keyFileCipher, type SecretCipher } from './store/secret-cipher.js';
import { resolveConnectionSecrets, type Environment } from './store/env-references.js';
import { ResourceRegistry } from './resources.js';

export interface Workspace {
  dataDir: string;
  store: FileStore;
  cipher: SecretCipher;
  cache: TokenCache;
  saveCache(): Promise<void>;
  registry(doc: StoreDocument): ResourceRegistry;
  /** The named connection with its `${env:…}` secrets resolved. */
  connection(doc: StoreDocument, name: string): Connection;
}

/** `cipherOverride`: the desktop app passes safeStorage; the CLI and browser mode use the key file. */
export async function openWorkspace(
  dataDir: string,
  env: Environment = process.env,
  cipherOverride?: SecretCipher,
): Promise<Workspace> {
  const cipher = cipherOverride ?? (await keyFileCipher(join(dataDir, 'secret.key')));
  const store = new FileStore(dataDir, cipher);
  const cachePath = join(dataDir, 'token-cache.json');
  const cache = new TokenCache();
  await loadCacheFile(cachePath, cache, cipher);
  return {
    dataDir,
    store,
    cipher,
    cache,
    saveCache: () => saveCacheFile(cachePath, cache, cipher),
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
      return resolveConnectionSecrets(conn, env);
    },
  };
}
