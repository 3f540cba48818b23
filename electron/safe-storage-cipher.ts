/**
 * Secrets at rest in the desktop app: Electron's safeStorage (Keychain, DPAPI, libsecret).
 * When the OS offers no encryption the app says so instead of storing secrets in plain text.
 */
import { safeStorage } from 'electron';
import { TokensmithError, type SecretCipher } from './core/index.js';

export function safeStorageCipher(): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new TokensmithError(
      'unsupported',
      'This system offers no secret storage (on Linux: install and unlock a keyring such as gnome-keyring or KWallet). Tokensmith will not store secrets in plain text.',
    );
  }
  return {
    id: 'ss1',
    encrypt: (plain) => `enc:ss1:${safeStorage.encryptString(plain).toString('base64url')}`,
    decrypt: (sealed) => {
      const [, id, payload] = sealed.split(':');
      if (id !== 'ss1' || !payload) {
        throw new TokensmithError(
          'keystore_password',
          'A stored secret was encrypted elsewhere; enter it again.',
        );
      }
      return safeStorage.decryptString(Buffer.from(payload, 'base64url'));
    },
  };
}
