/**
 * A workspace folder: connections as files a team shares in git. The folder holds
 *
 *     tokensmith.workspace.yaml     the marker (found like git finds .git) and its version
 *     connections/<id>.yaml         one connection per file; the file name is its ID
 *     keystores/<name>.yaml         a keystore or truststore: its file, by a path relative to
 *                                   the folder (or absolute, outside it)
 *     proxies/<name>.yaml           a proxy server alias
 *
 * Files hold only what differs from the defaults, in the model's key order, and never a secret
 * value: a secret field is left out (each user keeps theirs in their own store, sealed, keyed
 * by the workspace's ID and the connection) or written as a reference (`${env:NAME}`,
 * `${keychain:NAME}`, `${file:PATH}`) resolved where the connection is used.
 */
import * as z from 'zod';
import { CONNECTION_SCHEMAS } from './connection-types/index.js';
import { keystoreEntry, proxyAlias } from './resources.js';

export const WORKSPACE_MARKER = 'tokensmith.workspace.yaml';
export const WORKSPACE_FORMAT = 'tokensmith.workspace';
export const WORKSPACE_VERSION = 1;

/** The folders of the record files, by kind of record. */
export const WORKSPACE_FOLDERS = {
  connections: 'connections',
  keystores: 'keystores',
  proxies: 'proxies',
} as const;

export const workspaceManifest = z.object({
  format: z.literal(WORKSPACE_FORMAT),
  version: z.literal(WORKSPACE_VERSION),
  /** Stable across clones: each user's secrets for this workspace are kept under it. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{7,63}$/, 'An ID of 8 to 64 letters, digits and dashes'),
  name: z.string().trim().min(1).max(200),
  description: z.string().default(''),
});
export type WorkspaceManifest = z.infer<typeof workspaceManifest>;

/** A file name (without `.yaml`) that is the same on every platform and safe in a path. */
export const RECORD_FILE_STEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

let fileSchemas: Array<(typeof CONNECTION_SCHEMAS)[number]> | undefined;
/**
 * A connection file, per type: a connection whose `id` is its file name unless the file says
 * otherwise. Built when first asked for (a command that reads no workspace file never is).
 */
export function connectionFileSchemas(): ReadonlyArray<(typeof CONNECTION_SCHEMAS)[number]> {
  // safeExtend: a type with its own rules (superRefine) keeps them with the optional id.
  fileSchemas ??= CONNECTION_SCHEMAS.map(
    (s) =>
      (s as unknown as z.ZodObject).safeExtend({
        id: s.shape.id.optional(),
      }) as unknown as (typeof CONNECTION_SCHEMAS)[number],
  );
  return fileSchemas;
}
export const keystoreFileSchema = keystoreEntry;
export const proxyFileSchema = proxyAlias;

/** The kebab-case stem of a name: `Graph (prod)` → `graph-prod`. */
export function fileStemOf(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 80);
  return stem || 'connection';
}

/** A stem not yet taken: `name`, `name-2`, `name-3`… */
export function uniqueStem(name: string, taken: ReadonlySet<string>): string {
  const base = fileStemOf(name);
  let stem = base;
  for (let n = 2; taken.has(stem); n++) stem = `${base}-${n}`;
  return stem;
}
