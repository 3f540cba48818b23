/** Connections: list with their status, get, save, delete, duplicate; by name for the CLI. */
import type { z } from 'zod';
import type { ConnectionSummary } from '../../../shared/contract.js';
import {
  connectionSchema,
  connectionSchemaForStep,
  type Connection,
} from '../../../shared/connection.js';
import type { StoreDocument } from '../../../shared/store-model.js';
import { uniqueStem } from '../../../shared/workspace-model.js';
import { cacheKey } from '../cache/cache-key.js';
import { TokensmithError } from '../errors.js';
import { ensureStoredSigningKeys } from '../keys/signing-keys.js';
import { resolveConnectionSecrets } from '../store/env-references.js';
import { recordsOf } from '../workspace/trust.js';
import { unmaskSecrets } from './secret-masks.js';
import { saveCacheQuietly, type Session } from './session.js';

/** A zod error as the core's invalid_input, naming the first field. */
export function invalidInput(error: z.ZodError, prefix = ''): TokensmithError {
  const first = error.issues[0];
  const field = [prefix, ...(first?.path ?? []).map(String)].filter(Boolean).join('.');
  return new TokensmithError(
    'invalid_input',
    first ? `${field ? `${field}: ` : ''}${first.message}` : 'Invalid input',
    {
      ...(field ? { field } : {}),
      detail: {
        issues: error.issues.map((i) => ({
          field: i.path.map(String).join('.'),
          message: i.message,
        })),
      },
    },
  );
}

/** A connection as the UI sends it: validated, masks replaced by the stored secrets. */
export function connectionFromUi(
  raw: unknown,
  doc: StoreDocument,
  /** The dialog step whose button runs it: only that step's rules (`connectionSchemaForStep`). */
  stepAction?: string,
): Connection {
  if (!raw || typeof raw !== 'object')
    throw new TokensmithError('invalid_input', 'No connection given.');
  const incoming = structuredClone(raw) as Record<string, unknown>;
  // A new connection's ID is its name made file-safe: in a workspace folder it names its file.
  if (typeof incoming.id !== 'string' || !incoming.id)
    incoming.id = uniqueStem(
      typeof incoming.name === 'string' ? incoming.name : '',
      new Set(doc.connections.map((c) => c.id)),
    );
  unmaskSecrets(
    'connection',
    incoming,
    doc.connections.find((c) => c.id === incoming.id),
  );
  const parsed = (stepAction ? connectionSchemaForStep(stepAction) : connectionSchema).safeParse(
    incoming,
  );
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** The named connection (or by ID); the error lists the known names. */
export function connectionByName(doc: StoreDocument, name: string): Connection {
  const conn =
    doc.connections.find((c) => c.name === name) ?? doc.connections.find((c) => c.id === name);
  if (!conn) {
    const known = doc.connections.map((c) => c.name);
    throw new TokensmithError(
      'not_found',
      `No connection named "${name}".` +
        (known.length ? ` Known: ${known.join(', ')}.` : ' There are no connections yet.'),
    );
  }
  return conn;
}

export async function listConnections(session: Session): Promise<ConnectionSummary[]> {
  const doc = await session.workspace.store.read();
  return doc.connections.map((c): ConnectionSummary => {
    const summary: ConnectionSummary = {
      id: c.id,
      name: c.name,
      type: c.type,
      tokenEndpoint: c.tokenEndpoint,
      description: c.description,
    };
    const cached = session.workspace.cache.get(cacheKey(resolveSafely(session, c)));
    // Only the connection's own token: another connection with the same inputs shares the entry.
    if (cached && cached.connectionId === c.id)
      summary.tokenValidUntil = new Date(cached.expiresAt).toISOString();
    const error = session.lastErrors.get(c.id);
    if (error) summary.lastError = error;
    return summary;
  });
}

/** The cache key needs resolved secrets; an unset ${env:} just means "no cached token". */
function resolveSafely(session: Session, c: Connection): Connection {
  try {
    session.workspace.guard(recordsOf(c));
    return resolveConnectionSecrets(c, session.env);
  } catch {
    return c;
  }
}

export async function getConnection(session: Session, id: string): Promise<Connection> {
  const conn = (await session.workspace.store.read()).connections.find((c) => c.id === id);
  if (!conn) throw new TokensmithError('not_found', 'This connection no longer exists.');
  return conn;
}

export async function saveConnection(
  session: Session,
  make: (doc: StoreDocument) => Connection,
): Promise<Connection> {
  let saved: Connection | undefined;
  await session.workspace.store.update((doc) => {
    const conn = make(doc);
    const clash = doc.connections.find((c) => c.name === conn.name && c.id !== conn.id);
    if (clash)
      throw new TokensmithError(
        'invalid_input',
        `A connection named "${conn.name}" already exists.`,
        { field: 'name' },
      );
    const i = doc.connections.findIndex((c) => c.id === conn.id);
    if (i >= 0) doc.connections[i] = conn;
    else doc.connections.push(conn);
    saved = conn;
  });
  await ensureStoredSigningKeys(session.workspace.store);
  return saved as Connection;
}

export async function deleteConnection(session: Session, id: string): Promise<boolean> {
  let deleted = false;
  await session.workspace.store.update((doc) => {
    const before = doc.connections.length;
    doc.connections = doc.connections.filter((c) => c.id !== id);
    doc.lastTokens = doc.lastTokens.filter((t) => t.connectionId !== id);
    deleted = doc.connections.length < before;
  });
  if (session.workspace.cache.clear(id)) await saveCacheQuietly(session);
  return deleted;
}

export async function duplicateConnection(session: Session, id: string): Promise<Connection> {
  let copy: Connection | undefined;
  await session.workspace.store.update((doc) => {
    const source = doc.connections.find((c) => c.id === id);
    if (!source) throw new TokensmithError('not_found', 'This connection no longer exists.');
    const names = new Set(doc.connections.map((c) => c.name));
    let name = `${source.name} (copy)`;
    for (let n = 2; names.has(name); n++) name = `${source.name} (copy ${n})`;
    copy = {
      ...structuredClone(source),
      id: uniqueStem(name, new Set(doc.connections.map((c) => c.id))),
      name,
    };
    doc.connections.push(copy);
  });
  return copy as Connection;
}
