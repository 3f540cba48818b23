/**
 * The curl, env and server.xml exports of the newer connection types, rendered from the same
 * prepared requests the engine sends: a device code and a token exchange's subject token as
 * variables the user sets, DPoP said to need a proof curl cannot sign, and the types z/OS Connect
 * has no grant for listed rather than written. The exported token exchange runs against the
 * sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import {
  SANDBOX_SECRET,
  TOKEN_EXCHANGE_CLIENT,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, testContext } from '../../support/engine.js';
import { runBash } from '../../support/shell.js';
import { exportCurl, exportEnv } from '../../../electron/core/transfer/runtime-export.js';
import { exportServerXml } from '../../../electron/core/transfer/server-xml/index.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { storeDocument } from '../../../shared/store-model.js';

let server: AuthorizationServer;

beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
  });
});
afterAll(() => server.close());

const device = () =>
  connection({
    name: 'tv',
    type: 'device_code',
    tokenEndpoint: 'https://as.example.test/token',
    client: { id: 'device-app' },
    params: { scope: 'openid' },
  });

const exchange = (subject: Record<string, unknown>) =>
  connection({
    name: 'on behalf',
    type: 'token_exchange',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: TOKEN_EXCHANGE_CLIENT, secret: SANDBOX_SECRET },
    subjectToken: subject,
    params: { scope: 'api:read', audience: 'https://orders.sandbox.test' },
  });

describe('exports of the newer types', () => {
  it('a device code is a variable, with what to do first', async () => {
    const curl = await exportCurl([device()]);
    expect(curl).toContain(
      '# Request a device code first (`tokensmith token` does it and waits for you), then set DEVICE_CODE to it.',
    );
    expect(curl).toContain(
      `--data-urlencode 'grant_type=urn:ietf:params:oauth:grant-type:device_code'`,
    );
    expect(curl).toContain(`--data-urlencode 'device_code='"\${DEVICE_CODE}"`);
    expect(await exportEnv([device()])).toContain('TV_DEVICE_CODE="${DEVICE_CODE}"');
  });

  it('DPoP is said to need a proof', async () => {
    const curl = await exportCurl([
      connection({ ...device(), type: 'client_credentials', dpop: { enabled: true } }),
    ]);
    expect(curl).toContain(
      '# It uses DPoP (RFC 9449): each request needs a fresh DPoP proof header',
    );
  });

  it('server.xml lists the types z/OS Connect has no grant for', async () => {
    const doc = storeDocument.parse({
      format: 'tokensmith.store',
      version: 1,
      connections: [device(), exchange({ source: 'connection', connection: 'x' })],
    });
    const out = exportServerXml(doc, { names: [] });
    expect(out.notes).toEqual([
      '"tv" is not exported: z/OS Connect has no device authorization grant (client_credentials and password only).',
      '"on behalf" is not exported: z/OS Connect has no token exchange grant (client_credentials and password only).',
    ]);
  });

  it('the exported token exchange runs: the subject token from SUBJECT_TOKEN', async () => {
    const ctx = await testContext();
    const subject = await requestToken(
      connection({
        type: 'password',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
        username: 'alice',
        password: 'wonderland',
        params: { scope: 'api:read' },
      }),
      ctx,
    );
    await ctx.http.close();
    const curl = await exportCurl([exchange({ source: 'connection', connection: 'upstream' })]);
    expect(curl).toContain(`--data-urlencode 'subject_token='"\${SUBJECT_TOKEN}"`);
    const run = await runBash(curl, {
      SUBJECT_TOKEN: subject.token,
      ON_BEHALF_CLIENT_SECRET: SANDBOX_SECRET,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
    });
    const pasted = await exportCurl([exchange({ source: 'value', value: '${env:MY_SUBJECT}' })]);
    expect(pasted).toContain(`--data-urlencode 'subject_token='"\${MY_SUBJECT}"`);
  });
});
