/**
 * A workspace record's secrets, kept apart from its shared file. A reference (`${env:NAME}`…) is
 * not a secret: it goes in the file. A value goes to the user's own state; the file keeps the
 * reference it had, if any, and the user's value takes precedence over it (a developer's own
 * client secret over the `${env:…}` the pipeline uses).
 */
import {
  SECRET_PATHS,
  forEachSecret,
  isSecretReference,
  type SecretOwner,
} from '../../../shared/store-model.js';

/** Sets a secret path (`client.secret`, `keyPasswords.<alias>`) on a record. */
function setSecretAt(
  owner: SecretOwner,
  record: Record<string, unknown>,
  path: string,
  value: string,
) {
  const wildcard = SECRET_PATHS[owner].find(
    (p) => p.endsWith('.*') && path.startsWith(p.slice(0, -1)),
  );
  const parts = wildcard
    ? [...wildcard.slice(0, -2).split('.'), path.slice(wildcard.length - 1)]
    : path.split('.');
  const last = parts.pop() as string;
  let node = record;
  for (const part of parts) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  if (value === '' && wildcard) delete node[last];
  else node[last] = value;
}

function valueAt(record: Record<string, unknown> | undefined, path: string): unknown {
  let node: unknown = record;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/**
 * The record as its shared file holds it, and the secret values to keep for the user. `raw`:
 * the record as its file gave it, whose references are kept where the user has a value.
 */
export function splitSecrets(
  owner: SecretOwner,
  record: Record<string, unknown>,
  raw?: Record<string, unknown>,
): { shared: Record<string, unknown>; secrets: Record<string, string> } {
  const shared = structuredClone(record);
  const secrets: Record<string, string> = {};
  const values: Array<[string, string]> = [];
  forEachSecret(owner, shared, (path, value) => {
    if (!isSecretReference(value)) values.push([path, value]);
  });
  for (const [path, value] of values) {
    secrets[path] = value;
    const before = valueAt(raw, path);
    setSecretAt(
      owner,
      shared,
      path,
      typeof before === 'string' && isSecretReference(before) ? before : '',
    );
  }
  return { shared, secrets };
}

/** Fills a record read from its file with the user's secrets (they win over references). */
export function joinSecrets(
  owner: SecretOwner,
  record: Record<string, unknown>,
  secrets: Record<string, string> | undefined,
): void {
  for (const [path, value] of Object.entries(secrets ?? {}))
    if (value !== '') setSecretAt(owner, record, path, value);
}
