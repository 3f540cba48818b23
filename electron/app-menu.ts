/**
 * The application menu as a pure function of the platform and the build, so that both the
 * macOS and the Windows/Linux menus are unit-tested without an Electron binary
 * (test/electron/app-menu.test.ts); electron/main.ts builds it with `Menu.buildFromTemplate`.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu items do; main supplies them. */
export interface MenuActions {
  newConnection(): void;
  importFile(): Promise<void>;
  exportFile(): Promise<void>;
  newWorkspace(): Promise<void>;
  openWorkspace(): Promise<void>;
  closeWorkspace(): Promise<void>;
  about(): void;
}

export interface MenuTarget {
  platform: NodeJS.Platform;
  /** A packaged build (`app.isPackaged`) has no developer tools. */
  isPackaged: boolean;
  appName: string;
}

/**
 * macOS: the first menu is the application menu (About, Services, Hide, Quit) and a Window
 * menu follows View, as the platform expects; File closes the window instead of quitting.
 * Windows and Linux: File ends with Quit, Help holds About.
 */
export function menuTemplate(
  { platform, isPackaged, appName }: MenuTarget,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const about: MenuItemConstructorOptions = {
    label: `About ${appName}`,
    click: () => actions.about(),
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Connection', accelerator: 'CmdOrCtrl+N', click: () => actions.newConnection() },
      { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => void actions.importFile() },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => void actions.exportFile() },
      { type: 'separator' },
      { label: 'New Workspace…', click: () => void actions.newWorkspace() },
      { label: 'Open Workspace…', click: () => void actions.openWorkspace() },
      { label: 'Close Workspace', click: () => void actions.closeWorkspace() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  if (mac) {
    return [
      {
        label: appName,
        submenu: [
          about,
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      file,
      { role: 'editMenu' },
      view,
      { role: 'windowMenu' },
    ];
  }
  return [file, { role: 'editMenu' }, view, { role: 'help', submenu: [about] }];
}
