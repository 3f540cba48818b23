/**
 * Secrets at the UI boundary: records go to the UI with SECRET_MASK in place of stored secrets,
 * and a mask sent back keeps the stored value — but only while what the secret is for is
 * unchanged. A client secret typed for one token endpoint and client ID is never sent to another
 * endpoint or for another client because the user edited those fields around its mask.
 */
import { SECRET_MASK } from '../../../shared/masking.js';
import { forEachSecret, isSecretReference, type SecretOwner } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { destinationPaths } from '../transfer/kept-secrets.js';

/**
 * What each secret is bound to: if any of these changed, the stored secret is not reused. The
 * same destination as everywhere (every endpoint a descriptor declares, the proxy, the trusted
 * CAs), plus whom it authenticates.
 */
const to = destinationPaths('connection');
const BINDINGS: Record<SecretOwner, Record<string, readonly string[]>> = {
  connection: {
    'client.secret': [...to, 'client.id'],
    clientAssertion: [...to, 'client.id'],
    password: [...to, 'username'],
    // Sent only to the authentication server.
    'authToken.password': ['authToken.tokenEndpoint', 'authToken.username', 'proxyAlias'],
    'subjectToken.value': to,
    'actorToken.value': to,
    'jwtIssuer.password': [...to, 'jwtIssuer.username'],
    // A pasted JWT goes to the API, never to the issuer: nothing it is bound to can change.
    pastedJwt: [],
  },
  proxy: { password: [...destinationPaths('proxy'), 'username'] },
  keystore: {},
  signingKeys: {},
  dpopKeys: {},
  // Never sent back by the UI: shown masked only.
  lastToken: {},
};

const LABELS: Record<string, string> = {
  'client.secret': 'Client Secret',
  clientAssertion: 'Client Assertion',
  password: 'Password',
  'authToken.password': 'Password of the authentication server',
  'subjectToken.value': 'Subject token',
  'actorToken.value': 'Actor token',
  'jwtIssuer.password': 'Password of the JWT issuer',
  pastedJwt: 'JWT',
};

function at(record: unknown, path: string): unknown {
  let node = record;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

export function maskSecrets<T extends object>(owner: SecretOwner, record: T): T {
  const copy = structuredClone(record) as Record<string, unknown>;
  forEachSecret(owner, copy, (_path, value, set) => {
    if (!isSecretReference(value)) set(SECRET_MASK);
  });
  return copy as T;
}

/** Puts stored secrets back where the UI sent the mask, when what they are bound to is unchanged. */
export function unmaskSecrets(
  owner: SecretOwner,
  incoming: Record<string, unknown>,
  stored: object | undefined,
): void {
  forEachSecret(owner, incoming, (path, value, set) => {
    if (value !== SECRET_MASK) return;
    const bound = BINDINGS[owner][path] ?? [];
    const changed =
      stored && bound.find((b) => String(at(incoming, b) ?? '') !== String(at(stored, b) ?? ''));
    if (changed) {
      throw new TokensmithError(
        'invalid_input',
        `Enter the ${LABELS[path] ?? path} again: ${changed} changed, and the stored one is kept only for the settings it was entered for.`,
        { field: path },
      );
    }
    set(stored ? String(at(stored, path) ?? '') : '');
  });
}
