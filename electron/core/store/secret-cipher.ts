/**
 * Secrets at rest. The store only ever writes secret fields through a SecretCipher: a random
 * AES-256-GCM key per data folder, kept in the OS keychain (store/sealing-key.ts) or in a file
 * readable by the user alone (mode 0600), the same for the desktop app, the CLI and browser mode.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TokensmithError } from '../errors.js';

export interface SecretCipher {
  /** Tells which cipher wrote a value, so a store never decrypts with the wrong one. */
  readonly id: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const PREFIX = 'enc:';

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** AES-256-GCM with a 32-byte key: `enc:<id>:<base64url(iv | tag | ciphertext)>`. */
export class AesGcmCipher implements SecretCipher {
  constructor(
    private readonly key: Buffer,
    readonly id = 'k1',
  ) {
    if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.id}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [, id, payload] = sealed.split(':');
    if (id === 'ss1')
      throw new TokensmithError(
        'keystore_password',
        "A stored secret was sealed by an earlier version of the desktop app (Electron safeStorage): start the desktop app once on this data folder, and it moves them to the data folder's key, which every face reads.",
      );
    if (id !== this.id || !payload) {
      throw new TokensmithError(
        'keystore_password',
        'A stored secret was encrypted with another key; enter it again.',
      );
    }
    const raw = Buffer.from(payload, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new TokensmithError(
        'keystore_password',
        "A stored secret cannot be decrypted with this machine's key; enter it again.",
        { cause },
      );
    }
  }
}

/** The CLI's and browser mode's cipher: a key file created on first use with mode 0600. */
export async function keyFileCipher(path: string): Promise<AesGcmCipher> {
  let key: Buffer;
  try {
    key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    key = randomBytes(32);
    try {
      await writeFile(path, key.toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (race) {
      if ((race as NodeJS.ErrnoException).code !== 'EEXIST') throw race;
      key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
    }
  }
  await chmod(path, 0o600).catch(() => undefined);
  if (key.length !== 32) {
    throw new TokensmithError(
      'keystore_corrupt',
      `The secret key file ${path} is damaged; stored secrets cannot be read.`,
    );
  }
  return new AesGcmCipher(key);
}
