/**
 * The Electron main process: one hardened window, the application menu, native file dialogs
 * for import/export, and the IPC registrar. All logic is in electron/core.
 * test/electron/main-wiring.test.ts runs the built bundle against a recording stand-in for the
 * `electron` module and checks this wiring.
 */
import { app, BrowserWindow, Menu, dialog, safeStorage, session, shell } from 'electron';
import { basename, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import Store from 'electron-store';
import {
  createAppService,
  defaultDataDir,
  openWorkspace,
  writePrivateFile,
  type AppService,
} from './core/index.js';
import { menuTemplate, type MenuActions } from './app-menu.js';
import { registerIpc, sendEvent } from './ipc-registrar.js';
import { describeBinding, type ConfirmationDetail } from '../shared/transfer.js';
import { safeStorageCipher, secretStorageRefusal } from './safe-storage-cipher.js';
import {
  URL_SCHEME,
  requestOfArgv,
  requestOfFile,
  requestOfUrl,
  type LaunchRequest,
} from './launch-args.js';
import {
  externalUrl,
  navigationAllowed,
  permissionGranted,
  windowOpenDecision,
} from './security-policy.js';

const RENDERER = join(import.meta.dirname, '..', 'renderer', 'index.html');
const trusted = new Set<number>();

/** Window settings (not connections: those live in the core's store). */
interface WindowSettings {
  window: { width: number; height: number; x?: number; y?: number; maximized: boolean };
}
/** The one window; undefined once it is closed (its contents are destroyed then). */
let win: BrowserWindow | undefined;

app.enableSandbox();
// The CLI's data folder (TOKENSMITH_HOME, else the platform's default), whatever name Electron
// derives from the package: the app and the CLI are one tool on one store. Tests point it
// elsewhere.
app.setPath('userData', process.env.ELECTRON_USER_DATA ?? defaultDataDir(process.env));

// One instance per data folder: a second one would write the same files and could not bind the
// JWKS port. It hands over to the first, which comes to the front.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch, a file or a tokensmith:// link opened with the app: the first instance
  // comes to the front and does what it asks (electron/launch-args.ts).
  app.on('second-instance', (_event, argv, cwd) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    }
    launched(requestOfArgv(argv, cwd));
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    launched(requestOfFile(path, process.cwd()));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    launched(requestOfUrl(url));
  });
  app.on('window-all-closed', () => app.quit());
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      dialog.showErrorBox('Tokensmith could not start', e instanceof Error ? e.message : String(e));
      app.quit();
    });
}

/** What launches asked for before the app could do it, and then the handler. */
let pending: LaunchRequest[] = [];
let handleLaunch: ((request: LaunchRequest) => void) | undefined;
function launched(request: LaunchRequest | undefined): void {
  if (!request) return;
  if (handleLaunch) handleLaunch(request);
  else pending.push(request);
}

async function start(): Promise<void> {
  // Every permission request (camera, notifications, …) is denied, but for clipboard writes
  // from our own window: the Copy buttons need them.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(
      permissionGranted(
        permission,
        {
          webContentsId: contents.id,
          isMainFrame: details.isMainFrame,
          requestingUrl: details.requestingUrl,
        },
        trusted,
      ),
    ),
  );
  session.defaultSession.setPermissionCheckHandler((contents, permission, origin, details) =>
    permissionGranted(
      permission,
      {
        webContentsId: contents?.id,
        isMainFrame: details.isMainFrame,
        requestingUrl: details.requestingUrl ?? origin,
      },
      trusted,
    ),
  );

  // One key for every face: the data folder's, in the OS keychain (the key file without one), as
  // the CLI and browser mode use. safeStorage only reads what earlier versions sealed with it.
  const workspace = await openWorkspace(app.getPath('userData'), process.env, undefined, {
    ...(secretStorageRefusal(safeStorage, process.platform)
      ? {}
      : { legacy: safeStorageCipher(safeStorage) }),
  });
  for (const warning of workspace.warnings) console.warn(`tokensmith: ${warning}`);
  workspace.cache.startPruning(60_000);
  const service = createAppService({
    workspace,
    env: process.env,
    mode: 'desktop',
    version: app.getVersion(),
    emit: (event) => {
      if (win && !win.isDestroyed()) sendEvent(win.webContents, 'tokens:progress', event);
    },
    onWorkspaceChanged: (event) => {
      if (win && !win.isDestroyed()) sendEvent(win.webContents, 'workspace:changed', event);
    },
    openUrl: async (url) => {
      const external = externalUrl(url);
      if (external) await shell.openExternal(external);
    },
  });
  registerIpc(service.dispatch, trusted);
  closeServiceOnQuit(service);
  void service.start(); // the JWKS server, when enabled; a failure shows on the Signing Keys page

  const actions = menuActions(service);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        { platform: process.platform, isPackaged: app.isPackaged, appName: 'Tokensmith' },
        actions,
      ),
    ),
  );
  await openWindow();
  // Installed, the app answers tokensmith:// links (the package's desktop file declares them).
  if (app.isPackaged) app.setAsDefaultProtocolClient(URL_SCHEME);
  handleLaunch = (request) =>
    void (request.kind === 'import-file'
      ? actions.importFile(request.path)
      : request.kind === 'import'
        ? actions.importFile()
        : actions.openConnection(request.name));
  const first = [...pending, requestOfArgv(process.argv, process.cwd())];
  pending = [];
  for (const request of first) launched(request);
}

async function openWindow(): Promise<void> {
  const settings = new Store<WindowSettings>({
    name: 'window',
    defaults: { window: { width: 1280, height: 800, maximized: false } },
  });
  const bounds = settings.get('window');
  const window = new BrowserWindow({
    width: bounds.width,
    height: bounds.height,
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 1024,
    minHeight: 700,
    title: 'Tokensmith',
    show: false,
    // Written out (not spread from WEB_PREFERENCES) so that security scanners can read them;
    // test/electron/security-policy.test.ts checks that they equal WEB_PREFERENCES.
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win = window;
  const contentsId = window.webContents.id;
  trusted.add(contentsId);
  window.webContents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    settings.set('window', { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  window.on('closed', () => {
    trusted.delete(contentsId);
    if (win === window) win = undefined;
  });
  await window.loadFile(RENDERER);
}

/**
 * Quitting waits for the service to stop (running flows cancelled, the JWKS port released):
 * the first `before-quit` is held, and the app quits again once the service is closed.
 */
function closeServiceOnQuit(service: AppService): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    // A service that fails to close must not keep the app from quitting.
    void service
      .close()
      .catch(() => undefined)
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

function menuActions(service: AppService): MenuActions & {
  importFile(path?: string): Promise<void>;
  openConnection(name: string): Promise<void>;
} {
  const go = (hash: string) =>
    void win?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  return {
    newConnection: () => go('#/connection/new/client_credentials'),
    importFile: async (path?: string) => {
      const chosen = path
        ? { filePaths: [path] }
        : await dialog.showOpenDialog({
            filters: [
              { name: 'Tokensmith connections or z/OS server.xml', extensions: ['json', 'xml'] },
            ],
            properties: ['openFile'],
          });
      const file = chosen.filePaths[0];
      if (!file) return;
      let content: string;
      try {
        content = await readFile(file, 'utf8');
      } catch (e) {
        await dialog.showMessageBox({
          message: `The file could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
        });
        return;
      }
      let result = await service.dispatch('transfer:import', { content });
      if (!result.ok && result.error.code === 'confirmation_required') {
        // The file would use things of the user's: each is named, and allowed only by a click.
        const { bindings } = result.error.detail as unknown as ConfirmationDetail;
        const answer = await dialog.showMessageBox({
          type: 'warning',
          message: `This file would use ${bindings.length} thing${bindings.length === 1 ? '' : 's'} of yours. Nothing was imported yet.`,
          detail: bindings.map((b) => `• ${describeBinding(b)}`).join('\n'),
          buttons: ['Cancel', 'Allow and import'],
          defaultId: 0,
          cancelId: 0,
        });
        if (answer.response !== 1) return;
        const confirm = bindings.map((b) => b.id);
        result = await service.dispatch('transfer:import', { content, confirm });
      }
      // The import happened outside the page: tell it, so that its list shows the result.
      if (result.ok && win) sendEvent(win.webContents, 'connections:changed', { reason: 'import' });
      const notes = result.ok ? (result.value as { notes: string[] }).notes : [];
      await dialog.showMessageBox({
        message: result.ok ? 'Connections imported.' : result.error.message,
        ...(notes.length ? { detail: notes.join('\n') } : {}),
      });
      go('#/connections');
    },
    exportFile: async () => {
      const chosen = await dialog.showSaveDialog({ defaultPath: 'connections.tokensmith.json' });
      if (!chosen.filePath) return;
      const result = await service.dispatch('transfer:export', {});
      if (result.ok)
        await writePrivateFile(chosen.filePath, (result.value as { content: string }).content);
      else await dialog.showMessageBox({ message: result.error.message });
    },
    openConnection: async (name) => {
      const list = await service.dispatch('connections:list', {});
      const found = list.ok
        ? (list.value as Array<{ id: string; name: string }>).find(
            (c) => c.name === name || c.id === name,
          )
        : undefined;
      if (found) go(`#/connection/${encodeURIComponent(found.id)}`);
      else await dialog.showMessageBox({ message: `There is no connection named “${name}” here.` });
    },
    newWorkspace: async () => {
      const chosen = await dialog.showOpenDialog({
        title: 'New Workspace',
        buttonLabel: 'Create Workspace Here',
        message: 'Choose an empty folder (or one of a git repository) for the new workspace.',
        properties: ['openDirectory', 'createDirectory'],
      });
      const folder = chosen.filePaths[0];
      if (!folder) return;
      const result = await service.dispatch('workspace:open', {
        folder,
        create: { name: basename(folder) || 'workspace' },
      });
      if (!result.ok) await dialog.showMessageBox({ message: result.error.message });
    },
    openWorkspace: async () => {
      const chosen = await dialog.showOpenDialog({
        title: 'Open Workspace',
        buttonLabel: 'Open Workspace',
        properties: ['openDirectory', 'createDirectory'],
      });
      const folder = chosen.filePaths[0];
      if (!folder) return;
      // The service tells the window (workspace:changed), which reloads its lists.
      const result = await service.dispatch('workspace:open', { folder });
      if (!result.ok) await dialog.showMessageBox({ message: result.error.message });
    },
    closeWorkspace: async () => {
      const result = await service.dispatch('workspace:close', {});
      if (!result.ok) await dialog.showMessageBox({ message: result.error.message });
    },
    about: () =>
      void dialog.showMessageBox({
        title: 'About Tokensmith',
        message: `Tokensmith ${app.getVersion()}`,
        detail: [
          'Configure OAuth 2.0 / JWT API connections and get their access tokens.',
          '',
          `Electron ${process.versions.electron ?? '?'}, Node.js ${process.versions.node}, Chromium ${process.versions.chrome ?? '?'}`,
          `Data folder: ${app.getPath('userData')}`,
          'The CLI (tokensmith) works on the same data folder.',
        ].join('\n'),
      }),
  };
}
