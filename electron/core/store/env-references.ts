/**
 * `${env:NAME}` secret references: stored as written, resolved from the environment only when
 * a secret is used, so a configuration can be shared without its secrets.
 */
import type { Connection } from '../../../shared/connection.js';
import type { KeystoreEntry, ProxyAlias } from '../../../shared/resources.js';
import { ENV_REFERENCE, forEachSecret, type SecretOwner } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';

export type Environment = Record<string, string | undefined>;

export function resolveReference(value: string, env: Environment, where: string): string {
  const match = ENV_REFERENCE.exec(value);
  if (!match) return value;
  const name = match[1] as string;
  const resolved = env[name];
  if (resolved === undefined) {
    throw new TokensmithError(
      'invalid_input',
      `${where} refers to the environment variable ${name}, which is not set.`,
      {
        detail: { variable: name },
      },
    );
  }
  return resolved;
}

function resolveRecord<T>(owner: SecretOwner, record: T, env: Environment, label: string): T {
  const copy = structuredClone(record) as Record<string, unknown>;
  forEachSecret(owner, copy, (path, value, set) => {
    if (ENV_REFERENCE.test(value)) set(resolveReference(value, env, `${path} of ${label}`));
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
