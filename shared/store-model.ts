/**
 * What Tokensmith remembers: connections, keystores/truststores, proxy aliases and settings,
 * as one versioned document. The store encrypts the secret fields at rest.
 */
import { z } from 'zod';
import { connectionSchema, type Connection } from './connection.js';
import { keystoreEntry, proxyAlias, type KeystoreEntry, type ProxyAlias } from './resources.js';

export const STORE_VERSION = 1;

export const settingsSchema = z.object({
  /** A cached token with less lifetime left than this is replaced (z/OS: 1 s). */
  cacheMinRemainingSeconds: z.coerce.number().min(0).max(3600).default(1),
  /** A token that has a refresh token is refreshed this long before it expires. */
  refreshBeforeSeconds: z.coerce.number().min(0).max(86_400).default(60),
  /** How often expired cache entries are pruned. */
  cachePruneIntervalSeconds: z.coerce.number().min(1).max(86_400).default(60),
  /** Serve the generated signing keys at http://127.0.0.1:{port}/jwt/ibm/api/{builderId}/jwk. */
  jwkServerEnabled: z.boolean().default(false),
  jwkServerPort: z.coerce.number().int().min(1).max(65535).default(9480),
  /**
   * `${env:NAME}` references an imported file may keep without asking: variables whose name
   * starts with one of these (e.g. `MYAPP_`). Any other reference needs the user's confirmation.
   */
  envAllowPrefixes: z
    .array(
      z
        .string()
        .regex(
          /^[A-Za-z_][A-Za-z0-9_]*$/,
          'An environment variable prefix is letters, digits and underscores, such as MYAPP_',
        ),
    )
    .max(100)
    .default([]),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * The key pairs Tokensmith generated for a JWT builder (z/OS `jwkEnabled`). The newest signs;
 * the previous one stays in the JWKS so that assertions signed before a rotation still verify.
 */
export const signingKeySet = z.object({
  builderId: z.string().min(1),
  keys: z
    .array(
      z.object({
        kid: z.string().min(1),
        algorithm: z.literal('RS256').default('RS256'),
        createdAt: z.string(),
        /** The SPKI public key, PEM. */
        publicKey: z.string().min(1),
      }),
    )
    .default([]),
  /** PKCS#8 PEM private keys by kid: secrets, sealed at rest. */
  privateKeys: z.record(z.string(), z.string()).default({}),
});
export type SigningKeySet = z.infer<typeof signingKeySet>;

export const storeDocument = z.object({
  format: z.literal('tokensmith.store'),
  version: z.literal(STORE_VERSION),
  connections: z.array(connectionSchema).default([]),
  keystores: z.array(keystoreEntry).default([]),
  proxies: z.array(proxyAlias).default([]),
  signingKeys: z.array(signingKeySet).default([]),
  settings: settingsSchema.prefault({}),
});
export type StoreDocument = z.infer<typeof storeDocument>;

export function emptyStore(): StoreDocument {
  return storeDocument.parse({ format: 'tokensmith.store', version: STORE_VERSION });
}

/** Where each kind of record keeps its secrets (dotted paths; `keyPasswords` is a map). */
export const SECRET_PATHS = {
  connection: ['client.secret', 'password', 'clientAssertion', 'authToken.password'],
  keystore: ['password', 'keyPasswords.*'],
  proxy: ['password'],
  signingKeys: ['privateKeys.*'],
} as const;

export type SecretOwner = keyof typeof SECRET_PATHS;

/** `${env:NAME}`: a secret that is read from the environment when it is used. */
export const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Visits every secret value of a record; `set` replaces it. */
export function forEachSecret(
  owner: SecretOwner,
  record: Record<string, unknown>,
  visit: (path: string, value: string, set: (v: string) => void) => void,
): void {
  for (const path of SECRET_PATHS[owner]) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let parent: unknown = record;
    for (const p of parts) parent = (parent as Record<string, unknown> | undefined)?.[p];
    if (!parent || typeof parent !== 'object') continue;
    const obj = parent as Record<string, unknown>;
    if (last === '*') {
      for (const [k, v] of Object.entries(obj)) {
        if (typeof v === 'string' && v !== '')
          visit(`${parts.join('.')}.${k}`, v, (nv) => (obj[k] = nv));
      }
    } else if (typeof obj[last] === 'string' && obj[last] !== '') {
      visit(path, obj[last] as string, (nv) => (obj[last] = nv));
    }
  }
}

export type { Connection, KeystoreEntry, ProxyAlias };
