/**
 * The desktop window's security policy as plain data and functions, so that it is unit-tested
 * (test/electron/security-policy.test.ts) and scanned (Electronegativity) without an Electron
 * binary. electron/main.ts and electron/ipc-registrar.ts only apply it.
 */

/** webPreferences of the one window: isolated, sandboxed, no Node, no webviews, no middle-click. */
export const WEB_PREFERENCES = {
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
  // Middle-click would open links in new windows (Electronegativity AUXCLICK_JS_CHECK).
  disableBlinkFeatures: 'Auxclick',
} as const;

/** The window shows the bundled renderer only: every navigation away from it is refused. */
export function navigationAllowed(_url: string): false {
  return false;
}

/** Only http(s) links may leave the app, and then to the system browser, never a new window. */
export function externalUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:' ? url : undefined;
}

/** A window.open / target=_blank request: always denied; http(s) goes to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally?: string } {
  const external = externalUrl(url);
  return external ? { action: 'deny', openExternally: external } : { action: 'deny' };
}

/** Who asks for a permission: the asking WebContents (none for some checks) and frame. */
export interface PermissionRequester {
  webContentsId: number | undefined;
  isMainFrame: boolean;
  /** The URL (or, for some checks, the origin) of the frame that asks. */
  requestingUrl: string;
}

/** The one permission the app uses: writing text to the clipboard (the Copy buttons). */
export const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

/**
 * Tokensmith needs no camera, notification, geolocation, clipboard-read… permission: all are
 * denied, except writing to the clipboard (`navigator.clipboard.writeText`, which Chromium
 * gates behind `clipboard-sanitized-write`), and that only for our own window's main frame
 * showing our own files.
 */
export function permissionGranted(
  permission: string,
  requester: PermissionRequester,
  trusted: ReadonlySet<number>,
): boolean {
  return (
    permission === CLIPBOARD_WRITE &&
    requester.webContentsId !== undefined &&
    trustedSender(
      {
        webContentsId: requester.webContentsId,
        isMainFrame: requester.isMainFrame,
        frameUrl: requester.requestingUrl,
      },
      trusted,
    )
  );
}

export interface IpcSender {
  webContentsId: number;
  /** Whether the request comes from the main frame (not an iframe). */
  isMainFrame: boolean;
  frameUrl: string;
}

/** An IPC request is served only from our window's main frame showing our own files. */
export function trustedSender(sender: IpcSender, trusted: ReadonlySet<number>): boolean {
  return (
    trusted.has(sender.webContentsId) && sender.isMainFrame && sender.frameUrl.startsWith('file://')
  );
}
