/**
 * Replace keeps what the user entered: a record the file replaces keeps its local secret values
 * where the file leaves them out (the default export has none), as long as they would still go
 * where they went before — the same endpoints and proxy for a connection, the same file for a
 * keystore, the same server for a proxy. A file that points a record elsewhere gets no secret
 * of the user's: those fields are left to fill.
 */
import { endpointPaths } from '../../../shared/connection-types/index.js';
import { forEachSecret, isSecretReference, type SecretOwner } from '../../../shared/store-model.js';
import { pointerOf } from './import-problems.js';

type Rec = Record<string, unknown>;

const at = (record: Rec, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((o, p) => (o && typeof o === 'object' ? (o as Rec)[p] : undefined), record);

/** The values that decide where a record's secrets go. */
const DESTINATION = {
  // Every field a descriptor declares an endpoint (it receives the client authentication or a
  // secret), and what the requests go through: the type, the proxy and the trusted CAs.
  connection: ['type', ...endpointPaths(), 'proxyAlias', 'ssl.truststoreAlias'],
  keystore: ['kind', 'path'],
  proxy: ['protocol', 'host', 'port'],
} satisfies Record<'connection' | 'keystore' | 'proxy', string[]>;

export type DestinationOwner = keyof typeof DESTINATION;

/** The fields that decide where a record's secrets go (endpoints, proxy, trusted CAs). */
export const destinationPaths = (owner: DestinationOwner): readonly string[] => DESTINATION[owner];

export function sameDestination(owner: DestinationOwner, mine: Rec, theirs: Rec): boolean {
  return DESTINATION[owner].every((p) => at(mine, p) === at(theirs, p));
}

/** Where a record's secrets go, as its fields say now (empty fields left out). */
export function destinationOf(owner: DestinationOwner, record: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of DESTINATION[owner]) {
    const value = at(record as Rec, p);
    if (value !== undefined && value !== '' && value !== null) out[p] = String(value);
  }
  return out;
}

/** The first field of a destination that differs from the one the secrets were entered for. */
export function changedDestination(
  entered: Record<string, string>,
  now: Record<string, string>,
): { field: string; from: string; to: string } | undefined {
  for (const field of new Set([...Object.keys(entered), ...Object.keys(now)]))
    if ((entered[field] ?? '') !== (now[field] ?? ''))
      return { field, from: entered[field] ?? '', to: now[field] ?? '' };
  return undefined;
}

/**
 * Copies into `incoming` (the file's record) the secrets of `mine` (the user's record of the same
 * name) that the file leaves empty; returns the JSON pointers (`collection/index/…`) filled.
 */
export function keepLocalSecrets(
  owner: keyof typeof DESTINATION,
  mine: object,
  incoming: object,
  collection: string,
  index: number,
): string[] {
  if (!sameDestination(owner, mine as Rec, incoming as Rec)) return [];
  const kept: string[] = [];
  forEachSecret(owner satisfies SecretOwner, structuredClone(mine) as Rec, (path, value) => {
    const parts = path.split('.');
    const last = parts.pop() as string;
    const parent = parts.length ? at(incoming as Rec, parts.join('.')) : incoming;
    if (!parent || typeof parent !== 'object') return;
    const current = (parent as Rec)[last];
    if (current !== undefined && current !== '') return;
    (parent as Rec)[last] = value;
    kept.push(pointerOf(collection, index, ...parts, last));
  });
  return kept;
}

/**
 * An edit that points a record elsewhere (another endpoint, proxy, truststore; a proxy's host; a
 * keystore's file) takes none of the user's secret values with it: they were entered for the old
 * destination. Clears them in `after` (references such as `${env:NAME}` stay) and says what
 * moved, or returns undefined when nothing did or there was nothing to keep back.
 */
export function dropSecretsIfMoved(
  owner: DestinationOwner,
  before: object,
  after: Record<string, unknown>,
): { field: string; from: string; to: string; paths: string[] } | undefined {
  const moved = changedDestination(destinationOf(owner, before), destinationOf(owner, after));
  if (!moved) return undefined;
  const paths: string[] = [];
  forEachSecret(owner, after, (path, value, set) => {
    if (value && !isSecretReference(value)) {
      paths.push(path);
      set('');
    }
  });
  return paths.length ? { ...moved, paths } : undefined;
}
