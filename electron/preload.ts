/**
 * The preload: exposes exactly the contract's channels (one invoke per channel, nothing else)
 * and the contract's events (`EVENTS`) to the renderer, through contextBridge.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type Channel, type HostEventName } from '../shared/channels.js';
import type { HostEventPayload } from '../shared/contract.js';

const allowed = new Set<string>(CHANNELS);

function subscribe<E extends HostEventName>(
  name: E,
  listener: (payload: HostEventPayload<E>) => void,
): () => void {
  const handler = (_e: unknown, payload: HostEventPayload<E>) => listener(payload);
  ipcRenderer.on(name, handler);
  return () => ipcRenderer.removeListener(name, handler);
}

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
  onProgress: (listener: (event: HostEventPayload<'tokens:progress'>) => void) =>
    subscribe('tokens:progress', listener),
  onConnectionsChanged: (listener: (event: HostEventPayload<'connections:changed'>) => void) =>
    subscribe('connections:changed', listener),
  onWorkspaceChanged: (listener: (event: HostEventPayload<'workspace:changed'>) => void) =>
    subscribe('workspace:changed', listener),
});
