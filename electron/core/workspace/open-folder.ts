/**
 * Workspace folders: found the way git finds `.git` (the marker file in the folder or one of
 * its parents), created by `tokensmith workspace init`, opened over the user's own data folder.
 */
import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Document, parseDocument } from 'yaml';
import {
  WORKSPACE_FORMAT,
  WORKSPACE_MARKER,
  WORKSPACE_VERSION,
  workspaceManifest,
  type WorkspaceManifest,
} from '../../../shared/workspace-model.js';
import { TokensmithError } from '../errors.js';
import type { Environment } from '../store/env-references.js';
import { assembleWorkspace, type Workspace } from '../workspace.js';
import { FolderStore } from './folder-store.js';
import { formatProblem } from './record-files.js';

/** Reads and checks a folder's marker file. */
export async function readManifest(folder: string): Promise<WorkspaceManifest> {
  const path = join(folder, WORKSPACE_MARKER);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new TokensmithError(
      'not_found',
      `${folder} is not a Tokensmith workspace: it has no ${WORKSPACE_MARKER} (create one with \`tokensmith workspace init\`).`,
    );
  }
  const doc = parseDocument(text);
  const parsed = workspaceManifest.safeParse(doc.errors.length ? undefined : doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TokensmithError(
      'invalid_input',
      formatProblem({
        file: WORKSPACE_MARKER,
        pointer: issue?.path.length ? '/' + issue.path.join('/') : '',
        message: doc.errors[0]?.message.split('\n')[0] ?? issue?.message ?? 'invalid',
      }),
    );
  }
  return parsed.data;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Creates the marker of a new workspace in `folder`; refuses a folder that has one. */
export async function initWorkspaceFolder(
  folder: string,
  options: { name?: string; description?: string } = {},
): Promise<WorkspaceManifest> {
  const path = join(folder, WORKSPACE_MARKER);
  if (await exists(path))
    throw new TokensmithError('invalid_input', `${folder} is a workspace already (${path}).`);
  const manifest = workspaceManifest.parse({
    format: WORKSPACE_FORMAT,
    version: WORKSPACE_VERSION,
    id: randomUUID(),
    name: options.name || folder.split(/[\\/]/).filter(Boolean).pop() || 'workspace',
    description: options.description ?? '',
  });
  const doc = new Document({
    format: manifest.format,
    version: manifest.version,
    id: manifest.id,
    name: manifest.name,
    ...(manifest.description ? { description: manifest.description } : {}),
  });
  doc.commentBefore =
    ' A Tokensmith workspace: connections/, keystores/ and proxies/ hold one file per record.\n' +
    ' Share it in git. Secrets are never written here: each user keeps theirs\n' +
    ' (`tokensmith secret set`), or a file refers to them as ${env:NAME}, ${keychain:NAME}, ${file:PATH}.';
  await mkdir(folder, { recursive: true });
  await writeFile(path, doc.toString({ lineWidth: 0 }), { flag: 'wx' });
  // Temporary files of interrupted writes are never content.
  const ignore = join(folder, '.gitignore');
  if (!(await exists(ignore))) await writeFile(ignore, '.*.tmp\n');
  return manifest;
}

/** A workspace folder opened over the user's own data folder (their secrets, cache, drafts). */
export async function openFolderWorkspace(
  folder: string,
  personal: Pick<Workspace, 'dataDir' | 'cipher' | 'secretStorage' | 'warnings'>,
  env: Environment,
): Promise<Workspace> {
  const path = await realpath(folder).catch(() => resolve(folder));
  const manifest = await readManifest(path);
  const stateDir = join(personal.dataDir, 'workspaces', manifest.id);
  const store = new FolderStore(path, manifest, stateDir, personal.cipher);
  return assembleWorkspace({
    dataDir: personal.dataDir,
    stateDir,
    keystoreDir: join(path, 'keystores'),
    folder: { path, manifest },
    store,
    cipher: personal.cipher,
    secretStorage: personal.secretStorage,
    warnings: personal.warnings,
    env,
    problems: () => store.problems,
  });
}
