/**
 * Serves the generated signing keys while Tokensmith runs, at the z/OS Connect JWK API path:
 * `http://127.0.0.1:{port}/jwt/ibm/api/{builderId}/jwk` (seed 001, "Signing JWTs"). Bound to the
 * loopback interface only; GET and HEAD only; the key set is read at every request, so a rotation
 * is visible at once.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { TokensmithError } from './errors.js';

export type JwksProvider = (builderId: string) => Promise<{ keys: JWK[] } | undefined>;

export interface JwkServer {
  port: number;
  baseUrl: string;
  close(): Promise<void>;
}

const PATH = /^\/jwt\/ibm\/api\/([A-Za-z0-9_.-]{1,64})\/jwk\/?$/;

export async function startJwkServer(port: number, provider: JwksProvider): Promise<JwkServer> {
  // Loaded when a server starts: every CLI command loads this module's chunk.
  const { createServer } = await import('node:http');
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    const match = PATH.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!match) return send(404, { error: 'not_found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
    }
    provider(decodeURIComponent(match[1] as string)).then(
      (jwks) => (jwks && jwks.keys.length ? send(200, jwks) : send(404, { error: 'not_found' })),
      () => send(500, { error: 'server_error' }),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new TokensmithError(
              'port_in_use',
              `Port ${port} on 127.0.0.1 is in use: choose another JWKS port in Settings, or stop the program that holds it.`,
              { field: 'jwkServerPort' },
            )
          : e,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    baseUrl: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
