/**
 * Named resources a connection refers to: keystores and truststores (by Keystore Name /
 * Truststore Alias) and proxy server aliases (CloudStreams Proxy Server Alias).
 */
import * as z from 'zod';
import { NAME_MAX, singleLine } from './connection-types/base.js';

/** pkcs11: keys on a token (smart card, HSM), named by an RFC 7512 URI; they never leave it. */
export const KEYSTORE_KINDS = ['pkcs12', 'jks', 'pem', 'pkcs11'] as const;
export type KeystoreKind = (typeof KEYSTORE_KINDS)[number];

export const keystoreEntry = z.object({
  name: singleLine('A name')
    .trim()
    .min(1, 'Name is required')
    .max(NAME_MAX, `A name is at most ${NAME_MAX} characters`),
  /** A keystore holds keys; a truststore only certificates that are trusted for TLS. */
  purpose: z.enum(['keystore', 'truststore']).default('keystore'),
  kind: z.enum(KEYSTORE_KINDS),
  /**
   * PKCS#12 / JKS file, or for PEM the private key file (it may also hold the chain); for
   * PKCS#11 the token's URI (`pkcs11:token=LABEL;object=KEY`, RFC 7512).
   */
  path: singleLine('A file path').min(1, 'Choose a file'),
  /** PKCS#11 only: the module (shared library) that reaches the token. */
  module: singleLine('A file path').default(''),
  /** PEM only: the certificate chain when it is not in the key file. */
  certificatePath: singleLine('A file path').default(''),
  /** Store password (PKCS#12, JKS), the passphrase of an encrypted PEM key, or the token PIN. */
  password: z.string().default(''),
  /** JKS keys whose password differs from the store password, by alias. */
  keyPasswords: z.record(z.string(), z.string()).default({}),
});
export type KeystoreEntry = z.infer<typeof keystoreEntry>;
export type KeystoreEntryInput = z.input<typeof keystoreEntry>;

/** Host names or patterns (`example.com`, `.corp.example`, `*`, `host:port`) that go direct. */
export const proxyAlias = z.object({
  name: singleLine('A name')
    .trim()
    .min(1, 'Name is required')
    .max(NAME_MAX, `A name is at most ${NAME_MAX} characters`),
  enabled: z.boolean().default(true),
  protocol: z.enum(['http', 'https']).default('http'),
  host: singleLine('A host').trim().min(1, 'Host is required'),
  port: z.coerce.number().int().min(1).max(65535),
  username: singleLine('A user name').default(''),
  password: z.string().default(''),
  bypass: z.array(singleLine('A bypass entry').trim().min(1)).default([]),
});
export type ProxyAlias = z.infer<typeof proxyAlias>;
export type ProxyAliasInput = z.input<typeof proxyAlias>;
