/**
 * Workspaces as the app and the CLI open them: a shared folder over the user's data folder, the
 * recent ones, back to the personal store, and a watch on the folder for changes made outside
 * (a git pull, an editor) that the host forwards to the UI as `workspace:changed`.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type {
  RecentWorkspace,
  WorkspaceChangedEvent,
  WorkspaceInfo,
} from '../../../shared/contract.js';
import { TokensmithError } from '../errors.js';
import { atomicWriteFile } from '../store/atomic-file.js';
import type { Workspace } from '../workspace.js';
import type { Session } from './session.js';

const MAX_RECENT = 10;
const personalOf = new WeakMap<Session, Workspace>();
const recentPath = (session: Session) => join(session.workspace.dataDir, 'recent-workspaces.json');

export function workspaceInfo(workspace: Workspace): WorkspaceInfo {
  const folder = workspace.folder;
  return folder
    ? {
        kind: 'folder',
        folder: folder.path,
        id: folder.manifest.id,
        name: folder.manifest.name,
        problems: workspace.problems(),
        bindings: workspace.trust?.bindings() ?? [],
        withheld: workspace.trust?.withheld() ?? [],
      }
    : { kind: 'personal', folder: workspace.dataDir, problems: [] };
}

export async function recentWorkspaces(session: Session): Promise<RecentWorkspace[]> {
  try {
    const list = JSON.parse(await readFile(recentPath(session), 'utf8')) as unknown;
    return Array.isArray(list)
      ? (list as RecentWorkspace[]).filter((r) => typeof r?.folder === 'string')
      : [];
  } catch {
    return [];
  }
}

async function remember(session: Session, workspace: Workspace): Promise<void> {
  const folder = workspace.folder;
  if (!folder) return;
  const entry: RecentWorkspace = {
    folder: folder.path,
    name: folder.manifest.name,
    id: folder.manifest.id,
    openedAt: new Date().toISOString(),
  };
  const list = (await recentWorkspaces(session)).filter((r) => r.folder !== folder.path);
  await atomicWriteFile(
    recentPath(session),
    JSON.stringify([entry, ...list].slice(0, MAX_RECENT), null, 2) + '\n',
  );
}

/** Switches the session to a workspace folder (File → Open Workspace…, a recent one). */
export async function openWorkspaceFolder(
  session: Session,
  folder: string,
  create?: { name: string },
): Promise<WorkspaceInfo> {
  const { initWorkspaceFolder, openFolderWorkspace } = await import('../workspace/open-folder.js');
  if (create) await initWorkspaceFolder(folder, { name: create.name });
  const current = session.workspace;
  const personal = personalOf.get(session) ?? current;
  const opened = await openFolderWorkspace(folder, personal, session.env);
  await opened.store.read();
  if (!current.folder) personalOf.set(session, current);
  session.workspace = opened;
  await remember(session, opened);
  return workspaceInfo(opened);
}

/** Back to the personal store. */
export function closeWorkspaceFolder(session: Session): WorkspaceInfo {
  const personal = personalOf.get(session);
  if (personal) session.workspace = personal;
  return workspaceInfo(session.workspace);
}

/** What changed in a watched workspace folder. */
export interface FolderChange {
  folder: string;
  /** Relative paths with `/` (a rename or an editor may report a file more than once). */
  files: string[];
}

/**
 * Watches a workspace folder for changes made outside Tokensmith; `onChange` gets them in one
 * call per quiet period of `debounceMs`. Git's own folder and temporary files are ignored.
 * Returns the function that stops watching.
 */
export function watchWorkspace(
  workspace: Workspace,
  onChange: (change: FolderChange) => void,
  debounceMs = 200,
): () => void {
  const folder = workspace.folder?.path;
  if (!folder) return () => undefined;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(folder, { recursive: true, persistent: false });
  } catch (cause) {
    throw new TokensmithError('internal', `Cannot watch ${folder} for changes.`, { cause });
  }
  watcher.on('change', (_event, name) => {
    const file = String(name ?? '')
      .split(sep)
      .join('/');
    if (!file || file.startsWith('.git/') || file === '.git' || /(^|\/)\.[^/]*\.tmp$/.test(file))
      return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending].sort();
      pending.clear();
      onChange({ folder, files });
    }, debounceMs);
  });
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/**
 * The open workspace as a long-running host sees it (the app, browser mode): open, close, the
 * recent list, and a watch on the open folder that re-reads it and tells the UI.
 */
export class WorkspaceControl {
  #stop: (() => void) | undefined;

  constructor(
    private readonly session: Session,
    private readonly emit?: (event: WorkspaceChangedEvent) => void,
  ) {
    if (session.workspace.folder) this.#follow();
  }

  async current(): Promise<WorkspaceInfo> {
    await this.session.workspace.store.read();
    return workspaceInfo(this.session.workspace);
  }

  async open(folder: string, create?: { name: string }): Promise<WorkspaceInfo> {
    const info = await openWorkspaceFolder(this.session, folder, create);
    this.#follow();
    // Every page showing the old store reloads (the menu's window, other browser tabs).
    this.emit?.({ workspace: info, files: [] });
    return info;
  }

  close(): WorkspaceInfo {
    this.#stop?.();
    this.#stop = undefined;
    const info = closeWorkspaceFolder(this.session);
    this.emit?.({ workspace: info, files: [] });
    return info;
  }

  /** Confirms bindings of the open workspace folder (by digest). */
  async trust(digests: readonly string[]): Promise<WorkspaceInfo> {
    const trust = this.session.workspace.trust;
    if (!trust) throw new TokensmithError('not_found', 'No workspace folder is open.');
    await trust.confirm(digests);
    const info = workspaceInfo(this.session.workspace);
    this.emit?.({ workspace: info, files: [] });
    return info;
  }

  recent(): Promise<RecentWorkspace[]> {
    return recentWorkspaces(this.session);
  }

  #follow(): void {
    this.#stop?.();
    const workspace = this.session.workspace;
    this.#stop = watchWorkspace(workspace, ({ files }) => {
      // Re-read first: the event carries the problems the new files have.
      void workspace.store.read().then(
        () => this.emit?.({ workspace: workspaceInfo(workspace), files }),
        () => this.emit?.({ workspace: workspaceInfo(workspace), files }),
      );
    });
  }

  dispose(): void {
    this.#stop?.();
  }
}
