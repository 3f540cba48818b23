/**
 * The main process's wiring, without an Electron binary: the main bundle, built as
 * `npm run build:electron` builds it, runs under plain Node with `electron` resolved to a
 * recording stand-in (electron-stand-in.mjs); the test plays the operating system and the user
 * and reads the journal of calls. The window itself is proven by e2e/electron-smoke.spec.ts where
 * a binary exists.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { CHANNELS } from '../../shared/channels.js';
import { WEB_PREFERENCES } from '../../electron/security-policy.js';
import { menuTemplate, type MenuActions } from '../../electron/app-menu.js';
import { freePort } from '../support/ports.js';
import { runCli } from '../support/cli-run.js';
import { safeStorageCipher } from '../../electron/safe-storage-cipher.js';
import { FileStore } from '../../electron/core/store/file-store.js';
import { connectionSchema } from '../../shared/connection.js';
import { launchMain, type JournalEntry, type MainUnderStandIn } from './stand-in-driver.js';

const root = join(import.meta.dirname, '..', '..');
// Inside the project, so that the bundle's imports resolve from its node_modules.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const out = mkdtempSync(join(root, 'node_modules', '.cache', 'tokensmith-main-wiring-'));
const mainJs = join(out, 'electron', 'main.js');
const running: MainUnderStandIn[] = [];

function run(command: string, args: string[]) {
  // Vitest's NODE_ENV=test would make Vite build the development renderer.
  const { NODE_ENV: _ignored, ...env } = process.env;
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
}

beforeAll(() => {
  // The same build as `npm run build:electron` and `build:renderer`, into a folder of our own.
  run(process.execPath, ['build/build-electron.mjs', '--outdir', join(out, 'electron')]);
  run(process.execPath, [
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--logLevel',
    'warn',
    '--emptyOutDir',
    '--outDir',
    join(out, 'renderer'),
  ]);
}, 180_000);

afterEach(async () => {
  for (const main of running.splice(0)) await main.stop();
});
afterAll(async () => {
  for (const main of running.splice(0)) await main.stop();
  rmSync(out, { recursive: true, force: true });
});

async function launch(env: Record<string, string> = {}) {
  const main = await launchMain(mainJs, {
    ELECTRON_USER_DATA: mkdtempSync(join(tmpdir(), 'tokensmith-main-data-')),
    TOKENSMITH_SECRET_KEY_STORE: 'file',
    ...env,
  });
  running.push(main);
  return main;
}

/** Launches, lets the app become ready and waits until the window has loaded its page. */
async function launchReady(env: Record<string, string> = {}) {
  const main = await launch(env);
  await main.waitFor('app.whenReady', (e) => e.call === 'app.whenReady');
  await main.op('ready');
  await main.waitFor('the page loaded', (e) => e.call === 'window.loadFile');
  await main.waitFor('the window shown', (e) => e.call === 'window.show');
  return main;
}

const APP_URL = () => `file://${join(out, 'renderer', 'index.html')}`;
const fromWindow = () => ({ contents: 'window', frameUrl: APP_URL() });

function sent(main: MainUnderStandIn, channel: string): JournalEntry[] {
  return main.calls('webContents.send').filter((e) => e.args[1] === channel);
}

/** The menu as the stand-in records it (no click functions). */
function outline(items: MenuItemConstructorOptions[]): unknown[] {
  return items.map((item) => ({
    ...(item.label !== undefined ? { label: item.label } : {}),
    ...(item.role !== undefined ? { role: item.role } : {}),
    ...(item.type !== undefined ? { type: item.type } : {}),
    ...(item.accelerator !== undefined ? { accelerator: item.accelerator } : {}),
    ...(Array.isArray(item.submenu) ? { submenu: outline(item.submenu) } : {}),
  }));
}
const noActions: MenuActions = {
  newConnection: () => undefined,
  importFile: async () => undefined,
  exportFile: async () => undefined,
  newWorkspace: async () => undefined,
  openWorkspace: async () => undefined,
  closeWorkspace: async () => undefined,
  about: () => undefined,
};

describe('Electron main process wiring (built bundle, recording stand-in for electron)', () => {
  it('before ready: sandbox, data folder, single-instance lock and app events; nothing else', async () => {
    const main = await launch();
    await main.waitFor('app.whenReady', (e) => e.call === 'app.whenReady');
    const before = main.journal.map((e) => [e.call, ...e.args.slice(0, 1)].join(' '));
    expect(before).toEqual([
      'app.enableSandbox',
      `app.setPath userData`,
      'app.requestSingleInstanceLock',
      'app.on second-instance',
      'app.on open-file',
      'app.on open-url',
      'app.on window-all-closed',
      'app.on web-contents-created',
      'app.whenReady',
    ]);
    expect(main.journal.every((e) => !e.ready)).toBe(true);

    await main.op('ready');
    await main.waitFor('the page loaded', (e) => e.call === 'window.loadFile');
    const after = main.journal.filter((e) => e.ready).map((e) => e.call);
    // Permissions are settled before any page exists; secrets storage is checked before the
    // data is opened; the IPC handlers exist before the window does.
    const first = (call: string) => after.indexOf(call);
    expect(first('session.setPermissionRequestHandler')).toBeGreaterThanOrEqual(0);
    expect(first('session.setPermissionCheckHandler')).toBeGreaterThanOrEqual(0);
    expect(first('session.setPermissionCheckHandler')).toBeLessThan(first('new BrowserWindow'));
    expect(first('safeStorage.isEncryptionAvailable')).toBeLessThan(first('ipcMain.handle'));
    expect(first('safeStorage.getSelectedStorageBackend')).toBeLessThan(first('ipcMain.handle'));
    expect(first('ipcMain.handle')).toBeLessThan(first('new BrowserWindow'));
    expect(first('Menu.setApplicationMenu')).toBeLessThan(first('window.loadFile'));
    expect(first('new BrowserWindow')).toBeLessThan(first('window.loadFile'));
  });

  it('registers every contract channel exactly once, and serves only our window', async () => {
    const main = await launchReady();
    const handled = main.calls('ipcMain.handle').map((e) => e.args[0]);
    expect([...handled].sort()).toEqual([...CHANNELS].sort());
    expect(new Set(handled).size).toBe(handled.length);
    // The only other IPC listener is electron-store's own (its renderer helper, which our
    // sandboxed preload does not expose).
    expect(main.calls('ipcMain.on').map((e) => e.args[0])).toEqual(['electron-store-get-data']);

    const info = await main.op<{ ok: boolean; value?: { mode: string } }>('invoke', {
      channel: 'app:info',
      request: {},
      sender: fromWindow(),
    });
    expect(info).toMatchObject({ ok: true, value: { mode: 'desktop' } });
    for (const sender of [
      { contents: 'other', frameUrl: APP_URL() },
      { contents: 'window', frameUrl: APP_URL(), mainFrame: false },
      { contents: 'window', frameUrl: 'https://evil.example/' },
    ]) {
      expect(
        await main.op('invoke', { channel: 'app:info', request: {}, sender }),
        JSON.stringify(sender),
      ).toEqual({
        ok: false,
        error: { code: 'invalid_input', message: 'Request refused: unknown sender.' },
      });
    }
  });

  it('one window with the hardened webPreferences, loading the bundled page', async () => {
    const main = await launchReady();
    const [created] = main.calls('new BrowserWindow');
    const options = created!.args[0] as { webPreferences: Record<string, unknown>; show: boolean };
    const { preload, ...prefs } = options.webPreferences;
    expect(prefs).toEqual(WEB_PREFERENCES);
    expect(preload).toBe(join(out, 'electron', 'preload.cjs'));
    expect(existsSync(preload as string)).toBe(true);
    expect(options.show).toBe(false); // shown on ready-to-show, without a white flash
    const [loaded] = main.calls('window.loadFile');
    expect(loaded!.args[1]).toBe(join(out, 'renderer', 'index.html'));
    expect(existsSync(loaded!.args[1] as string)).toBe(true);
    expect(main.calls('new BrowserWindow')).toHaveLength(1);

    // Navigation, webviews and new windows: refused; http(s) links go to the system browser.
    expect(
      await main.op('contentsEvent', { event: 'will-navigate', args: ['https://evil.example/'] }),
    ).toEqual({ defaultPrevented: true });
    expect(
      await main.op('contentsEvent', { event: 'will-attach-webview', args: [{}, {}] }),
    ).toEqual({ defaultPrevented: true });
    expect(await main.op('windowOpen', { url: 'https://docs.example/help' })).toEqual({
      action: 'deny',
    });
    expect(await main.op('windowOpen', { url: 'file:///etc/passwd' })).toEqual({
      action: 'deny',
    });
    expect(main.calls('shell.openExternal').map((e) => e.args[0])).toEqual([
      'https://docs.example/help',
    ]);
  });

  it('clipboard writes are allowed for our window only; every other permission is denied', async () => {
    const main = await launchReady();
    const ask = (args: Record<string, unknown>) =>
      main.op<boolean>('permission', { requestingUrl: APP_URL(), contents: 'window', ...args });
    for (const kind of ['request', 'check']) {
      expect(await ask({ kind, permission: 'clipboard-sanitized-write' }), kind).toBe(true);
      for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation'])
        expect(await ask({ kind, permission }), `${kind} ${permission}`).toBe(false);
      for (const stranger of [
        { contents: 'other' },
        { requestingUrl: 'https://evil.example/' },
        { isMainFrame: false },
      ])
        expect(
          await ask({ kind, permission: 'clipboard-sanitized-write', ...stranger }),
          `${kind} ${JSON.stringify(stranger)}`,
        ).toBe(false);
    }
    expect(
      await ask({ kind: 'check', contents: null, permission: 'clipboard-sanitized-write' }),
    ).toBe(false);
  });

  it('the menu: File, Edit, View (with developer tools), Help; none in a packaged build', async () => {
    const dev = await launchReady();
    const [devMenu] = dev.calls('Menu.setApplicationMenu');
    const target = { platform: process.platform, appName: 'Tokensmith' };
    expect(devMenu!.args[0]).toEqual(
      outline(menuTemplate({ ...target, isPackaged: false }, noActions)),
    );
    expect(JSON.stringify(devMenu!.args[0])).toContain('toggleDevTools');

    const packaged = await launchReady({ STAND_IN_PACKAGED: '1' });
    const [packagedMenu] = packaged.calls('Menu.setApplicationMenu');
    expect(packagedMenu!.args[0]).toEqual(
      outline(menuTemplate({ ...target, isPackaged: true }, noActions)),
    );
    expect(JSON.stringify(packagedMenu!.args[0])).not.toContain('toggleDevTools');
  });

  it('a second launch brings the first window back and does what it asks (a link, a file); a second instance quits at once', async () => {
    const main = await launchReady();
    await main.op('window', { action: 'minimize' });
    const from = main.journal.length;
    await main.op('emitApp', { event: 'second-instance', args: [['tokensmith'], '/'] });
    const restored = await main.waitFor('restore', (e) => e.call === 'window.restore', { from });
    const focused = await main.waitFor('focus', (e) => e.call === 'window.focus', { from });
    expect(restored.seq).toBeLessThan(focused.seq);

    // What a second launch, a tokensmith:// link or an opened file asks for is done.
    const saved = await main.op<{ ok: boolean }>('invoke', {
      channel: 'connections:save',
      request: {
        connection: {
          id: 'linked',
          name: 'linked one',
          type: 'client_credentials',
          tokenEndpoint: 'https://as.example/token',
          client: { id: 'x' },
        },
      },
      sender: fromWindow(),
    });
    expect(saved.ok).toBe(true);
    let mark = main.journal.length;
    await main.op('emitApp', {
      event: 'second-instance',
      args: [['/opt/Tokensmith/tokensmith', 'tokensmith://open/linked%20one'], '/'],
    });
    const opened = await main.waitFor(
      'open the linked connection',
      (e) => e.call === 'webContents.executeJavaScript',
      { from: mark },
    );
    expect(opened.args[1]).toBe('location.hash = "#/connection/linked"');
    mark = main.journal.length;
    await main.op('emitApp', { event: 'open-url', args: ['tokensmith://open/nothing-here'] });
    const missing = await main.waitFor('message', (e) => e.call === 'dialog.showMessageBox', {
      from: mark,
    });
    expect(missing.args[0]).toMatchObject({
      message: 'There is no connection named “nothing-here” here.',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'tokensmith-open-file-')), 'team.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [
          {
            id: 'opened-file',
            name: 'opened file',
            type: 'client_credentials',
            tokenEndpoint: 'https://as.example/token',
            client: { id: 'y' },
          },
        ],
      }),
    );
    mark = main.journal.length;
    await main.op('emitApp', { event: 'open-file', args: [file] });
    const imported = await main.waitFor('message', (e) => e.call === 'dialog.showMessageBox', {
      from: mark,
    });
    expect(imported.args[0]).toMatchObject({ message: 'Connections imported.' });
    // No file chooser: the user chose the file by opening it with Tokensmith.
    expect(main.calls('dialog.showOpenDialog')).toEqual([]);

    const second = await launch({ STAND_IN_LOCK: 'denied' });
    await second.waitFor('quit', (e) => e.call === 'app.quit');
    await second.op('ready');
    await second.waitFor('exit', (e) => e.call === 'exited');
    const calls = second.journal.map((e) => e.call);
    expect(calls).not.toContain('app.whenReady');
    expect(calls).not.toContain('new BrowserWindow');
    expect(calls).not.toContain('ipcMain.handle');
    expect(calls).not.toContain('app.getPath'); // the data folder is never opened
  });

  it('File → Import… imports the chosen file and tells the page to reload its list', async () => {
    const main = await launchReady();
    const file = join(out, 'import.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [
          {
            id: 'imported-by-menu',
            name: 'Imported by the menu',
            type: 'client_credentials',
            tokenEndpoint: 'https://login.example/token',
            client: { id: 'app' },
          },
        ],
      }),
    );
    await main.op('answer', { kind: 'open', value: { canceled: false, filePaths: [file] } });
    await main.op('click', { path: ['File', 'Import…'] });
    const changed = await main.waitFor(
      'connections:changed',
      (e) => e.call === 'webContents.send' && e.args[1] === 'connections:changed',
    );
    expect(changed.args[2]).toEqual({ reason: 'import' });
    const box = await main.waitFor('message', (e) => e.call === 'dialog.showMessageBox');
    expect(box.args[0]).toMatchObject({ message: 'Connections imported.' });
    const list = await main.op<{ ok: boolean; value: Array<{ id: string }> }>('invoke', {
      channel: 'connections:list',
      request: {},
      sender: fromWindow(),
    });
    expect(list.value.map((c) => c.id)).toContain('imported-by-menu');

    // A file that is not a connections file: its message, and no reload.
    const from = main.journal.length;
    writeFileSync(file, '{"format": "something else"}');
    await main.op('answer', { kind: 'open', value: { canceled: false, filePaths: [file] } });
    await main.op('click', { path: ['File', 'Import…'] });
    const refused = await main.waitFor('message', (e) => e.call === 'dialog.showMessageBox', {
      from,
    });
    expect((refused.args[0] as { message: string }).message).not.toBe('Connections imported.');
    expect(sent(main, 'connections:changed')).toHaveLength(1);
  });

  it('progress of a flow that outlives the window is dropped, not thrown into the flow', async () => {
    // Quitting is held (as a page's beforeunload may hold it), so the flow keeps running.
    const main = await launchReady({ STAND_IN_QUIT: 'manual' });
    const refusedPort = await freePort();
    const result = main.op<{ ok: boolean; error?: { code: string; message: string } }>('invoke', {
      channel: 'tokens:generate',
      request: {
        requestId: 'outlives-window',
        connection: {
          id: 'auth-code',
          name: 'Auth code',
          type: 'authorization_code',
          authorizationEndpoint: 'http://127.0.0.1:9/authorize',
          tokenEndpoint: `http://127.0.0.1:${refusedPort}/token`,
          client: { id: 'native' },
        },
      },
      sender: fromWindow(),
    });
    const opened = await main.waitFor('browser', (e) => e.call === 'shell.openExternal');
    expect(sent(main, 'tokens:progress').length).toBeGreaterThan(0);
    await main.op('window', { action: 'close' });
    await main.waitFor('window-all-closed quits', (e) => e.call === 'app.quit');

    const authorize = new URL(opened.args[0] as string);
    const callback = new URL(authorize.searchParams.get('redirect_uri')!);
    callback.searchParams.set('code', 'a-code');
    callback.searchParams.set('state', authorize.searchParams.get('state')!);
    await new Promise<void>((resolve, reject) =>
      request(callback, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end(),
    );
    const outcome = await result;
    // The flow goes on to the token endpoint, which refuses: not "Object has been destroyed".
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe('connection_refused');
    expect(main.stderr()).not.toMatch(/destroyed/);
  });

  it('quitting waits for the service to close (JWKS port released) before the app exits', async () => {
    const main = await launchReady();
    const port = await freePort();
    const status = await main.op<{ ok: boolean; value: { running: boolean } }>('invoke', {
      channel: 'jwkServer:configure',
      request: { enabled: true, port },
      sender: fromWindow(),
    });
    expect(status.value.running).toBe(true);
    await main.op('window', { action: 'close' });
    await main.waitFor('exit', (e) => e.call === 'exited');
    const quit = main.journal
      .filter((e) => e.call === 'app.quit' || e.call.startsWith('event:') || e.call === 'exited')
      .map((e) => [e.call, ...e.args.map((a) => JSON.stringify(a))].join(' '));
    expect(quit).toEqual([
      'event:ready',
      'app.quit', // window-all-closed
      'event:before-quit {"defaultPrevented":true}', // held while the service closes
      'app.quit', // the service is closed
      'event:before-quit {"defaultPrevented":false}',
      'event:will-quit {"defaultPrevented":false}',
      'exited 0',
    ]);
    // The stand-in keeps the process alive after "exiting": the port is already free.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    // A window closed and gone: the settings were saved on close, nothing sent after.
    const destroyed = main.calls('window.destroyed')[0]!;
    expect(
      main.journal.filter((e) => e.seq > destroyed.seq && e.call === 'webContents.send'),
    ).toEqual([]);
  });

  it('one data folder used in turn by the CLI and the main process keeps every secret working both ways; safeStorage-sealed secrets move once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-one-store-'));
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(req.headers.authorization ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          access_token: `t${received.length}`,
          token_type: 'Bearer',
          expires_in: 60,
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const env = { TOKENSMITH_SECRET_KEY_STORE: 'file' };
    const cli = (args: string[], stdin?: string) =>
      runCli(['--data-dir', dataDir, '--no-workspace', ...args], {
        env,
        ...(stdin ? { stdin } : {}),
      });
    const invoke = <T>(main: MainUnderStandIn, channel: string, request: unknown) =>
      main.op<{ ok: boolean; value: T; error?: { message: string } }>('invoke', {
        channel,
        request,
        sender: fromWindow(),
      });
    try {
      // An earlier desktop app sealed a secret with safeStorage (a fixed key here).
      const storageKey = randomBytes(32);
      const legacy = safeStorageCipher(
        {
          isEncryptionAvailable: () => true,
          getSelectedStorageBackend: () => 'gnome_libsecret',
          encryptString: (plain: string) => {
            const iv = randomBytes(12);
            const c = createCipheriv('aes-256-gcm', storageKey, iv);
            const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
            return Buffer.concat([iv, c.getAuthTag(), data]);
          },
          decryptString: () => '',
        },
        'linux',
      );
      const old = new FileStore(dataDir, legacy);
      await old.update((doc) => {
        doc.connections.push(
          connectionSchema.parse({
            id: 'from-old-app',
            name: 'from-old-app',
            type: 'client_credentials',
            tokenEndpoint: endpoint,
            client: { id: 'old', secret: 'secret-sealed-by-safe-storage' },
          }),
        );
      });
      expect(readFileSync(join(dataDir, 'store.json'), 'utf8')).toContain('"enc:ss1:');
      // The CLI cannot read it yet, and says why.
      const before = await cli(['token', 'from-old-app', '--no-cache']);
      expect(before.code).toBe(6);
      expect(before.stderr).toContain('start the desktop app once on this data folder');

      // The app's main process opens the folder: the old secrets move to the shared key.
      const app = {
        ELECTRON_USER_DATA: dataDir,
        STAND_IN_STORAGE_KEY: storageKey.toString('base64'),
        ...env,
      };
      let main = await launchReady(app);
      expect(readFileSync(join(dataDir, 'store.json'), 'utf8')).not.toContain('"enc:ss1:');
      expect(main.stderr()).toContain('were moved to the data folder key');
      const generate = async (id: string) => {
        const got = await invoke(main, 'tokens:generate', {
          requestId: id,
          connection: (await invoke<unknown>(main, 'connections:get', { id })).value,
        });
        expect(got.ok, got.error?.message).toBe(true);
      };
      await generate('from-old-app');
      await main.stop();

      // The CLI: the moved secret, and a connection and secret of its own.
      expect((await cli(['token', 'from-old-app', '--no-cache'])).code).toBe(0);
      expect(
        (
          await cli([
            'connection',
            'add',
            'from-cli',
            '--type',
            'client_credentials',
            '--token-endpoint',
            endpoint,
            '--client-id',
            'cli',
          ])
        ).code,
      ).toBe(0);
      expect(
        (await cli(['secret', 'set', 'from-cli', 'client-secret'], 'secret-typed-in-the-cli')).code,
      ).toBe(0);

      // The app again: the CLI's secret, and one typed in the app.
      main = await launchReady(app);
      expect(main.stderr()).not.toContain('were moved');
      await generate('from-cli');
      const saved = await invoke(main, 'connections:save', {
        connection: {
          id: 'from-app',
          name: 'from-app',
          type: 'client_credentials',
          tokenEndpoint: endpoint,
          client: { id: 'app', secret: 'secret-typed-in-the-app' },
        },
      });
      expect(saved.ok, saved.error?.message).toBe(true);
      await main.stop();
      const r = await cli(['token', 'from-app', '--no-cache']);
      expect(r.code, r.stderr).toBe(0);

      expect(received).toEqual([
        basic('old', 'secret-sealed-by-safe-storage'),
        basic('old', 'secret-sealed-by-safe-storage'),
        basic('cli', 'secret-typed-in-the-cli'),
        basic('app', 'secret-typed-in-the-app'),
      ]);
      expect(readFileSync(join(dataDir, 'store.json'), 'utf8')).not.toContain('secret-typed');
    } finally {
      server.close();
    }
  });
});
