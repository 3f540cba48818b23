/**
 * The key files a provider's console hands out (issue 25, item 2), read as hostile input: a
 * Google service-account key JSON (its private key signs a JWT bearer grant: iss = client_email,
 * aud = token_uri, kid = private_key_id), or a certificate with its private key (PKCS#12 or PEM)
 * for Entra, Salesforce and the private_key_jwt profiles. Only the named members are read; a file
 * of the wrong kind is refused. A private key that arrives unencrypted is kept encrypted (PKCS#8
 * with a random passphrase held as the keystore's secret): it never reaches disk in plain text.
 */
import { createPrivateKey, randomBytes, type KeyObject, type X509Certificate } from 'node:crypto';
import * as z from 'zod';
import type { ProviderProfile } from '../../../shared/providers/index.js';
import { TokensmithError } from '../errors.js';
import { detectKeystoreKind, loadKeystore } from '../keys/keystore.js';
import { toPem } from '../keys/certificate.js';

export interface CredentialFile {
  fileName: string;
  data: Buffer;
  /** Opens a PKCS#12 file or an encrypted PEM key. */
  password?: string;
}

/** What a credential file becomes: a keystore to import, and what it sets on the connection. */
export interface ProviderCredentials {
  keystore: { kind: 'pem' | 'pkcs12'; fileName: string; data: Buffer; password: string };
  alias: string;
  /** Applied to the connection record before the user's own field flags. */
  apply(record: Record<string, unknown>, keystoreName: string): void;
  notes: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

function refuse(message: string): never {
  throw new TokensmithError('invalid_input', message, { field: 'keyFile' });
}

const googleKey = z.object({
  type: z.string(),
  private_key: z.string().max(20_000),
  client_email: z.string().regex(/^[^\s@]{1,200}@[^\s@]{1,200}$/, 'an email address'),
  private_key_id: z
    .string()
    .regex(/^[0-9a-f]{1,128}$/i, 'hex digits')
    .optional(),
  token_uri: z.string().max(2000).optional(),
});

/** A PEM holding the key encrypted with a new random passphrase, then its certificates. */
export function sealedPem(key: KeyObject, chain: readonly X509Certificate[]) {
  const password = randomBytes(32).toString('base64url');
  const pem = key.export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: password,
  });
  return { data: Buffer.from([pem, ...chain.map((c) => toPem(c))].join('\n')), password };
}

function setIn(record: Record<string, unknown>, path: string[], value: unknown): void {
  let node = record;
  for (const p of path.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function tokenUriOf(value: string | undefined, fileName: string): string {
  const uri = value ?? GOOGLE_TOKEN_URI;
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  if (
    !url ||
    !(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
  )
    refuse(`The token_uri of ${fileName} is not an https:// URL.`);
  return url.href;
}

function readGoogleKey(file: CredentialFile, text: string): ProviderCredentials {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    refuse(
      `${file.fileName} is not valid JSON: a Google service-account key file is the JSON Google downloads.`,
    );
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type !== 'service_account')
    refuse(
      `${file.fileName} is a Google "${type.slice(0, 40)}" credential, not a service-account key (type "service_account"): create a key under IAM → Service accounts → Keys.`,
    );
  const parsed = googleKey.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(
      `${file.fileName} is not a Google service-account key file: ${issue?.path.join('.') || 'its content'} ${issue?.message ?? 'is wrong'}.`,
    );
  }
  const k = parsed.data;
  if (k.type !== 'service_account')
    refuse(`${file.fileName} is not a Google service-account key file (type "service_account").`);
  let key: KeyObject;
  try {
    key = createPrivateKey(k.private_key);
  } catch {
    refuse(`The private_key of ${file.fileName} is not a PEM private key.`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    refuse(`The private_key of ${file.fileName} is not an RSA key: Google signs RS256 only.`);
  const tokenUri = tokenUriOf(k.token_uri, file.fileName);
  const sealed = sealedPem(key, []);
  const notes =
    new URL(tokenUri).hostname === 'oauth2.googleapis.com'
      ? []
      : [`token_uri is ${tokenUri}, not Google's: the signed assertion is sent there.`];
  return {
    keystore: { kind: 'pem', fileName: 'service-account.pem', ...sealed },
    alias: 'key',
    notes,
    apply(record, keystoreName) {
      record.tokenEndpoint = tokenUri;
      setIn(record, ['jwt', 'claims', 'issuer'], k.client_email);
      // sub: the user to act as (domain-wide delegation, --subject), else the account itself.
      setIn(record, ['jwt', 'claims', 'subject'], k.client_email);
      setIn(record, ['jwt', 'header', 'includeX5t'], false);
      setIn(record, ['jwt', 'header', 'includeKid'], Boolean(k.private_key_id));
      if (k.private_key_id) setIn(record, ['jwt', 'header', 'kid'], k.private_key_id);
      setIn(record, ['jwt', 'signing', 'keystore'], keystoreName);
      setIn(record, ['jwt', 'signing', 'alias'], 'key');
    },
  };
}

function readCertificate(
  profile: ProviderProfile,
  file: CredentialFile,
  text: string,
): ProviderCredentials {
  const kind = detectKeystoreKind(file.fileName, file.data);
  if (kind !== 'pkcs12' && kind !== 'pem')
    refuse(
      `${file.fileName} is a ${kind.toUpperCase()} keystore: give the certificate and its key as PKCS#12 (.pfx/.p12) or PEM.`,
    );
  if (kind === 'pem' && !text.includes('-----BEGIN '))
    refuse(
      `${file.fileName} is neither PKCS#12 (.pfx/.p12) nor PEM: give the certificate with its private key.`,
    );
  const store = loadKeystore({
    kind,
    data: file.data,
    password: file.password ?? '',
    label: file.fileName,
  });
  const entry = store.entries.find((e) => e.privateKey);
  if (!entry?.privateKey)
    refuse(
      `${file.fileName} holds no private key: ${profile.label} needs the certificate together with its private key, which signs the JWT.`,
    );
  const [leaf] = entry.chain;
  if (!leaf && profile.assertion?.headerOneOf.some((h) => h.startsWith('x5t')))
    refuse(
      `${file.fileName} holds a private key but not its certificate: ${profile.label} names the certificate by its thumbprint (x5t), so the file must hold both.`,
    );
  const keystore =
    kind === 'pkcs12'
      ? { kind, fileName: file.fileName, data: file.data, password: file.password ?? '' }
      : { kind, fileName: 'certificate.pem', ...sealedPem(entry.privateKey, entry.chain) };
  const alias = kind === 'pkcs12' ? entry.alias : 'key';
  return {
    keystore,
    alias,
    notes: [],
    apply(record, keystoreName) {
      setIn(record, ['jwt', 'signing', 'keystore'], keystoreName);
      setIn(record, ['jwt', 'signing', 'alias'], alias);
    },
  };
}

/** Reads a provider's credential file, refusing one of the wrong kind with a clear message. */
export function readProviderCredentials(
  profile: ProviderProfile,
  file: CredentialFile,
): ProviderCredentials {
  if (!profile.credentials)
    refuse(`${profile.label} takes no key file: it authenticates with the client ID and secret.`);
  const text = file.data.subarray(0, 200_000).toString('utf8');
  const json = /^\s*(?:\uFEFF)?\{/.test(text);
  if (profile.credentials === 'google_service_account') {
    if (!json)
      refuse(
        `${file.fileName} is not a Google service-account key file${text.includes('-----BEGIN ') || file.data[0] === 0x30 ? ' (it looks like a certificate or key file)' : ''}: give the JSON key (IAM → Service accounts → Keys → Add key → JSON).`,
      );
    return readGoogleKey(file, text);
  }
  if (json)
    refuse(
      `${file.fileName} is a JSON file${/"service_account"/.test(text) ? ' (a Google service-account key)' : ''}, not a certificate: ${profile.label} needs the certificate with its private key, as PKCS#12 (.pfx/.p12) or PEM.`,
    );
  return readCertificate(profile, file, text);
}

/** Whether opening the file needs a password (PKCS#12, or an encrypted PEM key). */
export function credentialFileNeedsPassword(file: Omit<CredentialFile, 'password'>): boolean {
  const text = file.data.subarray(0, 200_000).toString('utf8');
  if (/^\s*(?:\uFEFF)?\{/.test(text)) return false;
  const kind = detectKeystoreKind(file.fileName, file.data);
  if (kind === 'pkcs12') return true;
  return /ENCRYPTED/.test(text);
}
