/**
 * The secrets of a connections file, sealed with a passphrase: scrypt (RFC 7914) derives an
 * AES-256-GCM key. The file's scrypt parameters are untrusted: import refuses any above what the
 * exporter writes before it derives a key, and derives it asynchronously
 * ({@link unsealImportSecrets}), so a hostile file can neither hold the process for long nor
 * block its event loop.
 */
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt,
  type ScryptOptions,
} from 'node:crypto';
import * as z from 'zod';
import type { ImportProblem } from '../../../shared/transfer.js';
import { TokensmithError } from '../errors.js';

export const sealedSecrets = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type SealedSecrets = z.infer<typeof sealedSecrets>;

/**
 * scrypt cost of new exports (RFC 7914): N = 2^17, r = 8, p = 1, as OWASP's password storage
 * guidance recommends; about 128 MB and a few hundred milliseconds per derivation. Files written
 * before (N = 2^15) still import. Argon2id is not used: Electron's BoringSSL has no Argon2 in
 * node:crypto, and scrypt at this cost needs no extra dependency.
 */
export const EXPORT_SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const;

/** The shortest passphrase an export accepts, in characters. */
export const MIN_PASSPHRASE_LENGTH = 12;

type ScryptParams = { N: number; r: number; p: number };

const scryptOptions = ({ N, r, p }: ScryptParams): ScryptOptions => ({
  N,
  r,
  p,
  // Node refuses when 128 * N * r * p exceeds maxmem; leave room above that.
  maxmem: 256 * N * r * p,
});

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, scryptOptions(params), (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Refuses a passphrase too short to protect the exported secrets. */
export function checkPassphrase(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new TokensmithError(
      'invalid_input',
      `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long: it is all that protects the exported secrets. Four or more unrelated words make a strong one that is easy to type.`,
      { field: 'passphrase' },
    );
  }
}

function sealWith(values: Record<string, string>, key: Buffer, salt: Buffer): SealedSecrets {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...EXPORT_SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The secrets sealed with a key derived from the passphrase (at the cost of new exports). */
export async function sealSecrets(
  values: Record<string, string>,
  passphrase: string,
): Promise<SealedSecrets> {
  const salt = randomBytes(16);
  return sealWith(values, await deriveKey(passphrase, salt, EXPORT_SCRYPT), salt);
}

/** What {@link unsealImportSecrets} found: the secrets, or the problem to report at /secrets. */
export type UnsealedSecrets = { values: Record<string, string> } | { problem: ImportProblem };

const WITHIN_EXPORT_LIMITS = (params: ScryptParams): boolean =>
  Number.isInteger(params.N) &&
  params.N >= 2 &&
  params.N <= EXPORT_SCRYPT.N &&
  (params.N & (params.N - 1)) === 0 &&
  params.r >= 1 &&
  params.r <= EXPORT_SCRYPT.r &&
  params.p >= 1 &&
  params.p <= EXPORT_SCRYPT.p;

/**
 * Decrypts the secrets of a connections file with the passphrase, before the store is locked.
 * Returns undefined when there is nothing to decrypt here (no passphrase, no `secrets`, or a
 * file that {@link planImport} will refuse for its shape). scrypt parameters above
 * {@link EXPORT_SCRYPT} are refused without deriving anything; the derivation runs on libuv's
 * thread pool, never on the event loop.
 */
export async function unsealImportSecrets(
  text: string,
  passphrase: string | undefined,
): Promise<UnsealedSecrets | undefined> {
  if (!passphrase) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = sealedSecrets.safeParse((json as { secrets?: unknown } | null)?.secrets);
  if (!parsed.success) return undefined;
  const sealed = parsed.data;
  const problem = (message: string): UnsealedSecrets => ({
    problem: { pointer: '/secrets', message },
  });
  if (!WITHIN_EXPORT_LIMITS(sealed)) {
    return problem(
      `The file asks for scrypt parameters N=${sealed.N}, r=${sealed.r}, p=${sealed.p}, above what Tokensmith writes (N=${EXPORT_SCRYPT.N}, r=${EXPORT_SCRYPT.r}, p=${EXPORT_SCRYPT.p}): it was not opened.`,
    );
  }
  const salt = Buffer.from(sealed.salt, 'base64');
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (salt.length === 0 || iv.length !== 12 || tag.length !== 16) {
    return problem('The encrypted secrets are damaged (salt, IV or tag of the wrong size).');
  }
  let key: Buffer;
  try {
    key = await deriveKey(passphrase, salt, sealed);
  } catch {
    return problem('The encrypted secrets cannot be opened (scrypt refused the parameters).');
  }
  let values: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]);
    values = JSON.parse(plain.toString('utf8'));
  } catch {
    return problem('Wrong passphrase: the secrets in this file cannot be decrypted.');
  }
  if (
    !values ||
    typeof values !== 'object' ||
    Array.isArray(values) ||
    Object.values(values).some((v) => typeof v !== 'string')
  ) {
    return problem('The encrypted secrets are not a list of secret values.');
  }
  return { values: values as Record<string, string> };
}
