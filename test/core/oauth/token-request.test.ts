/**
 * What a token request adds to the secrets scrubbed from a server's answer: the HTTP Basic
 * credentials without their scheme (RFC 6749 §2.3.1), so that an error page echoing them with
 * another casing, or the base64 alone, shows none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connection, failure, testContext } from '../../support/engine.js';
import { requestToken } from '../../../electron/core/grants/registry.js';

const SECRET = 'S3cr&t<x>"\'-basic';
const CREDENTIALS = Buffer.from(
  `client:${new URLSearchParams([['', SECRET]]).toString().slice(1)}`,
).toString('base64');

let server: Server;
let url = '';

beforeAll(async () => {
  // A broken server that echoes the Authorization header in an HTML 500, scheme re-cased.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const [, credentials] = (req.headers.authorization ?? '').split(' ');
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(
        `<html><body><p>authorization: basic ${credentials}</p><p>credentials=${credentials}</p></body></html>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('token request secrets', () => {
  it('an echo of the Basic credentials without the "Basic " scheme is scrubbed', async () => {
    const ctx = await testContext();
    try {
      const e = await failure(
        requestToken(
          connection({
            type: 'client_credentials',
            tokenEndpoint: url,
            client: { id: 'client', secret: SECRET, authMethod: 'client_secret_basic' },
          }),
          ctx,
        ),
      );
      expect(e.code).toBe('http_status');
      const shown = JSON.stringify({ message: e.message, detail: e.detail });
      // The server did get (and echo) the credentials: the check below has something to find.
      expect(shown).toContain('authorization: basic ••••••');
      expect(shown).not.toContain(CREDENTIALS);
      expect(shown).not.toContain(CREDENTIALS.replace(/=+$/, ''));
    } finally {
      await ctx.http.close();
    }
  });
});
