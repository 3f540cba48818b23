/**
 * Which workspace a host opens: a workspace folder (given, or found the way git finds `.git`:
 * the marker file in the current folder or one of its parents) or else the personal store.
 * Nothing of the folder format (YAML) is loaded for the personal store.
 *
 * A marker found that way is used only when it and its folder belong to the user and others
 * cannot write to the folder (the rule git adopted for `.git` after CVE-2022-24765): a marker
 * planted in a shared parent is ignored and said so, unless the user lists the folder.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { atomicWriteFile } from '../store/atomic-file.js';
import { WORKSPACE_MARKER } from '../../../shared/workspace-model.js';
import type { Environment } from '../store/env-references.js';
import type { SecretCipher } from '../store/secret-cipher.js';
import { openSealingKey } from '../store/sealing-key.js';
import { openWorkspace, type Workspace } from '../workspace.js';

export interface Located {
  /** The workspace folder to open; undefined: the personal store. */
  folder?: string;
  /** A marker found and not used, and why. */
  ignored?: { folder: string; reason: string };
}

/** Why a found marker is not used without the user listing its folder, or undefined. */
async function unsafe(dir: string): Promise<string | undefined> {
  const uid = process.getuid?.();
  const [marker, folder] = await Promise.all([stat(join(dir, WORKSPACE_MARKER)), stat(dir)]);
  if (uid !== undefined && marker.uid !== uid)
    return `its ${WORKSPACE_MARKER} belongs to another user (uid ${marker.uid})`;
  if (uid !== undefined && folder.uid !== uid)
    return `the folder belongs to another user (uid ${folder.uid})`;
  if (folder.mode & 0o002) return 'other users can write to the folder';
  return undefined;
}

/** The workspace folder holding `start` (itself or a parent), when it is safe to use. */
export async function locateWorkspace(
  start: string,
  listed: readonly string[] = [],
): Promise<Located> {
  let dir = resolve(start);
  for (;;) {
    const found = await stat(join(dir, WORKSPACE_MARKER)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) {
      const real = await realpath(dir).catch(() => dir);
      const reason = listed.includes(real) ? undefined : await unsafe(dir).catch(() => undefined);
      return reason ? { ignored: { folder: real, reason } } : { folder: dir };
    }
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

/** The workspace folder holding `start` (itself or a parent), or undefined. */
export async function findWorkspaceFolder(
  start: string,
  listed: readonly string[] = [],
): Promise<string | undefined> {
  return (await locateWorkspace(start, listed)).folder;
}

const listedPath = (dataDir: string) => join(dataDir, 'listed-workspaces.json');

/** Folders the user listed to be used although others own or can write them. */
export async function listedWorkspaces(dataDir: string): Promise<string[]> {
  try {
    const list = JSON.parse(await readFile(listedPath(dataDir), 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/** Lists (or, with `remove`, unlists) a folder. */
export async function listWorkspace(dataDir: string, folder: string, remove = false) {
  const real = await realpath(folder).catch(() => resolve(folder));
  const list = (await listedWorkspaces(dataDir)).filter((f) => f !== real);
  if (!remove) list.push(real);
  await atomicWriteFile(listedPath(dataDir), JSON.stringify(list, null, 2) + '\n');
}

export interface OpenOptions {
  dataDir: string;
  env: Environment;
  /** A workspace folder; undefined: the personal store. */
  folder?: string;
  /** The desktop app's safeStorage; default: the key in the OS keychain (or the key file). */
  cipher?: SecretCipher;
}

/** Opens the personal store, or a workspace folder over the user's data folder. */
export async function openWorkspaceAt(options: OpenOptions): Promise<Workspace> {
  const { dataDir, env, folder } = options;
  if (!folder) return openWorkspace(dataDir, env, options.cipher);
  const key = options.cipher ? undefined : await openSealingKey(dataDir, { env });
  const { openFolderWorkspace } = await import('./open-folder.js');
  return openFolderWorkspace(
    folder,
    {
      dataDir,
      cipher: options.cipher ?? key!.cipher,
      secretStorage: key?.description ?? 'a key of the caller',
      warnings: key?.warning ? [key.warning] : [],
    },
    env,
  );
}
