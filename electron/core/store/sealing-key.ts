/**
 * The key that seals the secrets of a data folder (CLI and browser mode; the desktop app uses
 * Electron's safeStorage). It lives in the OS keychain, so that a copy or backup of the data
 * folder holds no key: only `secret-key.keychain`, which names the keychain entry (not a
 * secret). Where no keychain can be reached (a headless CI machine), the key is the file
 * `secret.key` (mode 0600) as before, and creating it says so in one line.
 *
 * An existing `secret.key` is moved into the keychain as it is, on the first run that reaches
 * one: the same key, so nothing sealed with it needs re-sealing, and afterwards no file in the
 * folder holds it. (Re-sealing with a new key would protect nothing more: any earlier copy of the
 * folder already holds the old key beside the secrets it opens.)
 *
 * `TOKENSMITH_SECRET_KEY_STORE=file` keeps the key file (tests, CI); `=keychain` requires the
 * keychain. On Linux the keychain is the freedesktop Secret Service, reached over the session
 * D-Bus: without `DBUS_SESSION_BUS_ADDRESS` there is none to try.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokensmithError } from '../errors.js';
import type { Environment } from './env-references.js';
import { keychainProblem, osKeychain, type Keychain } from './os-keychain.js';
import { AesGcmCipher, keyFileCipher } from './secret-cipher.js';

export interface SealingKey {
  cipher: AesGcmCipher;
  /** Where the key is: shown by `app:info`. */
  storage: 'keychain' | 'file';
  description: string;
  /** One line for the user, when the key file was created because no keychain was reached. */
  warning?: string;
}

export interface SealingKeyOptions {
  env?: Environment;
  platform?: NodeJS.Platform;
  /** The keychain (tests pass their own); default: the OS keychain, loaded on demand. */
  keychain?: () => Keychain | Error;
}

const KEY_FILE = 'secret.key';
const MARKER_FILE = 'secret-key.keychain';

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const problemOf = (e: unknown) => keychainProblem(e).replace(/\.$/, '');

function keyOf(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64url');
  if (key.length !== 32)
    throw new TokensmithError(
      'keystore_corrupt',
      `The secret key in ${where} is damaged; stored secrets cannot be read.`,
    );
  return key;
}

/** Opens (or creates, or moves into the keychain) the data folder's sealing key. */
export async function openSealingKey(
  dataDir: string,
  options: SealingKeyOptions = {},
): Promise<SealingKey> {
  const env = options.env ?? process.env;
  const mode = env.TOKENSMITH_SECRET_KEY_STORE;
  const keyPath = join(dataDir, KEY_FILE);
  const markerPath = join(dataDir, MARKER_FILE);
  const fileKey = async (warning?: string): Promise<SealingKey> => ({
    cipher: await keyFileCipher(keyPath),
    storage: 'file',
    description: `AES-256-GCM, key file ${keyPath} (mode 0600)`,
    ...(warning ? { warning } : {}),
  });
  if (mode === 'file') return fileKey();

  const account = await readText(markerPath);
  const noBus = (options.platform ?? process.platform) === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS;
  const reach = async (): Promise<Keychain | string> => {
    if (noBus) return 'no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set)';
    const keychain = (options.keychain ?? osKeychain)();
    return keychain instanceof Error ? problemOf(keychain) : keychain;
  };
  const inKeychain = (account: string): SealingKey['description'] =>
    `AES-256-GCM, key in the OS keychain (service tokensmith, account ${account})`;

  if (account) {
    const keychain = await reach();
    let stored: string | null;
    try {
      if (typeof keychain === 'string') throw new Error(keychain);
      stored = keychain.get(account);
    } catch (e) {
      throw new TokensmithError(
        'keystore_password',
        `The key that seals the secrets of ${dataDir} is in the OS keychain, which cannot be reached: ${problemOf(e)}. Unlock or start the keyring and try again.`,
      );
    }
    if (stored === null)
      throw new TokensmithError(
        'keystore_corrupt',
        `The key that seals the secrets of ${dataDir} is no longer in the OS keychain (service tokensmith, account ${account}); stored secrets cannot be read. Remove ${markerPath} to start with a new key, then enter the secrets again.`,
      );
    const key = keyOf(stored, 'the OS keychain');
    // A move into the keychain interrupted before the file was removed.
    const leftover = await readText(keyPath);
    if (leftover && Buffer.from(leftover, 'base64url').equals(key))
      await rm(keyPath, { force: true });
    return { cipher: new AesGcmCipher(key), storage: 'keychain', description: inKeychain(account) };
  }

  const existing = await readText(keyPath);
  const keychain = await reach();
  if (typeof keychain === 'string') {
    if (mode === 'keychain')
      throw new TokensmithError('unsupported', `No OS keychain can be reached: ${keychain}.`);
    if (existing) return fileKey();
    const opened = await fileKey();
    return {
      ...opened,
      warning: `No OS keychain (${keychain}): secrets are sealed with the key file ${keyPath}.`,
    };
  }
  const key = existing ? keyOf(existing, keyPath) : randomBytes(32);
  const created = `data-folder-${randomUUID()}`;
  try {
    keychain.set(created, key.toString('base64url'));
    if (keychain.get(created) !== key.toString('base64url'))
      throw new Error('the key read back differs');
  } catch (e) {
    if (mode === 'keychain')
      throw new TokensmithError('unsupported', `The OS keychain refused the key: ${problemOf(e)}.`);
    const opened = await fileKey();
    return existing
      ? opened
      : {
          ...opened,
          warning: `The OS keychain refused the key (${problemOf(e)}): secrets are sealed with the key file ${keyPath}.`,
        };
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(markerPath, created + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another process got there first: use its entry.
    keychain.delete(created);
    return openSealingKey(dataDir, options);
  }
  if (existing) await rm(keyPath, { force: true });
  return { cipher: new AesGcmCipher(key), storage: 'keychain', description: inKeychain(created) };
}
