/**
 * Keystores and truststores: list with their aliases, import (a wrong password or damaged file
 * refused before anything is written), generate a key pair, export a certificate or the JWKS,
 * delete (only the files Tokensmith wrote into its own folder), inspect a certificate.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { CertificateInfo } from '../../../shared/certificate-info.js';
import type { KeystoreSummary } from '../../../shared/contract.js';
import { keystoreEntry, type KeystoreEntry, type KeystoreKind } from '../../../shared/resources.js';
import type { StoreDocument } from '../../../shared/store-model.js';
import { TokensmithError, toErrorData } from '../errors.js';
import { describeCertificate, parseCertificate } from '../keys/certificate.js';
import { toJwks } from '../keys/jwks.js';
import { entryToPem, generateKeyPair, type KeyAlgorithm } from '../keys/keygen.js';
import { detectKeystoreKind, findEntry, listAliases, loadKeystore } from '../keys/keystore.js';
import { readKeystoreFile } from '../keys/keystore-file.js';
import type { Session } from './session.js';

const safeFileName = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'keystore';
const keystoreDir = (session: Session) => session.workspace.keystoreDir;

async function summary(
  session: Session,
  entry: KeystoreEntry,
  doc: StoreDocument,
): Promise<KeystoreSummary> {
  const out: KeystoreSummary = {
    name: entry.name,
    purpose: entry.purpose,
    kind: entry.kind,
    fileName: entry.kind === 'pkcs11' ? entry.path : basename(entry.path),
    aliases: [],
  };
  try {
    const { keystore } = await session.workspace.registry(doc).keystore(entry.name);
    out.aliases = listAliases(keystore);
  } catch (e) {
    out.error = toErrorData(e);
  }
  return out;
}

export async function listKeystores(session: Session): Promise<KeystoreSummary[]> {
  const doc = await session.workspace.store.read();
  return Promise.all(doc.keystores.map((k) => summary(session, k, doc)));
}

export interface KeystoreImport {
  name: string;
  purpose: 'keystore' | 'truststore';
  kind?: KeystoreKind;
  fileName: string;
  data: Buffer;
  certificateFileName?: string;
  certificateData?: Buffer;
  password: string;
  keyPasswords: Record<string, string>;
  replace: boolean;
  /** Kept instead of the password (which opened the file): a `${env:…}`-style reference. */
  passwordReference?: string;
  /** Where the file is (CLI): a file already inside the workspace folder is used where it is. */
  sourcePath?: string;
  /** PKCS#11 (kind `pkcs11`): the token's RFC 7512 URI, and its module; the password is the PIN. */
  uri?: string;
  module?: string;
}

/** Opens a token keystore (checks module, token, PIN and objects); loads its binding on use. */
async function openToken(entry: { path: string; module: string }, pin: string, label: string) {
  const { loadPkcs11Keystore } = await import('../keys/pkcs11.js');
  return loadPkcs11Keystore({ uri: entry.path, module: entry.module, pin, label });
}

async function saveEntry(session: Session, entry: KeystoreEntry, replace: boolean) {
  return session.workspace.store.update((d) => {
    const i = d.keystores.findIndex((k) => k.name === entry.name);
    if (i >= 0 && !replace)
      throw new TokensmithError(
        'invalid_input',
        `A keystore named "${entry.name}" already exists.`,
        {
          field: 'name',
        },
      );
    if (i >= 0) d.keystores[i] = entry;
    else d.keystores.push(entry);
  });
}

/** A PKCS#11 keystore: nothing is copied, the URI and module are kept, the PIN sealed. */
async function importToken(session: Session, req: KeystoreImport): Promise<KeystoreSummary> {
  const where = { path: req.uri ?? '', module: req.module ? resolve(req.module) : '' };
  await openToken(where, req.password, `${req.purpose} "${req.name}"`);
  const entry = keystoreEntry.parse({
    name: req.name,
    purpose: req.purpose,
    kind: 'pkcs11',
    ...where,
    password: req.passwordReference ?? req.password,
  });
  return summary(session, entry, await saveEntry(session, entry, req.replace));
}

/** The file's path relative to the workspace folder when it lies inside it. */
function insideFolder(session: Session, path: string | undefined): string | undefined {
  const folder = session.workspace.folder?.path;
  if (!folder || !path) return undefined;
  const abs = resolve(path);
  return abs.startsWith(folder + sep) ? abs : undefined;
}

export async function importKeystore(
  session: Session,
  req: KeystoreImport,
): Promise<KeystoreSummary> {
  if (req.kind === 'pkcs11' || req.uri !== undefined) return importToken(session, req);
  const kind = req.kind ?? detectKeystoreKind(req.fileName, req.data);
  // Refuse a wrong password or a damaged file before anything is written.
  loadKeystore({
    kind,
    data: req.data,
    ...(req.certificateData ? { certificateData: req.certificateData } : {}),
    password: req.password,
    keyPasswords: req.keyPasswords,
    label: `${req.purpose} "${req.name}"`,
  });
  const dir = keystoreDir(session);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stem = `${safeFileName(req.name)}-${randomBytes(4).toString('hex')}`;
  let path = insideFolder(session, req.sourcePath);
  if (!path) {
    path = join(dir, `${stem}${extname(req.fileName) || `.${kind}`}`);
    await writeFile(path, req.data, { mode: 0o600 });
  }
  let certificatePath = '';
  if (req.certificateData) {
    certificatePath = join(dir, `${stem}-chain${extname(req.certificateFileName ?? '') || '.pem'}`);
    await writeFile(certificatePath, req.certificateData, { mode: 0o600 });
  }
  const entry = keystoreEntry.parse({
    name: req.name,
    purpose: req.purpose,
    kind,
    path,
    certificatePath,
    password: req.passwordReference ?? req.password,
    keyPasswords: req.keyPasswords,
  });
  return summary(session, entry, await saveEntry(session, entry, req.replace));
}

/**
 * Whether Tokensmith wrote this file: its real path is directly inside the real keystores folder.
 * A path from an imported file (`../`, a symlink, another folder) is never deleted.
 */
async function ownedFile(session: Session, path: string): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    const [dir, real] = await Promise.all([realpath(keystoreDir(session)), realpath(path)]);
    return dirname(real) === dir && real.startsWith(dir + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Enters a keystore's passphrase again (it was lost, changed, or never brought by an import):
 * refused unless it opens the keystore file, and nothing is saved then.
 */
export async function setKeystorePassword(
  session: Session,
  req: { name: string; password: string; keyPasswords?: Record<string, string> },
): Promise<KeystoreSummary> {
  const doc = await session.workspace.store.read();
  const entry = doc.keystores.find((k) => k.name === req.name);
  if (!entry) throw new TokensmithError('not_found', `There is no keystore named "${req.name}".`);
  // A workspace's keystore file outside its folder is read only once the user confirmed it.
  session.workspace.guard([`keystore:${entry.name}`]);
  const label = `${entry.purpose} "${entry.name}"`;
  if (entry.kind === 'pkcs11') await openToken(entry, req.password, label);
  else
    loadKeystore({
      kind: entry.kind,
      data: await readKeystoreFile(entry.path, label),
      ...(entry.certificatePath
        ? { certificateData: await readKeystoreFile(entry.certificatePath, label) }
        : {}),
      password: req.password,
      keyPasswords: req.keyPasswords ?? entry.keyPasswords,
      label,
    });
  const saved = await session.workspace.store.update((d) => {
    const k = d.keystores.find((x) => x.name === req.name);
    if (k) {
      k.password = req.password;
      if (req.keyPasswords) k.keyPasswords = req.keyPasswords;
    }
  });
  return summary(session, saved.keystores.find((k) => k.name === req.name) as KeystoreEntry, saved);
}

export async function deleteKeystore(session: Session, name: string): Promise<boolean> {
  let removed: KeystoreEntry | undefined;
  await session.workspace.store.update((doc) => {
    const users = doc.connections.filter((c) =>
      [c.jwt.signing.keystore, c.ssl.keystoreAlias, c.ssl.truststoreAlias].includes(name),
    );
    if (users.length)
      throw new TokensmithError(
        'invalid_input',
        `"${name}" is used by ${users.map((c) => `"${c.name}"`).join(', ')}; change those connections first.`,
      );
    removed = doc.keystores.find((k) => k.name === name);
    doc.keystores = doc.keystores.filter((k) => k.name !== name);
  });
  if (removed) {
    const doc = await session.workspace.store.read();
    // Another entry may still use the same file (an import under two names).
    const inUse = new Set(doc.keystores.flatMap((k) => [k.path, k.certificatePath]));
    for (const file of [removed.path, removed.certificatePath]) {
      const owned = !inUse.has(file) ? await ownedFile(session, file) : undefined;
      if (owned) await rm(owned, { force: true });
    }
  }
  return removed !== undefined;
}

export async function generateKeystore(
  session: Session,
  req: { name: string; algorithm: KeyAlgorithm; subject: string; validityDays: number },
): Promise<KeystoreSummary> {
  const entry = await generateKeyPair({
    algorithm: req.algorithm,
    subject: req.subject,
    validityDays: req.validityDays,
    alias: 'key',
  });
  const passphrase = randomBytes(24).toString('base64url');
  const dir = keystoreDir(session);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${safeFileName(req.name)}-${randomBytes(4).toString('hex')}.pem`);
  await writeFile(path, entryToPem(entry, passphrase), { mode: 0o600 });
  const stored = keystoreEntry.parse({ name: req.name, kind: 'pem', path, password: passphrase });
  const doc = await session.workspace.store.update((d) => {
    if (d.keystores.some((k) => k.name === req.name))
      throw new TokensmithError('invalid_input', `A keystore named "${req.name}" already exists.`, {
        field: 'name',
      });
    d.keystores.push(stored);
  });
  return summary(session, stored, doc);
}

export async function exportCertificate(
  session: Session,
  name: string,
  alias: string,
): Promise<{ fileName: string; pem: string }> {
  const doc = await session.workspace.store.read();
  const { keystore, label } = await session.workspace.registry(doc).keystore(name);
  const entry = findEntry(keystore, alias, label);
  if (!entry.chain[0])
    throw new TokensmithError('keystore_no_key', `The alias "${alias}" has no certificate.`);
  return { fileName: `${safeFileName(alias)}.pem`, pem: entry.chain[0].toString() };
}

export async function exportKeystoreJwks(
  session: Session,
  name: string,
): Promise<{ fileName: string; jwks: { keys: Array<Record<string, unknown>> } }> {
  const doc = await session.workspace.store.read();
  const { keystore } = await session.workspace.registry(doc).keystore(name);
  const withKeys = keystore.entries.filter((e) => e.chain.length > 0 || e.privateKey);
  return {
    fileName: `${safeFileName(name)}.jwks.json`,
    jwks: (await toJwks(withKeys)) as { keys: Array<Record<string, unknown>> },
  };
}

export function inspectCertificate(data: Buffer, fileName: string): CertificateInfo {
  return describeCertificate(parseCertificate(data, fileName));
}
