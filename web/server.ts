/**
 * Browser mode: serves the built renderer on 127.0.0.1 and the contract over HTTP
 * (`POST /api/<channel>`) with progress events as Server-Sent Events (`GET /api/events`).
 * Every API request must carry the per-launch token; the Host header must be the loopback
 * address we listen on (no DNS rebinding), and cross-origin requests are refused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ProgressEvent } from '../shared/contract.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // MUI (emotion) injects its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const MAX_BODY = 30 * 1024 * 1024;

export interface WebHostOptions {
  dispatch: (channel: string, request: unknown) => Promise<unknown>;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  server: Server;
  emit(event: ProgressEvent): void;
  /** A named event (`workspace:changed`): `EventSource.addEventListener(name, …)` receives it. */
  emitNamed(name: string, event: unknown): void;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const listeners = new Set<ServerResponse>();
  let port = 0;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(JSON.stringify(body));
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith('/api/')) {
      const origin = req.headers.origin;
      if (origin && origin !== `http://${host}`) {
        json(res, 403, {
          ok: false,
          error: { code: 'invalid_input', message: 'Cross-origin requests are refused.' },
        });
        return;
      }
      const presented = req.headers['x-tokensmith-token'] ?? url.searchParams.get('token') ?? '';
      if (typeof presented !== 'string' || !sameSecret(presented, token)) {
        json(res, 401, {
          ok: false,
          error: {
            code: 'invalid_input',
            message: 'Missing or wrong access token: open the URL Tokensmith printed.',
          },
        });
        return;
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        listeners.add(res);
        req.on('close', () => listeners.delete(res));
        return;
      }
      if (req.method !== 'POST') {
        json(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Use POST.' } });
        return;
      }
      let body: unknown;
      try {
        const text = await readBody(req);
        body = text ? JSON.parse(text) : {};
      } catch {
        json(res, 400, {
          ok: false,
          error: {
            code: 'invalid_input',
            message: 'The request body is not JSON or is too large.',
          },
        });
        return;
      }
      json(
        res,
        200,
        await options.dispatch(decodeURIComponent(url.pathname.slice('/api/'.length)), body),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    // Static files of the built renderer; anything else is the single-page app.
    const root = normalize(options.staticDir + sep);
    let file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) file = join(root, 'index.html');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) file = join(root, 'index.html');
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end('The renderer is not built: run `npm run build:renderer`.');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('index.html')
        ? 'no-store'
        : 'public, max-age=31536000, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  };

  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    emit(event) {
      const line = `data: ${JSON.stringify(event)}\n\n`;
      for (const res of listeners) res.write(line);
    },
    emitNamed(name, event) {
      const line = `event: ${name}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const res of listeners) res.write(line);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of listeners) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
