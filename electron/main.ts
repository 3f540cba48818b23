/**
 * The Electron main process: one hardened window, the application menu, native file dialogs
 * for import/export, and the IPC registrar. All logic is in electron/core.
 */
import {
  app,
  BrowserWindow,
  Menu,
  dialog,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import Store from 'electron-store';
import { createAppService, openWorkspace, writePrivateFile } from './core/index.js';
import { registerIpc, sendProgress, sendWorkspaceChanged } from './ipc-registrar.js';
import { safeStorageCipher } from './safe-storage-cipher.js';
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
let win: BrowserWindow | undefined;

app.enableSandbox();
// Tests point the data folder elsewhere; users get the platform's default.
if (process.env.ELECTRON_USER_DATA) app.setPath('userData', process.env.ELECTRON_USER_DATA);

async function start(): Promise<void> {
  // Deny every permission request (camera, notifications, …): Tokensmith needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permissionGranted(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission) =>
    permissionGranted(permission),
  );

  const workspace = await openWorkspace(app.getPath('userData'), process.env, safeStorageCipher());
  workspace.cache.startPruning(60_000);
  const service = createAppService({
    workspace,
    env: process.env,
    mode: 'desktop',
    version: app.getVersion(),
    emit: (event) => win && sendProgress(win.webContents, event),
    onWorkspaceChanged: (event) => win && sendWorkspaceChanged(win.webContents, event),
    openUrl: async (url) => {
      const external = externalUrl(url);
      if (external) await shell.openExternal(external);
    },
  });
  registerIpc(service.dispatch, trusted);
  void service.start(); // the JWKS server, when enabled; a failure shows on the Signing Keys page

  const settings = new Store<WindowSettings>({
    name: 'window',
    defaults: { window: { width: 1280, height: 800, maximized: false } },
  });
  const bounds = settings.get('window');
  win = new BrowserWindow({
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
  trusted.add(win.webContents.id);
  win.webContents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
  win.once('ready-to-show', () => {
    if (bounds.maximized) win?.maximize();
    win?.show();
  });
  win.on('close', () => {
    if (!win) return;
    settings.set('window', { ...win.getNormalBounds(), maximized: win.isMaximized() });
  });
  await win.loadFile(RENDERER);

  const go = (hash: string) =>
    void win?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'New Connection',
          accelerator: 'CmdOrCtrl+N',
          click: () => go('#/connection/new/client_credentials'),
        },
        {
          label: 'Import…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const chosen = await dialog.showOpenDialog({
              filters: [
                { name: 'Tokensmith connections or z/OS server.xml', extensions: ['json', 'xml'] },
              ],
              properties: ['openFile'],
            });
            const file = chosen.filePaths[0];
            if (!file) return;
            const result = await service.dispatch('transfer:import', {
              content: await readFile(file, 'utf8'),
            });
            const notes = result.ok ? (result.value as { notes: string[] }).notes : [];
            await dialog.showMessageBox({
              message: result.ok ? 'Connections imported.' : result.error.message,
              ...(notes.length ? { detail: notes.join('\n') } : {}),
            });
            go('#/connections');
          },
        },
        {
          label: 'Export…',
          accelerator: 'CmdOrCtrl+E',
          click: async () => {
            const chosen = await dialog.showSaveDialog({
              defaultPath: 'tokensmith-connections.json',
            });
            if (!chosen.filePath) return;
            const result = await service.dispatch('transfer:export', {});
            if (result.ok)
              await writePrivateFile(
                chosen.filePath,
                (result.value as { content: string }).content,
              );
            else await dialog.showMessageBox({ message: result.error.message });
          },
        },
        { type: 'separator' },
        {
          label: 'Open Workspace…',
          click: async () => {
            const chosen = await dialog.showOpenDialog({ properties: ['openDirectory'] });
            const folder = chosen.filePaths[0];
            if (!folder) return;
            const result = await service.dispatch('workspace:open', { folder });
            if (!result.ok) await dialog.showMessageBox({ message: result.error.message });
            else if (win)
              sendWorkspaceChanged(win.webContents, { workspace: result.value, files: [] });
          },
        },
        {
          label: 'Close Workspace',
          click: async () => {
            const result = await service.dispatch('workspace:close', {});
            if (result.ok && win)
              sendWorkspaceChanged(win.webContents, { workspace: result.value, files: [] });
          },
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        {
          label: 'About Tokensmith',
          click: () =>
            void dialog.showMessageBox({
              title: 'About Tokensmith',
              message: `Tokensmith ${app.getVersion()}`,
              detail: 'Configure OAuth 2.0 / JWT API connections and get their access tokens.',
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  app.on('before-quit', () => void service.close());
}

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
