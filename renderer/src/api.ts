/**
 * The renderer's only way to the core: the typed contract, over the preload bridge in the
 * desktop app or over HTTP (with the per-launch token) in browser mode.
 */
import type {
  Channel,
  ChannelRequest,
  ChannelResponse,
  ConnectionsChanged,
  HostEventName,
  HostEventPayload,
  ProgressEvent,
  WorkspaceChangedEvent,
} from '../../shared/contract.js';
import type { ErrorData, Result } from '../../shared/result.js';

export class ApiError extends Error {
  constructor(readonly error: ErrorData) {
    super(error.message);
  }
  get code() {
    return this.error.code;
  }
}

interface DesktopBridge {
  invoke(channel: Channel, request: unknown): Promise<Result<unknown>>;
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  onConnectionsChanged(listener: (event: ConnectionsChanged) => void): () => void;
  onWorkspaceChanged(listener: (event: WorkspaceChangedEvent) => void): () => void;
  mode: 'desktop';
}

declare global {
  interface Window {
    tokensmith?: DesktopBridge;
  }
}

const TOKEN_KEY = 'tokensmith.token';

function browserToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = window.tokensmith ? '' : browserToken();
export const isDesktop = Boolean(window.tokensmith);

export async function call<C extends Channel>(
  channel: C,
  request: ChannelRequest<C>,
): Promise<ChannelResponse<C>> {
  let result: Result<unknown>;
  if (window.tokensmith) {
    result = await window.tokensmith.invoke(channel, request);
  } else {
    let res: Response;
    try {
      res = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokensmith-token': token },
        body: JSON.stringify(request),
      });
    } catch {
      throw new ApiError({
        code: 'network',
        message: 'Tokensmith is not reachable: is `npm run start:web` still running?',
      });
    }
    result = (await res.json()) as Result<unknown>;
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value as ChannelResponse<C>;
}

let source: EventSource | undefined;

/** Browser mode: the host's events arrive on one Server-Sent Events stream, named as in EVENTS. */
function onServerEvent<E extends HostEventName>(
  name: E,
  listener: (payload: HostEventPayload<E>) => void,
): () => void {
  source ??= new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  const stream = source;
  const handler = (message: MessageEvent<string>) =>
    listener(JSON.parse(message.data) as HostEventPayload<E>);
  stream.addEventListener(name, handler);
  return () => stream.removeEventListener(name, handler);
}

export function onProgress(listener: (event: ProgressEvent) => void): () => void {
  if (window.tokensmith) return window.tokensmith.onProgress(listener);
  return onServerEvent('tokens:progress', listener);
}

/** The connection list changed outside the page (File → Import…, another tab). */
export function onConnectionsChanged(listener: (event: ConnectionsChanged) => void): () => void {
  if (window.tokensmith) return window.tokensmith.onConnectionsChanged(listener);
  return onServerEvent('connections:changed', listener);
}

/** The open workspace changed: its folder changed on disk, or another workspace was opened. */
export function onWorkspaceChanged(listener: (event: WorkspaceChangedEvent) => void): () => void {
  if (window.tokensmith) return window.tokensmith.onWorkspaceChanged(listener);
  return onServerEvent('workspace:changed', listener);
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** Reads a chosen file as base64 for the core (browser mode has no file paths). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function download(
  fileName: string,
  content: string,
  type = 'application/octet-stream',
): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Any failure as boundary data: the core's own error, or an unexpected one. */
export function errorOf(e: unknown): ErrorData {
  return e instanceof ApiError ? e.error : { code: 'internal', message: String(e) };
}
