/** Discovery against oidc-provider's real metadata, and warnings for what it does not advertise. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, failure, testContext } from '../../support/engine.js';
import {
  checkAgainstMetadata,
  discover,
  discoveryUrls,
  endpointsFromMetadata,
} from '../../../electron/core/oauth/discovery.js';
import { DEFAULT_NETWORK_PROFILE } from '../../../electron/core/http/network-profile.js';

let server: AuthorizationServer;
beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
  });
});
afterAll(() => server.close());

describe('discovery', () => {
  it('builds both well-known URLs (RFC 8414 inserts before the path)', () => {
    expect(discoveryUrls('https://idp.test/tenant/v2.0/')).toEqual([
      'https://idp.test/tenant/v2.0/.well-known/openid-configuration',
      'https://idp.test/.well-known/oauth-authorization-server/tenant/v2.0',
    ]);
  });

  it('reads the metadata and prefills the endpoints', async () => {
    const ctx = await testContext();
    const result = await discover(server.issuer, ctx.http, DEFAULT_NETWORK_PROFILE);
    expect(result.url).toBe(`${server.issuer}/.well-known/openid-configuration`);
    expect(endpointsFromMetadata(result.metadata)).toEqual({
      tokenEndpoint: server.tokenEndpoint,
      authorizationEndpoint: server.authorizationEndpoint,
    });
    expect(result.exchanges[0]?.response?.status).toBe(200);
  });

  it('warns when the client authentication or grant is not advertised', async () => {
    const ctx = await testContext();
    const { metadata } = await discover(server.issuer, ctx.http, DEFAULT_NETWORK_PROFILE);
    const ok = connection({
      type: 'client_credentials',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'a', secret: 'b' },
    });
    expect(checkAgainstMetadata(ok, metadata)).toEqual([]);
    const restricted = {
      ...metadata,
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      grant_types_supported: ['authorization_code'],
    };
    expect(checkAgainstMetadata(ok, restricted)).toEqual([
      'The server does not advertise the client authentication client_secret_basic (it lists: client_secret_post).',
      'The server does not advertise the grant type client_credentials (it lists: authorization_code).',
    ]);
  });

  it('an issuer without metadata is not_found, naming what was tried', async () => {
    const ctx = await testContext();
    const e = await failure(
      discover(`${server.issuer}/nothing-here`, ctx.http, DEFAULT_NETWORK_PROFILE),
    );
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/No discovery document found .* answered 404/);
  });
});
