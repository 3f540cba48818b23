/**
 * Resolves the names a connection refers to — Keystore Name, Key Alias, Truststore Alias, Proxy
 * Server Alias — into loaded keys and network settings, and builds the connection's network
 * profile, used by every leg of its flows.
 */
import type { Connection } from '../../shared/connection.js';
import type { KeyObject } from 'node:crypto';
import type { KeystoreEntry, ProxyAlias } from '../../shared/resources.js';
import type { SigningKeySet } from '../../shared/store-model.js';
import { activeSigningKey, builderIssuer } from './keys/signing-keys.js';
import { generateDpopKey } from './keys/dpop-keys.js';
import { TokensmithError } from './errors.js';
import {
  resolveKeystoreSecrets,
  resolveProxySecrets,
  type Environment,
} from './store/env-references.js';
import { findEntry, requirePrivateKey, type Keystore } from './keys/keystore.js';
import { readKeystoreFile } from './keys/keystore-file.js';
import { certificateNames, isExpired } from './keys/certificate.js';
import { publishedKid } from './keys/jwks.js';
import type { SigningKey } from './jwt/jwt-builder.js';
import {
  DEFAULT_NETWORK_PROFILE,
  type NetworkProfile,
  type ProxySettings,
} from './http/network-profile.js';

export interface LoadedKeystore {
  keystore: Keystore;
  /** "keystore "name"" for messages. */
  label: string;
}

/** Where keystores and proxy aliases come from: the store, the CLI's files, a test. */
export interface ResourceResolver {
  keystore(name: string): Promise<LoadedKeystore>;
  proxy(name: string): Promise<ProxySettings>;
  /** The key a JWK-enabled builder signs with now. */
  signingKey?(builderId: string): Promise<{ privateKey: KeyObject; kid: string }>;
  /** Where the builders' JWKS are served: `http://127.0.0.1:{port}`. */
  jwkBaseUrl?: string;
  /** The DPoP proof key Tokensmith generated for a connection (made on first use). */
  dpopKey?(connectionId: string): Promise<KeyObject>;
}

export const DEFAULT_JWK_PORT = 9480;

export interface ResourceRegistryOptions {
  keystores?: KeystoreEntry[];
  proxies?: ProxyAlias[];
  /** Reads a keystore or certificate file; {@link readKeystoreFile} unless a test says otherwise. */
  readFile?: (path: string, label: string) => Promise<Buffer>;
  /** Resolves `${env:NAME}` secrets when a keystore or proxy is used. */
  env?: Environment;
  signingKeys?: SigningKeySet[];
  /**
   * Where a builder's current key set comes from when a key signs (the workspace passes one that
   * generates a missing key and rotates a due one); `signingKeys` otherwise.
   */
  signingKeySource?: (builderId: string) => Promise<SigningKeySet | undefined>;
  jwkBaseUrl?: string;
  /**
   * Where generated DPoP proof keys come from (the workspace keeps them sealed in the store);
   * without it, keys are made in memory, one per connection for the registry's life.
   */
  dpopKeySource?: (connectionId: string) => Promise<KeyObject>;
  /** Refuses the use of a keystore or proxy alias the user has not confirmed (workspace trust). */
  guard?: (records: string[]) => void;
}

/** A resolver over lists of keystore entries and proxy aliases; keystores load once. */
export class ResourceRegistry implements ResourceResolver {
  readonly #keystores: Map<string, KeystoreEntry>;
  readonly #proxies: Map<string, ProxyAlias>;
  readonly #loaded = new Map<string, Promise<LoadedKeystore>>();
  readonly #readFile: (path: string, label: string) => Promise<Buffer>;
  readonly #env: Environment;
  readonly #signingKeySource: (builderId: string) => Promise<SigningKeySet | undefined>;
  readonly jwkBaseUrl: string;
  readonly #dpopKeySource: (connectionId: string) => Promise<KeyObject>;
  readonly #guard: (records: string[]) => void;

  constructor(options: ResourceRegistryOptions = {}) {
    const inMemory = new Map<string, Promise<KeyObject>>();
    this.#dpopKeySource =
      options.dpopKeySource ??
      ((id) => {
        let key = inMemory.get(id);
        if (!key) inMemory.set(id, (key = generateDpopKey()));
        return key;
      });
    const sets = options.signingKeys ?? [];
    this.#signingKeySource =
      options.signingKeySource ?? (async (id) => sets.find((s) => s.builderId === id));
    this.jwkBaseUrl = options.jwkBaseUrl ?? `http://127.0.0.1:${DEFAULT_JWK_PORT}`;
    this.#keystores = new Map((options.keystores ?? []).map((k) => [k.name, k]));
    this.#proxies = new Map((options.proxies ?? []).map((p) => [p.name, p]));
    this.#readFile = options.readFile ?? readKeystoreFile;
    this.#env = options.env ?? {};
    this.#guard = options.guard ?? (() => undefined);
  }

  keystore(name: string): Promise<LoadedKeystore> {
    this.#guard([`keystore:${name}`]);
    let loaded = this.#loaded.get(name);
    if (!loaded) {
      loaded = this.#load(name);
      this.#loaded.set(name, loaded);
      loaded.catch(() => this.#loaded.delete(name));
    }
    return loaded;
  }

  dpopKey(connectionId: string): Promise<KeyObject> {
    return this.#dpopKeySource(connectionId);
  }

  async signingKey(builderId: string): Promise<{ privateKey: KeyObject; kid: string }> {
    return activeSigningKey(await this.#signingKeySource(builderId), builderId);
  }

  async proxy(name: string): Promise<ProxySettings> {
    this.#guard([`proxy:${name}`]);
    const found = this.#proxies.get(name);
    if (!found) {
      throw new TokensmithError('not_found', `There is no proxy server alias "${name}".`, {
        field: 'proxyAlias',
      });
    }
    const alias = resolveProxySecrets(found, this.#env);
    return {
      protocol: alias.protocol,
      host: alias.host,
      port: alias.port,
      username: alias.username,
      password: alias.password,
      bypass: alias.bypass,
    };
  }

  async #load(name: string): Promise<LoadedKeystore> {
    const found = this.#keystores.get(name);
    if (!found) {
      throw new TokensmithError('not_found', `There is no keystore or truststore named "${name}".`);
    }
    const entry = resolveKeystoreSecrets(found, this.#env);
    const label = `${entry.purpose} "${name}"`;
    if (entry.kind === 'pkcs11') {
      // Loaded when a token keystore is opened: its native binding only then.
      const { loadPkcs11Keystore } = await import('./keys/pkcs11.js');
      const keystore = loadPkcs11Keystore({
        uri: entry.path,
        module: entry.module,
        pin: entry.password,
        label,
      });
      return { keystore, label };
    }
    const data = await this.#read(entry.path, label);
    const certificateData = entry.certificatePath
      ? await this.#read(entry.certificatePath, label)
      : undefined;
    // Loaded when a keystore is opened: a token request without one starts without node-forge.
    const { loadKeystore } = await import('./keys/keystore.js');
    const keystore = loadKeystore({
      kind: entry.kind,
      data,
      ...(certificateData ? { certificateData } : {}),
      password: entry.password,
      keyPasswords: entry.keyPasswords,
      label,
    });
    return { keystore, label };
  }

  async #read(path: string, label: string): Promise<Buffer> {
    try {
      return await this.#readFile(path, label);
    } catch (cause) {
      if (cause instanceof TokensmithError) throw cause;
      const code = (cause as { code?: string }).code;
      throw new TokensmithError(
        'not_found',
        `The file of ${label} cannot be read (${code ?? 'error'}): ${path}`,
        { cause },
      );
    }
  }
}

/**
 * The key that signs the connection's JWTs: the builder's generated key (z/OS `jwkEnabled`), or
 * the Keystore Name + Signing Alias (`keyStoreRef` + `keyAlias`), refusing an expired certificate.
 * With a builder ID the default issuer is the builder's URL, as z/OS Connect sets it.
 */
export async function resolveSigningKey(
  conn: Connection,
  resources: ResourceResolver,
  now = Date.now(),
): Promise<Extract<SigningKey, { kind: 'private' }>> {
  const {
    keystore: name,
    alias,
    allowExpiredCertificate,
    jwkEnabled,
    builderId,
  } = conn.jwt.signing;
  const issuer = builderId
    ? {
        defaultIssuer: builderIssuer(
          resources.jwkBaseUrl ?? `http://127.0.0.1:${DEFAULT_JWK_PORT}`,
          builderId,
        ),
      }
    : {};
  if (jwkEnabled) {
    if (!builderId || !resources.signingKey) {
      throw new TokensmithError('invalid_input', 'Enter the JWT builder ID of the generated key.', {
        field: 'jwt.signing.builderId',
      });
    }
    const { privateKey, kid } = await resources.signingKey(builderId);
    return { kind: 'private', privateKey, chain: [], kid, ...issuer };
  }
  if (!name) {
    throw new TokensmithError(
      'invalid_input',
      'Choose the Keystore Name whose key signs the JWT.',
      {
        field: 'jwt.signing.keystore',
      },
    );
  }
  const { keystore, label } = await resources.keystore(name);
  const chosen = alias || (keystore.entries.length === 1 ? (keystore.entries[0]?.alias ?? '') : '');
  if (!chosen) {
    throw new TokensmithError('invalid_input', `Choose the Signing Alias in ${label}.`, {
      field: 'jwt.signing.alias',
    });
  }
  const entry = findEntry(keystore, chosen, label);
  const privateKey = requirePrivateKey(entry, label);
  const leaf = entry.chain[0];
  if (leaf && isExpired(leaf, now) && !allowExpiredCertificate) {
    throw new TokensmithError(
      'certificate_expired',
      `The certificate of "${entry.alias}" in ${label} expired on ${new Date(leaf.validTo).toISOString().slice(0, 10)}; servers reject assertions signed with it. Generate or import a new key pair.`,
      { field: 'jwt.signing.alias' },
    );
  }
  // Under a builder ID the key is published at its JWKS (seed 001): its JWTs send the kid it is
  // published under, so a verifier finds it there by kid.
  const kid = builderId
    ? await publishedKid(conn.jwt.header, { privateKey, chain: entry.chain })
    : undefined;
  return { kind: 'private', privateKey, chain: entry.chain, ...(kid ? { kid } : {}), ...issuer };
}

/**
 * The DPoP proof key of a connection (RFC 9449): the key Tokensmith generated for it, or the
 * private key of the DPoP Keystore Name + Key Alias.
 */
export async function resolveDpopKey(
  conn: Connection,
  resources: ResourceResolver,
): Promise<KeyObject> {
  const { keySource, keystore: name, alias } = conn.dpop;
  if (keySource === 'generated') {
    if (!resources.dpopKey)
      throw new TokensmithError('unsupported', 'Generated DPoP keys need a store to keep them.');
    return resources.dpopKey(conn.id);
  }
  if (!name)
    throw new TokensmithError('invalid_input', 'Choose the Keystore Name of the DPoP proof key.', {
      field: 'dpop.keystore',
    });
  const { keystore, label } = await resources.keystore(name);
  const chosen = alias || (keystore.entries.length === 1 ? (keystore.entries[0]?.alias ?? '') : '');
  if (!chosen)
    throw new TokensmithError(
      'invalid_input',
      `Choose the Key Alias of the DPoP key in ${label}.`,
      {
        field: 'dpop.alias',
      },
    );
  return requirePrivateKey(findEntry(keystore, chosen, label), label);
}

/** The connection's network profile: SSL Connection section, proxy alias, timeouts. */
export async function networkProfileFor(
  conn: Connection,
  resources: ResourceResolver,
  now = Date.now(),
): Promise<NetworkProfile> {
  const profile: NetworkProfile = {
    ...DEFAULT_NETWORK_PROFILE,
    connectTimeoutMs: conn.timeouts.connectSeconds * 1000,
    readTimeoutMs: conn.timeouts.readSeconds * 1000,
  };
  if (conn.proxyAlias) profile.proxy = await resources.proxy(conn.proxyAlias);
  if (conn.ssl.enabled) {
    if (conn.ssl.truststoreAlias) {
      const { keystore } = await resources.keystore(conn.ssl.truststoreAlias);
      profile.trustedCertificates = keystore.entries.flatMap((e) =>
        e.chain.map((c) => c.toString()),
      );
    }
    if (conn.ssl.keystoreAlias) {
      const { keystore, label } = await resources.keystore(conn.ssl.keystoreAlias);
      const alias =
        conn.ssl.keyAlias ||
        (keystore.entries.length === 1 ? (keystore.entries[0]?.alias ?? '') : '');
      if (!alias) {
        throw new TokensmithError(
          'invalid_input',
          `Choose the Key Alias of the client certificate in ${label}.`,
          {
            field: 'ssl.keyAlias',
          },
        );
      }
      const entry = findEntry(keystore, alias, label);
      const key = requirePrivateKey(entry, label);
      const leaf = entry.chain[0];
      if (!leaf) {
        throw new TokensmithError(
          'keystore_no_key',
          `The alias "${alias}" in ${label} has no certificate to present.`,
        );
      }
      if (isExpired(leaf, now)) {
        throw new TokensmithError(
          'certificate_expired',
          `The client certificate "${alias}" in ${label} expired on ${new Date(leaf.validTo).toISOString().slice(0, 10)}.`,
          { field: 'ssl.keyAlias' },
        );
      }
      if (key.type === 'public') {
        // A token key (keys/token-keys.ts): Node's TLS takes the client key as PEM or DER only.
        throw new TokensmithError(
          'unsupported',
          `The client certificate "${alias}" in ${label} has its key on a PKCS#11 token; Node's TLS cannot use a key that stays on a token, so mTLS needs an exportable key (a PKCS#12, JKS or PEM keystore). JWT signing and DPoP proofs can use the token key.`,
          { field: 'ssl.keystoreAlias' },
        );
      }
      profile.clientCertificate = {
        key: key.export({ type: 'pkcs8', format: 'pem' }) as string,
        cert: entry.chain.map((c) => c.toString()).join(''),
        ...certificateNames(leaf),
      };
    }
  }
  return profile;
}
