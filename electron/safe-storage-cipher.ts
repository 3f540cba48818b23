/**
 * Electron's safeStorage (Keychain, DPAPI, libsecret or KWallet) as a SecretCipher. Earlier
 * versions of the desktop app sealed their secrets with it; the app now seals with the data
 * folder's key that the CLI shares (core/store/sealing-key.ts) and uses this only to read what
 * was sealed before, once, to move it there. When the OS offers no real encryption (Linux's
 * `basic_text` fallback) it is not used at all.
 */
import type { SafeStorage } from 'electron';
import { TokensmithError, type SecretCipher } from './core/index.js';

/** What the cipher uses of Electron's `safeStorage` (main passes the real one). */
export type SafeStorageApi = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
>;

const GET_A_KEYRING =
  'install and unlock a keyring (gnome-keyring on GNOME and most desktops, KWallet on KDE); if one is installed but not detected, start Tokensmith with --password-store=gnome-libsecret (or kwallet6)';

/**
 * Why secrets cannot be stored safely here, or undefined when they can. On Linux, Electron
 * falls back to the `basic_text` backend (a key hard-coded in Chromium) when it finds no
 * keyring, and reports `unknown` before the app is ready: both are refused.
 */
export function secretStorageRefusal(
  storage: SafeStorageApi,
  platform: NodeJS.Platform,
): string | undefined {
  if (!storage.isEncryptionAvailable()) {
    return platform === 'linux'
      ? `This system offers no secret storage: ${GET_A_KEYRING}. Tokensmith will not store secrets in plain text.`
      : 'This system offers no secret storage (the operating system keychain is not available). Tokensmith will not store secrets in plain text.';
  }
  if (platform !== 'linux') return undefined;
  const backend = storage.getSelectedStorageBackend();
  if (backend === 'basic_text')
    return `No keyring was found, so secrets would be encrypted with a key built into Electron that anyone can read: ${GET_A_KEYRING}. Tokensmith will not store secrets that way.`;
  if (backend === 'unknown')
    return `The secret storage of this desktop could not be determined: ${GET_A_KEYRING}. Tokensmith will not store secrets in plain text.`;
  return undefined;
}

/** The store's cipher over safeStorage; throws `unsupported` when it would not be safe. */
export function safeStorageCipher(
  storage: SafeStorageApi,
  platform: NodeJS.Platform = process.platform,
): SecretCipher {
  const refusal = secretStorageRefusal(storage, platform);
  if (refusal) throw new TokensmithError('unsupported', refusal);
  return {
    id: 'ss1',
    encrypt: (plain) => `enc:ss1:${storage.encryptString(plain).toString('base64url')}`,
    decrypt: (sealed) => {
      const [, id, payload] = sealed.split(':');
      if (id !== 'ss1' || !payload) {
        throw new TokensmithError(
          'keystore_password',
          'A stored secret was encrypted elsewhere; enter it again.',
        );
      }
      return storage.decryptString(Buffer.from(payload, 'base64url'));
    },
  };
}
