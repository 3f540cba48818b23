/**
 * The preload: exposes exactly the contract's channels (one invoke per channel, nothing else)
 * and the progress event stream to the renderer, through contextBridge.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type Channel } from '../shared/channels.js';
import type { ProgressEvent, WorkspaceChangedEvent } from '../shared/contract.js';

// The contract's EVENT_NAMES, written out: the preload bundles no zod.
const PROGRESS_CHANNEL = 'tokens:progress';
const WORKSPACE_CHANGED_CHANNEL = 'workspace:changed';
const allowed = new Set<string>(CHANNELS);

contextBridge.exposeInMainWorld('tokensmith', {
  mode: 'desktop',
  invoke(channel: Channel, request: unknown) {
    if (!allowed.has(channel))
      return Promise.resolve({
        ok: false,
        error: { code: 'not_found', message: `Unknown channel ${channel}` },
      });
    return ipcRenderer.invoke(channel, request);
  },
  onProgress(listener: (event: ProgressEvent) => void) {
    const handler = (_e: unknown, event: ProgressEvent) => listener(event);
    ipcRenderer.on(PROGRESS_CHANNEL, handler);
    return () => ipcRenderer.removeListener(PROGRESS_CHANNEL, handler);
  },
  onWorkspaceChanged(listener: (event: WorkspaceChangedEvent) => void) {
    const handler = (_e: unknown, event: WorkspaceChangedEvent) => listener(event);
    ipcRenderer.on(WORKSPACE_CHANGED_CHANNEL, handler);
    return () => ipcRenderer.removeListener(WORKSPACE_CHANGED_CHANNEL, handler);
  },
});
