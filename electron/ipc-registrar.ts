/**
 * The only main-process file that touches ipcMain: one handler per contract channel, each
 * checking that the sender is our window's main frame loaded from our own files, then handing
 * the payload (never logged) to the app service, which parses it with the channel's schema.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, EVENT_NAMES } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import { trustedSender } from './security-policy.js';

export const PROGRESS_CHANNEL = EVENT_NAMES.progress;

function fromTrustedSender(event: IpcMainInvokeEvent, trusted: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  return (
    frame !== null &&
    trustedSender(
      {
        webContentsId: event.sender.id,
        isMainFrame: frame === event.sender.mainFrame,
        frameUrl: frame.url,
      },
      trusted,
    )
  );
}

export function registerIpc(
  dispatch: (channel: string, request: unknown) => Promise<Result<unknown>>,
  trustedWebContents: ReadonlySet<number>,
): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, request: unknown): Promise<Result<unknown>> => {
      if (!fromTrustedSender(event, trustedWebContents)) {
        return {
          ok: false,
          error: { code: 'invalid_input', message: 'Request refused: unknown sender.' },
        };
      }
      return dispatch(channel, request);
    });
  }
}

export function sendProgress(target: WebContents, event: unknown): void {
  if (!target.isDestroyed()) target.send(PROGRESS_CHANNEL, event);
}

/** The open workspace folder changed (or another was opened): the renderer reloads. */
export function sendWorkspaceChanged(target: WebContents, event: unknown): void {
  if (!target.isDestroyed()) target.send(EVENT_NAMES.workspaceChanged, event);
}
