/**
 * The exported curl command works with a secret that needs RFC 6749 §2.3.1 encoding (issue 14,
 * item 13): `p@ss:w+rd/%&=? x` is registered at the sandbox's oidc-provider, and the command
 * Tokensmith exports for Basic and for body client authentication is run by bash against it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection } from '../../support/engine.js';
import { runBash } from '../../support/shell.js';
import { exportCurl } from '../../../electron/core/transfer/runtime-export.js';

const HOSTILE = 'p@ss:w+rd/%&=? x';
let server: AuthorizationServer;

beforeAll(async () => {
  const client = (client_id: string, method: 'client_secret_basic' | 'client_secret_post') => ({
    client_id,
    client_secret: HOSTILE,
    token_endpoint_auth_method: method,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  });
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
    extraClients: [
      client('hostile:basic', 'client_secret_basic'),
      client('hostile-post', 'client_secret_post'),
    ],
  });
});
afterAll(() => server.close());

describe('curl export with a secret RFC 6749 §2.3.1 must encode', () => {
  it.each([
    ['Basic (an ID with a colon too)', 'hostile:basic', 'client_secret_basic'],
    ['body', 'hostile-post', 'client_secret_post'],
  ] as const)('%s: the exported command gets a token', async (_label, id, authMethod) => {
    const script = await exportCurl([
      connection({
        name: 'Hostile',
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id, secret: HOSTILE, authMethod },
      }),
    ]);
    expect(script).not.toContain(HOSTILE);
    const run = await runBash(script, { HOSTILE_CLIENT_SECRET: HOSTILE });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ token_type: 'Bearer' });
    const sent = server.tokenRequests().at(-1)!;
    if (authMethod === 'client_secret_basic') {
      // What the engine sends: each part form-urlencoded, then base64.
      const decoded = Buffer.from(
        String(sent.headers.authorization).replace(/^Basic /, ''),
        'base64',
      ).toString();
      expect(decoded).toBe('hostile%3Abasic:p%40ss%3Aw%2Brd%2F%25%26%3D%3F+x');
    } else {
      expect(sent.form.get('client_secret')).toBe(HOSTILE);
    }
  });
});
