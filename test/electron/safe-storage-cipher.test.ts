/**
 * The desktop app's secret cipher over Electron's safeStorage, given a recording stand-in for
 * safeStorage (no Electron binary here): it refuses to run without real encryption — on Linux
 * also when Electron fell back to its `basic_text` key or cannot name its backend — and says how
 * to get a keyring; with a keyring it seals and opens secrets through safeStorage.
 */
import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { safeStorageCipher, type SafeStorageApi } from '../../electron/safe-storage-cipher.js';
import { TokensmithError } from '../../electron/core/errors.js';

type Backend = ReturnType<SafeStorageApi['getSelectedStorageBackend']>;

/**
 * A stand-in for `safeStorage` that records every call. It encrypts for real (AES-256-GCM with a
 * key of its own), so a round trip proves the cipher hands the bytes over unchanged.
 */
function recordingSafeStorage(available: boolean, backend: Backend) {
  const calls: string[] = [];
  const key = randomBytes(32);
  const storage: SafeStorageApi = {
    isEncryptionAvailable: () => {
      calls.push('isEncryptionAvailable');
      return available;
    },
    getSelectedStorageBackend: () => {
      calls.push('getSelectedStorageBackend');
      return backend;
    },
    encryptString: (plain) => {
      calls.push('encryptString');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decryptString: (sealed) => {
      calls.push('decryptString');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString();
    },
  };
  return { storage, calls };
}

function refusal(available: boolean, backend: Backend, platform: NodeJS.Platform) {
  const { storage, calls } = recordingSafeStorage(available, backend);
  try {
    safeStorageCipher(storage, platform);
  } catch (e) {
    expect(e).toBeInstanceOf(TokensmithError);
    expect((e as TokensmithError).code).toBe('unsupported');
    return { message: (e as Error).message, calls };
  }
  return { message: undefined, calls };
}

describe('safeStorage cipher', () => {
  it.each(['basic_text', 'unknown'] as const)(
    'refuses the Linux %s backend and says how to get a keyring',
    (backend) => {
      const { message, calls } = refusal(true, backend, 'linux');
      expect(message).toMatch(/gnome-keyring/);
      expect(message).toMatch(/KWallet/);
      expect(message).toMatch(/--password-store=gnome-libsecret/);
      expect(calls).toEqual(['isEncryptionAvailable', 'getSelectedStorageBackend']);
    },
  );

  it('refuses when no encryption is available at all', () => {
    expect(refusal(false, 'gnome_libsecret', 'linux').message).toMatch(
      /no secret storage: install and unlock a keyring \(gnome-keyring/,
    );
    const mac = refusal(false, 'unknown', 'darwin');
    expect(mac.message).toMatch(/keychain is not available/);
    // The backend is a Linux notion: other systems are never asked for it.
    expect(mac.calls).toEqual(['isEncryptionAvailable']);
  });

  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const)(
    'accepts the Linux %s backend and seals through safeStorage',
    (backend) => {
      const { storage, calls } = recordingSafeStorage(true, backend);
      const cipher = safeStorageCipher(storage, 'linux');
      const sealed = cipher.encrypt('client-secret-value');
      expect(sealed).toMatch(/^enc:ss1:[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain('client-secret-value');
      expect(cipher.decrypt(sealed)).toBe('client-secret-value');
      expect(calls).toEqual([
        'isEncryptionAvailable',
        'getSelectedStorageBackend',
        'encryptString',
        'decryptString',
      ]);
    },
  );

  it('on macOS and Windows trusts the keychain / DPAPI without asking for a backend', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { storage, calls } = recordingSafeStorage(true, 'unknown');
      expect(safeStorageCipher(storage, platform).id).toBe('ss1');
      expect(calls).toEqual(['isEncryptionAvailable']);
    }
  });

  it('refuses a value sealed by another cipher', () => {
    const { storage } = recordingSafeStorage(true, 'gnome_libsecret');
    const cipher = safeStorageCipher(storage, 'linux');
    expect(() => cipher.decrypt('enc:k1:AAAA')).toThrow(/encrypted elsewhere/);
  });
});
