/**
 * Grant prerequisites (issue 14, item 6; z/OS Connect seed 001): client credentials needs a
 * secret or a JWT client authentication (or a client certificate), the password grant a client
 * ID and a user name. The descriptor says so as field messages for the page; the engine refuses
 * the request with the first of them before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { prerequisitesOf } from '../../../shared/connection.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { connection, failure, testContext } from '../../support/engine.js';

// Nothing listens here: a request that passes its prerequisites fails to connect instead.
const nowhere = 'http://127.0.0.1:9/token';

describe('grant prerequisites', () => {
  it.each([
    [
      'client credentials, ID only',
      { type: 'client_credentials', client: { id: 'c' } },
      [
        {
          field: 'client.secret',
          message: expect.stringMatching(/needs a Client Secret, or a JWT client authentication/),
        },
      ],
    ],
    [
      'client credentials, client_secret_jwt without the secret',
      { type: 'client_credentials', client: { id: 'c', authMethod: 'client_secret_jwt' } },
      [
        {
          field: 'client.secret',
          message: 'client_secret_jwt signs with the Client Secret: enter it.',
        },
      ],
    ],
    [
      'client credentials with a secret',
      { type: 'client_credentials', client: { id: 'c', secret: 's' } },
      [],
    ],
    [
      'client credentials with private_key_jwt',
      {
        type: 'client_credentials',
        client: { id: 'c', authMethod: 'private_key_jwt' },
        jwt: { signing: { keystore: 'demo', alias: 'signing' } },
      },
      [],
    ],
    [
      'client credentials with a client certificate (RFC 8705)',
      {
        type: 'client_credentials',
        client: { id: 'c' },
        ssl: { enabled: true, keystoreAlias: 'mtls' },
      },
      [],
    ],
    [
      'password grant without a client ID or user',
      { type: 'password' },
      [
        { field: 'client.id', message: 'The password grant needs a Client ID.' },
        { field: 'username', message: "Enter the resource owner's Username." },
      ],
    ],
    ['password grant, ID and user', { type: 'password', client: { id: 'c' }, username: 'u' }, []],
  ] as const)('%s', async (_label, input, expected) => {
    const conn = connection({ tokenEndpoint: nowhere, ...input } as Parameters<
      typeof connection
    >[0]);
    expect(prerequisitesOf(conn)).toEqual(expected);
    const e = await failure(requestToken(conn, await testContext()));
    if (expected.length) {
      expect([e.code, e.field]).toEqual(['invalid_input', expected[0]!.field]);
    } else {
      expect([e.code, e.field]).toEqual(['connection_refused', undefined]);
    }
  });
});
