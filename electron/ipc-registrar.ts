/**
 * The only main-process file that touches ipcMain: one handler per contract channel, each
 * checking that the sender is our window's main frame loaded from our own files, then handing
 * the payload (never logged) to the app service, which parses it with the channel's schema.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, type HostEventName, type HostEventPayload } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import { trustedSender } from './security-policy.js';

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

/** Pushes a contract event to a window; nothing happens once its contents are gone. */
export function sendEvent<E extends HostEventName>(
  target: WebContents,
  name: E,
  payload: HostEventPayload<E>,
): void {
  if (!target.isDestroyed()) target.send(name, payload);
}
