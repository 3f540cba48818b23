/**
 * The token cache persisted between CLI runs: one sealed blob (tokens are secrets), written
 * atomically. A file that cannot be read is ignored: the cache is only an optimisation.
 */
import { readFile } from 'node:fs/promises';
import type { SecretCipher } from '../store/secret-cipher.js';
import { atomicWriteFile } from '../store/atomic-file.js';
import type { CachedToken, TokenCache } from './token-cache.js';

interface CacheFile {
  format: 'tokensmith.token-cache';
  version: 1;
  sealed: string;
}

export async function loadCacheFile(
  path: string,
  cache: TokenCache,
  cipher: SecretCipher,
): Promise<void> {
  try {
    const file = JSON.parse(await readFile(path, 'utf8')) as CacheFile;
    if (file.format !== 'tokensmith.token-cache' || file.version !== 1) return;
    cache.load(JSON.parse(cipher.decrypt(file.sealed)) as CachedToken[]);
  } catch {
    cache.load([]);
  }
}

export async function saveCacheFile(
  path: string,
  cache: TokenCache,
  cipher: SecretCipher,
): Promise<void> {
  const file: CacheFile = {
    format: 'tokensmith.token-cache',
    version: 1,
    sealed: cipher.encrypt(JSON.stringify(cache.entries())),
  };
  await atomicWriteFile(path, JSON.stringify(file) + '\n');
}
