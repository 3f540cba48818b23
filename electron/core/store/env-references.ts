/**
 * Secret references, stored as written and resolved only when a secret is used, so a
 * configuration can be shared without its secrets: `${env:NAME}` (the environment),
 * `${keychain:NAME}` (the OS keychain, service `tokensmith`, account NAME) and `${file:PATH}`
 * (an absolute or `~/` path: the file's text, less one trailing newline).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Connection } from '../../../shared/connection.js';
import type { KeystoreEntry, ProxyAlias } from '../../../shared/resources.js';
import { forEachSecret, isSecretReference, type SecretOwner } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { keychainProblem, osKeychain } from './os-keychain.js';

export type Environment = Record<string, string | undefined>;

/** A secret file is small: a password, a client secret, a JWT. */
const MAX_SECRET_FILE = 64 * 1024;

function invalid(message: string, detail: Record<string, unknown>): TokensmithError {
  return new TokensmithError('invalid_input', message, { detail });
}

function fromEnvironment(name: string, env: Environment, where: string): string {
  const value = env[name];
  if (value === undefined)
    throw invalid(`${where} refers to the environment variable ${name}, which is not set.`, {
      variable: name,
    });
  return value;
}

function fromKeychain(name: string, where: string): string {
  const keychain = osKeychain();
  let value: string | null;
  try {
    if (keychain instanceof Error) throw keychain;
    value = keychain.get(name);
  } catch (e) {
    throw invalid(
      `${where} refers to "${name}" in the OS keychain, which cannot be reached: ${keychainProblem(e)}.`,
      { keychain: name },
    );
  }
  if (value === null)
    throw invalid(
      `${where} refers to "${name}" in the OS keychain (service tokensmith), which holds no such entry.`,
      { keychain: name },
    );
  return value;
}

function fromFile(path: string, where: string): string {
  const full = path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
  if (!isAbsolute(full))
    throw invalid(`${where} refers to the file "${path}": write an absolute or ~/ path.`, {
      file: path,
    });
  let fd: number | undefined;
  try {
    // Non-blocking open: a FIFO or device named here is refused, not waited on.
    fd = openSync(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('it is not a regular file');
    if (stat.size > MAX_SECRET_FILE) throw new Error('it is larger than 64 KB');
    const buffer = Buffer.alloc(stat.size);
    const read = readSync(fd, buffer, 0, stat.size, 0);
    return buffer
      .subarray(0, read)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw invalid(`${where} refers to the file ${path}, which cannot be read (${reason}).`, {
      file: path,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The value a secret stands for: a reference resolved, anything else as it is. */
export function resolveReference(value: string, env: Environment, where: string): string {
  if (!isSecretReference(value)) return value;
  const inner = value.slice(2, -1);
  const colon = inner.indexOf(':');
  const [kind, name] = [inner.slice(0, colon), inner.slice(colon + 1)];
  if (kind === 'env') return fromEnvironment(name, env, where);
  if (kind === 'keychain') return fromKeychain(name, where);
  return fromFile(name, where);
}

function resolveRecord<T>(owner: SecretOwner, record: T, env: Environment, label: string): T {
  const copy = structuredClone(record) as Record<string, unknown>;
  forEachSecret(owner, copy, (path, value, set) => {
    if (isSecretReference(value)) set(resolveReference(value, env, `${path} of ${label}`));
  });
  return copy as T;
}

export function resolveConnectionSecrets(conn: Connection, env: Environment): Connection {
  return resolveRecord('connection', conn, env, `connection "${conn.name}"`);
}

export function resolveKeystoreSecrets(entry: KeystoreEntry, env: Environment): KeystoreEntry {
  return resolveRecord('keystore', entry, env, `keystore "${entry.name}"`);
}

export function resolveProxySecrets(proxy: ProxyAlias, env: Environment): ProxyAlias {
  return resolveRecord('proxy', proxy, env, `proxy alias "${proxy.name}"`);
}
