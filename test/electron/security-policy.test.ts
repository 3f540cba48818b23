/**
 * The desktop window's hardening, checked without an Electron binary: the policy's values and
 * decisions (electron/security-policy.ts), that the main process applies each of them, and the
 * renderer's Content Security Policy.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLIPBOARD_WRITE,
  WEB_PREFERENCES,
  externalUrl,
  navigationAllowed,
  permissionGranted,
  trustedSender,
  windowOpenDecision,
} from '../../electron/security-policy.js';
import { CONTENT_SECURITY_POLICY } from '../../web/server.js';

const root = join(import.meta.dirname, '..', '..');
const source = (path: string) => readFileSync(join(root, path), 'utf8');

describe('Electron security policy', () => {
  it('webPreferences: isolated, sandboxed, no Node anywhere, web security on, no webviews', () => {
    expect(WEB_PREFERENCES).toMatchObject({
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
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('navigation away from the app is always refused', () => {
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'http://127.0.0.1:1/',
      'about:blank',
    ])
      expect(navigationAllowed(url)).toBe(false);
  });

  it('new windows are denied; only http(s) links go to the system browser', () => {
    expect(windowOpenDecision('https://docs.example/help')).toEqual({
      action: 'deny',
      openExternally: 'https://docs.example/help',
    });
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      'smb://host/share',
      'not a url',
    ])
      expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
    expect(externalUrl('ms-settings:privacy')).toBeUndefined();
  });

  it('every permission is denied but clipboard writes from our window showing our files', () => {
    const trusted = new Set([7]);
    const app = { webContentsId: 7, isMainFrame: true, requestingUrl: 'file:///app/index.html' };
    expect(permissionGranted(CLIPBOARD_WRITE, app, trusted)).toBe(true);
    // A permission check may carry the origin only: `file://` for our files.
    expect(permissionGranted(CLIPBOARD_WRITE, { ...app, requestingUrl: 'file://' }, trusted)).toBe(
      true,
    );
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'deprecated-sync-clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
    ])
      expect(permissionGranted(p, app, trusted), p).toBe(false);
    for (const stranger of [
      { ...app, webContentsId: 8 },
      { ...app, webContentsId: undefined },
      { ...app, isMainFrame: false },
      { ...app, requestingUrl: 'https://evil.example/' },
      { ...app, requestingUrl: 'http://127.0.0.1:9480/' },
      { ...app, requestingUrl: '' },
    ])
      expect(permissionGranted(CLIPBOARD_WRITE, stranger, trusted)).toBe(false);
  });

  it("IPC is served only to our window's main frame showing our files", () => {
    const trusted = new Set([7]);
    const ok = { webContentsId: 7, isMainFrame: true, frameUrl: 'file:///app/renderer/index.html' };
    expect(trustedSender(ok, trusted)).toBe(true);
    expect(trustedSender({ ...ok, webContentsId: 8 }, trusted)).toBe(false);
    expect(trustedSender({ ...ok, isMainFrame: false }, trusted)).toBe(false);
    expect(trustedSender({ ...ok, frameUrl: 'https://evil.example/' }, trusted)).toBe(false);
  });

  it('the main process applies every part of it', () => {
    const main = source('electron/main.ts');
    const prefs = /webPreferences: \{([^}]*)\}/.exec(main)?.[1] ?? '';
    const written = Object.fromEntries(
      [...prefs.matchAll(/^\s*(\w+): (true|false|'[^']*'),$/gm)].map(([, k, v]) => [
        k,
        v === 'true' ? true : v === 'false' ? false : (v as string).slice(1, -1),
      ]),
    );
    expect(written).toEqual(WEB_PREFERENCES);
    expect(main).toContain('app.enableSandbox()');
    expect(main).toMatch(
      /on\('will-navigate', \(event, url\) => \{\s*if \(!navigationAllowed\(url\)\) event\.preventDefault\(\);/,
    );
    expect(main).toMatch(
      /setWindowOpenHandler\(\(\{ url \}\) => \{\s*const decision = windowOpenDecision\(url\);/,
    );
    expect(main).toMatch(
      /setPermissionRequestHandler\([^)]*\) =>\s*callback\(\s*permissionGranted\(\s*permission,/,
    );
    expect(main).toMatch(
      /setPermissionCheckHandler\([^)]*\) =>\s*permissionGranted\(\s*permission,/,
    );
    expect(main).toMatch(/on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
    expect(main).toMatch(/loadFile\(RENDERER\)/); // local files only, no remote content
    expect(main).not.toMatch(/loadURL\(/);
    expect(source('electron/ipc-registrar.ts')).toMatch(
      /if \(!fromTrustedSender\(event, trustedWebContents\)\)/,
    );
  });

  it('the renderer has a strict Content Security Policy, the same in both hosts', () => {
    const html = source('renderer/index.html');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // frame-ancestors only works as a header (browser mode sends it); a meta tag ignores it.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});
