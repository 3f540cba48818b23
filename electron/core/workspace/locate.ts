/**
 * Which workspace a host opens: a workspace folder (given, or found the way git finds `.git`:
 * the marker file in the current folder or one of its parents) or else the personal store.
 * Nothing of the folder format (YAML) is loaded for the personal store.
 */
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { WORKSPACE_MARKER } from '../../../shared/workspace-model.js';
import type { Environment } from '../store/env-references.js';
import type { SecretCipher } from '../store/secret-cipher.js';
import { openSealingKey } from '../store/sealing-key.js';
import { openWorkspace, type Workspace } from '../workspace.js';

/** The workspace folder holding `start` (itself or a parent), or undefined. */
export async function findWorkspaceFolder(start: string): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    const found = await access(join(dir, WORKSPACE_MARKER)).then(
      () => true,
      () => false,
    );
    if (found) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
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
      secretStorage: key?.description ?? 'Electron safeStorage (operating system keychain)',
      warnings: key?.warning ? [key.warning] : [],
    },
    env,
  );
}
