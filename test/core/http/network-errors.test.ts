/**
 * A connection closed before any response byte reads as a refused client certificate only on a
 * fresh TLS connection (the bad-input matrix covers those): a reused keep-alive connection the
 * server hangs up on, or a plain HTTP one, stays a network failure. Real servers on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../electron/core/http/http-client.js';
import { DEFAULT_NETWORK_PROFILE } from '../../../electron/core/http/network-profile.js';
import { TokensmithError } from '../../../electron/core/errors.js';
import { fixtures } from '../../support/fixtures.js';

/** The sockets requests arrived on, in order. */
const sockets: object[] = [];
/** Answers the first request of each connection, hangs up on the next one without answering. */
const handler: Parameters<typeof createServer>[1] = (req, res) => {
  req.resume();
  const first = !sockets.includes(req.socket);
  sockets.push(req.socket);
  if (first) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  else req.socket.destroy();
};

let https: HttpsServer;
let http: Server;
let ca: string;
const listen = async <S extends Server | HttpsServer>(server: S): Promise<S> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const port = (s: Server | HttpsServer) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  const f = await fixtures();
  ca = f.text('ca.crt');
  https = await listen(
    createHttpsServer({ key: f.text('server.key'), cert: f.text('server.crt') }, handler),
  );
  http = await listen(createServer(handler));
});
afterAll(() => {
  for (const s of [https, http]) {
    s.closeAllConnections();
    s.close();
  }
});

async function secondRequestFails(url: string): Promise<TokensmithError> {
  const client = new HttpClient();
  const profile = { ...DEFAULT_NETWORK_PROFILE, trustedCertificates: [ca] };
  try {
    const first = await client.send({ method: 'GET', url, headers: {} }, profile);
    expect(first.body.toString()).toBe('ok');
    // undici checks an idle socket for a pending close on the next turn before reusing it.
    await new Promise((resolve) => setImmediate(resolve));
    const e: unknown = await client
      .send({ method: 'GET', url, headers: {} }, profile)
      .catch((x: unknown) => x);
    expect(sockets.at(-1), 'the second request reused the connection').toBe(sockets.at(-2));
    expect(e).toBeInstanceOf(TokensmithError);
    return e as TokensmithError;
  } finally {
    await client.close();
  }
}

describe('a connection closed before the response', () => {
  it('on a reused TLS connection is a network failure, not a client certificate refusal', async () => {
    const e = await secondRequestFails(`https://127.0.0.1:${port(https)}/`);
    expect(e.code, e.message).toBe('network');
    expect(e.message).toMatch(
      /^The connection to 127\.0\.0\.1:\d+ failed \((UND_ERR_SOCKET|ECONNRESET)\)\.$/,
    );
  });

  it('on a plain HTTP connection is a network failure', async () => {
    const e = await secondRequestFails(`http://127.0.0.1:${port(http)}/`);
    expect(e.code, e.message).toBe('network');
    expect(e.message).not.toMatch(/certificate/);
  });
});
