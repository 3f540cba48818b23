/**
 * Workspace folders: found the way git finds `.git` (the marker file in the folder or one of
 * its parents), created by `tokensmith workspace init`, opened over the user's own data folder.
 */
import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
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
import { requireTrusted } from './trust.js';

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

/**
 * The user's folder for a workspace: by its marker ID and its path, so that another folder
 * claiming the same ID (a fork, a copied marker, a planted folder) is another workspace and gets
 * none of the user's secrets. State kept by ID alone (before this rule) moves to the folder it
 * records having been opened from, once.
 */
export async function stateDirOf(dataDir: string, id: string, path: string): Promise<string> {
  const root = join(dataDir, 'workspaces');
  const digest = createHash('sha256').update(path).digest('hex').slice(0, 16);
  const dir = join(root, `${id}-${digest}`);
  const legacy = join(root, id);
  if (!(await exists(dir)) && (await exists(join(legacy, 'state.json')))) {
    const recorded = await readFile(join(legacy, 'state.json'), 'utf8')
      .then((t) => (JSON.parse(t) as { folder?: unknown }).folder)
      .catch(() => undefined);
    if (recorded === path) await rename(legacy, dir).catch(() => undefined);
  }
  return dir;
}

/** A workspace folder opened over the user's own data folder (their secrets, cache, drafts). */
export async function openFolderWorkspace(
  folder: string,
  personal: Pick<Workspace, 'dataDir' | 'cipher' | 'secretStorage' | 'warnings'>,
  env: Environment,
): Promise<Workspace> {
  const path = await realpath(folder).catch(() => resolve(folder));
  const manifest = await readManifest(path);
  const stateDir = await stateDirOf(personal.dataDir, manifest.id, path);
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
    guard: (records) => requireTrusted(store.bindings, records, `"${manifest.name}" (${path})`),
    trust: {
      bindings: () => store.bindings,
      withheld: () => store.withheld,
      confirm: (digests) => store.trust(digests),
      revoke: () => store.revokeTrust(),
    },
  });
}
