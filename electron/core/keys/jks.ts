/**
 * Java KeyStore (JKS) with jks-js: the store password verifies the file; each private key is
 * decrypted with its own key password when one is given, else the store password.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as JksJs from 'jks-js';
import { TokensmithError } from '../errors.js';
import { orderChain, type KeyEntry } from './model.js';

let loaded: typeof JksJs | undefined;
/** jks-js (and node-rsa under it), loaded on first use: most commands open no JKS file. */
function jksLibrary(): typeof JksJs {
  loaded ??= createRequire(import.meta.url)('jks-js') as typeof JksJs;
  return loaded;
}

export function loadJks(
  data: Buffer,
  storePassword: string,
  keyPasswords: Record<string, string>,
  label: string,
): KeyEntry[] {
  if (!data.subarray(0, 4).equals(Buffer.from([0xfe, 0xed, 0xfe, 0xed]))) {
    throw new TokensmithError(
      'keystore_corrupt',
      `${label} is not a JKS keystore (its first bytes are not the JKS signature).`,
    );
  }
  const jks = jksLibrary();
  let parsed: ReturnType<typeof JksJs.parseJks>;
  try {
    parsed = jks.parseJks(data, storePassword);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/password/i.test(message)) {
      throw new TokensmithError(
        'keystore_password',
        `Wrong password for ${label}: the JKS integrity check failed.`,
        { cause, field: 'password' },
      );
    }
    throw new TokensmithError('keystore_corrupt', `${label} is damaged and cannot be read.`, {
      cause,
    });
  }
  // A store whose structure reads but whose certificates do not (a damaged file) is corrupt.
  const certificate = (der: Buffer | Uint8Array, alias: string) => {
    try {
      return new X509Certificate(der);
    } catch (cause) {
      throw new TokensmithError(
        'keystore_corrupt',
        `The certificate of "${alias}" in ${label} is damaged and cannot be read.`,
        { cause },
      );
    }
  };
  return parsed.map((entry): KeyEntry => {
    if ('cert' in entry) {
      return { alias: entry.alias, chain: [certificate(entry.cert.value, entry.alias)] };
    }
    const certs = entry.chain.map((c) => certificate(c.value, entry.alias));
    // Tried in order: the alias's own key password, the one given for every key ('*'), the
    // store password (keytool's default).
    const candidates = [
      ...new Set([keyPasswords[entry.alias], keyPasswords['*'], storePassword]),
    ].filter((p): p is string => p !== undefined);
    let lastError: unknown;
    for (const keyPassword of candidates) {
      try {
        const privateKey = createPrivateKey(jks.decrypt(entry.protectedPrivateKey, keyPassword));
        return { alias: entry.alias, chain: orderChain(certs, privateKey), privateKey };
      } catch (cause) {
        lastError = cause;
      }
    }
    return {
      alias: entry.alias,
      chain: orderChain(certs),
      keyError: new TokensmithError(
        'keystore_password',
        keyPasswords[entry.alias] === undefined && keyPasswords['*'] === undefined
          ? `The key "${entry.alias}" in ${label} has a password different from the store password: enter its key password.`
          : `Wrong key password for "${entry.alias}" in ${label}.`,
        { cause: lastError, field: `keyPasswords.${entry.alias}` },
      ),
    };
  });
}
