/**
 * What Tokensmith remembers: connections, keystores/truststores, proxy aliases and settings,
 * as one versioned document. The store encrypts the secret fields at rest.
 */
import * as z from 'zod';
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

/**
 * The DPoP proof key Tokensmith generated for a connection (RFC 9449, `dpop.keySource =
 * generated`): ES256, one per connection, kept while the connection exists.
 */
export const dpopKey = z.object({
  connectionId: z.string().min(1),
  createdAt: z.string(),
  /** PKCS#8 PEM: a secret, sealed at rest. */
  privateKey: z.string().min(1),
});
export type DpopKey = z.infer<typeof dpopKey>;

/**
 * The last token set a connection obtained (CloudStreams keeps the populated Connection Groups
 * fields with the connection, seed 004): shown again when the connection is opened. Its tokens
 * are secrets, sealed at rest; it goes with the connection and with `cache clear`.
 */
export const lastTokenSet = z.object({
  connectionId: z.string().min(1),
  /** From the server, or a refresh (a cached token is not a new set). */
  source: z.enum(['network', 'refresh']),
  result: z.object({
    token: z.string(),
    tokenPath: z.string(),
    tokenType: z.string().optional(),
    accessToken: z.string().optional(),
    refreshToken: z.string().optional(),
    idToken: z.string().optional(),
    scope: z.string().optional(),
    expiresIn: z.number().optional(),
    expiresAt: z.string().optional(),
    obtainedAt: z.string(),
    fields: z.record(z.string(), z.unknown()).default({}),
    warnings: z.array(z.string()).default([]),
  }),
});
export type LastTokenSet = z.infer<typeof lastTokenSet>;

export const storeDocument = z.object({
  format: z.literal('tokensmith.store'),
  version: z.literal(STORE_VERSION),
  connections: z.array(connectionSchema).default([]),
  keystores: z.array(keystoreEntry).default([]),
  proxies: z.array(proxyAlias).default([]),
  signingKeys: z.array(signingKeySet).default([]),
  dpopKeys: z.array(dpopKey).default([]),
  lastTokens: z.array(lastTokenSet).default([]),
  settings: settingsSchema.prefault({}),
});
export type StoreDocument = z.infer<typeof storeDocument>;

export function emptyStore(): StoreDocument {
  return storeDocument.parse({ format: 'tokensmith.store', version: STORE_VERSION });
}

/** Where each kind of record keeps its secrets (dotted paths; `keyPasswords` is a map). */
export const SECRET_PATHS = {
  connection: [
    'client.secret',
    'password',
    'clientAssertion',
    'authToken.password',
    'subjectToken.value',
    'actorToken.value',
    'jwtIssuer.password',
    'pastedJwt',
  ],
  keystore: ['password', 'keyPasswords.*'],
  proxy: ['password'],
  signingKeys: ['privateKeys.*'],
  dpopKeys: ['privateKey'],
  // Every string member of the response too: it holds the tokens again (access_token…).
  lastToken: [
    'result.token',
    'result.accessToken',
    'result.refreshToken',
    'result.idToken',
    'result.fields.*',
  ],
} as const;

export type SecretOwner = keyof typeof SECRET_PATHS;

/** `${env:NAME}`: a secret that is read from the environment when it is used. */
export const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * A secret written as a reference, resolved only when it is used: `${env:NAME}` (the
 * environment), `${keychain:NAME}` (the OS keychain, service `tokensmith`, account NAME) or
 * `${file:PATH}` (an absolute or `~/` path; the file's text less one trailing newline). A
 * reference is not a secret: it may be shared (a workspace file, an export) and is shown as is.
 */
export const SECRET_REFERENCE =
  // eslint-disable-next-line no-control-regex -- a path in a reference holds no control character
  /^\$\{(?:env:[A-Za-z_][A-Za-z0-9_]*|keychain:[\w.@:/-]{1,200}|file:[^}\u0000-\u001f]{1,1000})\}$/;

export function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE.test(value);
}

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
