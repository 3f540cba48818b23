/**
 * A RECORDING STAND-IN for the `electron` module — not Electron. No Electron binary can be
 * installed on the build machines, so the built main process (dist/electron/main.js) is run
 * under plain Node with `electron` resolved to this file (electron-stand-in-loader.mjs). It
 * records every call the main process makes into a journal, keeps the rules of Electron that the
 * wiring depends on (no window or session before `ready`, `enableSandbox` only before it, one
 * handler per IPC channel, a destroyed window's properties throw, `quit` runs
 * before-quit → close windows → will-quit → quit and stops at a `preventDefault`), and lets a
 * driver (stand-in-driver.ts) play the operating system and the user over the child-process IPC
 * channel: ready, a second launch, menu clicks, dialog answers, permission requests, IPC from a
 * sender, window events, quitting. What it cannot show — that a real window renders and behaves —
 * is the job of e2e/electron-smoke.spec.ts where a binary exists.
 *
 * Environment:
 * - `STAND_IN_PACKAGED=1`: `app.isPackaged` is true.
 * - `STAND_IN_LOCK=denied`: another instance holds the single-instance lock.
 * - `STAND_IN_ENCRYPTION=0`: `safeStorage.isEncryptionAvailable()` is false.
 * - `STAND_IN_STORAGE_KEY=<base64>`: safeStorage's key (default: a new one per process).
 * - `STAND_IN_BACKEND=<name>`: what `safeStorage.getSelectedStorageBackend()` answers after ready
 *   (default `gnome_libsecret`).
 * - `STAND_IN_QUIT=manual`: `app.quit()` is recorded but the app does not quit.
 */
import { EventEmitter } from 'node:events';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const env = process.env;
let ready = false;
let seq = 0;

/** A JSON-safe picture of an argument: functions, buffers and windows by name only. */
function picture(value, depth = 0) {
  if (typeof value === 'function') return '[function]';
  if (Buffer.isBuffer(value)) return '[buffer]';
  if (value instanceof BrowserWindow) return `[BrowserWindow ${value.id}]`;
  if (value instanceof WebContents) return `[WebContents ${value.id}]`;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.map((v) => picture(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, picture(v, depth + 1)]));
}

/** Appends to the journal and streams the entry to the driver. */
function record(call, ...args) {
  const entry = { seq: ++seq, call, args: picture(args), ready };
  process.send?.({ type: 'journal', entry });
  return entry;
}

function preventable() {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

// ---------------------------------------------------------------- app

function appPackage() {
  // Electron reads the app's package.json: the one above the main script.
  let dir = dirname(process.argv[1] ?? '.');
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    dir = dirname(dir);
  }
  return { name: 'unknown', version: '0.0.0' };
}
const pkg = appPackage();
const paths = new Map();
let readyResolve;
const whenReady = new Promise((resolve) => (readyResolve = resolve));
let quitting = false;

class App extends EventEmitter {
  name = pkg.productName ?? pkg.name;
  isPackaged = env.STAND_IN_PACKAGED === '1';
  enableSandbox() {
    record('app.enableSandbox');
    if (ready) throw new Error('app.enableSandbox() can only be called before app is ready');
  }
  setPath(name, path) {
    record('app.setPath', name, path);
    paths.set(name, path);
  }
  getPath(name) {
    record('app.getPath', name);
    // Never the user's real folders: a fresh temporary one unless the test set it.
    if (!paths.has(name)) paths.set(name, mkdtempSync(join(tmpdir(), `stand-in-${name}-`)));
    return paths.get(name);
  }
  getVersion() {
    return pkg.version;
  }
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return env.STAND_IN_LOCK !== 'denied';
  }
  whenReady() {
    record('app.whenReady');
    return whenReady;
  }
  isReady() {
    return ready;
  }
  on(event, listener) {
    record('app.on', event);
    return super.on(event, listener);
  }
  once(event, listener) {
    record('app.once', event);
    return super.once(event, listener);
  }
  quit() {
    record('app.quit');
    // Electron quits asynchronously: the events follow the call. `manual`: quitting is held,
    // as a page's beforeunload handler can hold it.
    if (env.STAND_IN_QUIT !== 'manual') setImmediate(() => runQuit());
  }
  exit(code = 0) {
    record('app.exit', code);
    record('exited', code);
  }
}
export const app = new App();

function runQuit() {
  if (quitting) return;
  const beforeQuit = preventable();
  app.emit('before-quit', beforeQuit);
  record('event:before-quit', { defaultPrevented: beforeQuit.defaultPrevented });
  if (beforeQuit.defaultPrevented) return;
  quitting = true;
  for (const window of BrowserWindow.getAllWindows()) window.close();
  const willQuit = preventable();
  app.emit('will-quit', willQuit);
  record('event:will-quit', { defaultPrevented: willQuit.defaultPrevented });
  if (willQuit.defaultPrevented) {
    quitting = false;
    return;
  }
  app.emit('quit', preventable(), 0);
  record('exited', 0);
}

// ---------------------------------------------------------------- windows

let nextContentsId = 1;
let nextWindowId = 1;
const windows = new Set();

function destroyedError() {
  return new TypeError('Object has been destroyed');
}

class WebContents extends EventEmitter {
  id = nextContentsId++;
  #destroyed = false;
  windowOpenHandler;
  mainFrame = { url: '' };
  setUrl(url) {
    this.mainFrame.url = url;
  }
  getURL() {
    return this.mainFrame.url;
  }
  destroy() {
    this.#destroyed = true;
  }
  isDestroyed() {
    return this.#destroyed;
  }
  on(event, listener) {
    record('webContents.on', this.id, event);
    return super.on(event, listener);
  }
  setWindowOpenHandler(handler) {
    record('webContents.setWindowOpenHandler', this.id);
    this.windowOpenHandler = handler;
  }
  send(channel, ...args) {
    if (this.#destroyed) throw destroyedError();
    record('webContents.send', this.id, channel, ...args);
  }
  executeJavaScript(code) {
    if (this.#destroyed) throw destroyedError();
    record('webContents.executeJavaScript', this.id, code);
    return Promise.resolve(undefined);
  }
}
export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...windows];
  }
  id = nextWindowId++;
  #contents;
  #destroyed = false;
  #minimized = false;
  #maximized = false;
  #visible = false;
  constructor(options = {}) {
    super();
    record('new BrowserWindow', options);
    if (!ready) throw new Error('Cannot create BrowserWindow before app is ready');
    this.#contents = new WebContents();
    windows.add(this);
    app.emit('web-contents-created', preventable(), this.#contents);
    app.emit('browser-window-created', preventable(), this);
  }
  #alive() {
    if (this.#destroyed) throw destroyedError();
  }
  get webContents() {
    this.#alive();
    return this.#contents;
  }
  on(event, listener) {
    record('window.on', this.id, event);
    return super.on(event, listener);
  }
  once(event, listener) {
    record('window.once', this.id, event);
    return super.once(event, listener);
  }
  async loadFile(path) {
    this.#alive();
    record('window.loadFile', this.id, path);
    if (!existsSync(path)) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${path}'`);
    this.#contents.setUrl(pathToFileURL(path).href);
    setImmediate(() => this.emit('ready-to-show', preventable()));
  }
  isDestroyed() {
    return this.#destroyed;
  }
  isMinimized() {
    this.#alive();
    return this.#minimized;
  }
  isMaximized() {
    this.#alive();
    return this.#maximized;
  }
  isVisible() {
    this.#alive();
    return this.#visible;
  }
  getNormalBounds() {
    this.#alive();
    return { x: 10, y: 20, width: 1280, height: 800 };
  }
  minimize() {
    this.#alive();
    record('window.minimize', this.id);
    this.#minimized = true;
  }
  restore() {
    this.#alive();
    record('window.restore', this.id);
    this.#minimized = false;
  }
  maximize() {
    this.#alive();
    record('window.maximize', this.id);
    this.#maximized = true;
  }
  show() {
    this.#alive();
    record('window.show', this.id);
    this.#visible = true;
  }
  focus() {
    this.#alive();
    record('window.focus', this.id);
  }
  /** Like a click on the window's close button: `close` (preventable), then destroyed. */
  close() {
    if (this.#destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#contents.destroy();
    windows.delete(this);
    record('window.destroyed', this.id);
    this.emit('closed');
    if (windows.size === 0 && !quitting) app.emit('window-all-closed');
  }
}

// ---------------------------------------------------------------- session, safeStorage, shell

const defaultSession = {
  permissionRequestHandler: undefined,
  permissionCheckHandler: undefined,
  setPermissionRequestHandler(handler) {
    record('session.setPermissionRequestHandler');
    this.permissionRequestHandler = handler;
  },
  setPermissionCheckHandler(handler) {
    record('session.setPermissionCheckHandler');
    this.permissionCheckHandler = handler;
  },
};
export const session = {
  get defaultSession() {
    record('session.defaultSession');
    if (!ready) throw new Error('Session can only be received when app is ready');
    return defaultSession;
  },
};

// Encrypts for real (a key per process), so that nothing reaches the test's disk in clear.
const storageKey = env.STAND_IN_STORAGE_KEY
  ? Buffer.from(env.STAND_IN_STORAGE_KEY, 'base64')
  : randomBytes(32);
export const safeStorage = {
  isEncryptionAvailable() {
    record('safeStorage.isEncryptionAvailable');
    return ready && env.STAND_IN_ENCRYPTION !== '0';
  },
  getSelectedStorageBackend() {
    record('safeStorage.getSelectedStorageBackend');
    return ready ? (env.STAND_IN_BACKEND ?? 'gnome_libsecret') : 'unknown';
  },
  encryptString(plain) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', storageKey, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  },
  decryptString(sealed) {
    const decipher = createDecipheriv('aes-256-gcm', storageKey, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString();
  },
};

export const shell = {
  async openExternal(url) {
    record('shell.openExternal', url);
  },
  async openPath(path) {
    record('shell.openPath', path);
    return '';
  },
};

// ---------------------------------------------------------------- menus and dialogs

let applicationMenu = null;

/** The menu as data: label, role, accelerator, type and submenu of each item. */
function outline(items) {
  return items.map((item) => ({
    ...(item.label !== undefined ? { label: item.label } : {}),
    ...(item.role !== undefined ? { role: item.role } : {}),
    ...(item.type !== undefined ? { type: item.type } : {}),
    ...(item.accelerator !== undefined ? { accelerator: item.accelerator } : {}),
    ...(Array.isArray(item.submenu) ? { submenu: outline(item.submenu) } : {}),
  }));
}

export const Menu = {
  buildFromTemplate(template) {
    record('Menu.buildFromTemplate');
    return { template };
  },
  setApplicationMenu(menu) {
    record('Menu.setApplicationMenu', menu ? outline(menu.template) : null);
    applicationMenu = menu;
  },
  getApplicationMenu() {
    return applicationMenu;
  },
};

const answers = { open: [], save: [], message: [] };

/** Dialogs answer from what the driver queued; with nothing queued the user cancels. */
export const dialog = {
  async showOpenDialog(...args) {
    record('dialog.showOpenDialog', ...args);
    return answers.open.shift() ?? { canceled: true, filePaths: [] };
  },
  async showSaveDialog(...args) {
    record('dialog.showSaveDialog', ...args);
    return answers.save.shift() ?? { canceled: true };
  },
  async showMessageBox(...args) {
    record('dialog.showMessageBox', ...args);
    return answers.message.shift() ?? { response: 0, checkboxChecked: false };
  },
  showErrorBox(title, content) {
    record('dialog.showErrorBox', title, content);
  },
};

// ---------------------------------------------------------------- IPC

const handlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    record('ipcMain.handle', channel);
    if (handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  },
  removeHandler(channel) {
    record('ipcMain.removeHandler', channel);
    handlers.delete(channel);
  },
  on(channel) {
    record('ipcMain.on', channel);
  },
};

// The preload's side is not run here (it runs in the renderer); these exist for completeness.
export const contextBridge = {
  exposeInMainWorld(key) {
    record('contextBridge.exposeInMainWorld', key);
  },
};
export const ipcRenderer = new EventEmitter();

export default {
  app,
  BrowserWindow,
  Menu,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  safeStorage,
  session,
  shell,
};

// ---------------------------------------------------------------- the driver's side

function findMenuItem(items, path) {
  const [first, ...rest] = path;
  const item = items.find((i) => i.label === first || (i.role && `(${i.role})` === first));
  if (!item) throw new Error(`No menu item ${first}`);
  return rest.length ? findMenuItem(item.submenu ?? [], rest) : item;
}

function contentsOf(which) {
  if (which === 'window') {
    const [window] = windows;
    if (!window) throw new Error('No window');
    return window.webContents;
  }
  if (which === null) return null;
  // Another WebContents, e.g. a devtools or a stray frame: never trusted.
  return new WebContents();
}

const ops = {
  ready() {
    ready = true;
    record('event:ready');
    app.emit('ready', preventable(), {});
    readyResolve();
  },
  emitApp({ event, args = [] }) {
    app.emit(event, preventable(), ...args);
  },
  click({ path }) {
    if (!applicationMenu) throw new Error('No application menu');
    const item = findMenuItem(applicationMenu.template, path);
    item.click?.(item, BrowserWindow.getAllWindows()[0], {});
  },
  answer({ kind, value }) {
    answers[kind].push(value);
  },
  permission({ kind, contents, permission, requestingUrl, isMainFrame = true }) {
    const wc = contentsOf(contents);
    if (kind === 'check')
      return defaultSession.permissionCheckHandler?.(
        wc,
        permission,
        new URL(requestingUrl).origin,
        { isMainFrame, requestingUrl },
      );
    return new Promise((resolve) =>
      defaultSession.permissionRequestHandler?.(wc, permission, resolve, {
        isMainFrame,
        requestingUrl,
      }),
    );
  },
  async invoke({ channel, request, sender }) {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler for ${channel}`);
    const wc = contentsOf(sender.contents);
    const mainFrame = wc.mainFrame;
    const frame = sender.mainFrame === false ? { url: sender.frameUrl } : mainFrame;
    if (sender.frameUrl !== undefined && frame === mainFrame) wc.setUrl(sender.frameUrl);
    return handler({ sender: wc, senderFrame: frame }, request);
  },
  contentsEvent({ event, args = [] }) {
    const wc = contentsOf('window');
    const e = preventable();
    wc.emit(event, e, ...args);
    return { defaultPrevented: e.defaultPrevented };
  },
  windowOpen({ url }) {
    const wc = contentsOf('window');
    return wc.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' });
  },
  window({ action }) {
    const [window] = windows;
    if (!window) throw new Error('No window');
    window[action]();
  },
  exit() {
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async (message) => {
  if (!message || message.type !== 'op') return;
  try {
    const value = await ops[message.op](message.args ?? {});
    process.send?.({ type: 'reply', id: message.id, value: picture(value) });
  } catch (e) {
    process.send?.({ type: 'reply', id: message.id, error: String(e?.message ?? e) });
  }
});
