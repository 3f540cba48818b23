/**
 * The renderer's only way to the core: the typed contract, over the preload bridge in the
 * desktop app or over HTTP (with the per-launch token) in browser mode.
 */
import type {
  Channel,
  ChannelRequest,
  ChannelResponse,
  ProgressEvent,
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

type Listener = (event: ProgressEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;

export function onProgress(listener: Listener): () => void {
  if (window.tokensmith) return window.tokensmith.onProgress(listener);
  listeners.add(listener);
  if (!source) {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data as string) as ProgressEvent;
      for (const l of listeners) l(event);
    };
  }
  return () => listeners.delete(listener);
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
