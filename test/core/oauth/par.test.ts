/**
 * Pushed authorization requests (RFC 9126) and the authorization response's `iss` (RFC 9207)
 * in the Authorization Code flow, against oidc-provider: the request pushed with client
 * authentication (and a DPoP proof), the browser given only client_id and request_uri, PAR on by
 * itself when the server's metadata requires it, and a response without or with another `iss`
 * refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { decodeJwt } from 'jose';
import {
  PAR_CLIENT,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, failure, testContext } from '../../support/engine.js';
import { completeLogin } from '../../support/login-driver.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import type { AuthorizationCodeConnection } from '../../../shared/connection.js';

let server: AuthorizationServer;
let requiring: AuthorizationServer;

beforeAll(async () => {
  const signingKey = createPrivateKey((await fixtures()).text('rsa.key'));
  server = await startAuthorizationServer({ signingKey });
  requiring = await startAuthorizationServer({
    signingKey,
    requirePushedAuthorizationRequests: true,
  });
});
afterAll(async () => {
  await server.close();
  await requiring.close();
});

const codeConn = (on: AuthorizationServer, extra: Record<string, unknown> = {}) =>
  connection({
    type: 'authorization_code',
    issuer: on.issuer,
    tokenEndpoint: on.tokenEndpoint,
    authorizationEndpoint: on.authorizationEndpoint,
    client: { id: PAR_CLIENT },
    params: { scope: 'openid api:read' },
    par: true,
    ...extra,
  }) as AuthorizationCodeConnection;

async function signIn(conn: AuthorizationCodeConnection) {
  const ctx = await testContext();
  let url = '';
  try {
    const result = await requestToken(conn, {
      ...ctx,
      openUrl: async (u) => {
        url = u;
        await completeLogin(u, 'alice');
      },
    });
    return { result, url: new URL(url) };
  } finally {
    await ctx.http.close();
  }
}

describe('pushed authorization requests (RFC 9126)', () => {
  it('pushes the request with PKCE and state; the browser gets only client_id and request_uri', async () => {
    const before = server.received.length;
    const { result, url } = await signIn(codeConn(server));
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('client_id')).toBe(PAR_CLIENT);
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const pushed = server.received.slice(before).find((r) => r.path === '/request')!;
    expect(pushed.method).toBe('POST');
    expect(pushed.form.get('response_type')).toBe('code');
    expect(pushed.form.get('client_id')).toBe(PAR_CLIENT);
    expect(pushed.form.get('code_challenge_method')).toBe('S256');
    expect(pushed.form.get('state')).toMatch(/^[\w-]{43}$/);
    expect(pushed.form.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(result.exchanges.map((e) => e.label)).toEqual(['pushed_authorization', 'token']);
    expect(result.exchanges[0]?.response?.status).toBe(201);
    expect(decodeJwt(result.idToken!).sub).toBe('alice');
  });

  it('is on by itself when the server requires it (require_pushed_authorization_requests)', async () => {
    const before = requiring.received.length;
    const { result, url } = await signIn(
      codeConn(requiring, { client: { id: 'native-app' }, par: false }),
    );
    expect(url.searchParams.has('request_uri')).toBe(true);
    expect(url.searchParams.has('state')).toBe(false);
    expect(requiring.received.slice(before).some((r) => r.path === '/request')).toBe(true);
    expect(result.accessToken).toBeTruthy();
  });

  it('with DPoP, the pushed request carries a proof for the PAR endpoint and the code is bound to it', async () => {
    const before = server.received.length;
    const { result } = await signIn(codeConn(server, { dpop: { enabled: true } }));
    const pushed = server.received.slice(before).find((r) => r.path === '/request')!;
    expect(decodeJwt(String(pushed.headers.dpop))).toMatchObject({
      htm: 'POST',
      htu: `${server.issuer}/request`,
    });
    expect(result.tokenType).toBe('DPoP');
    expect(result.bindings?.[0]?.ok).toBe(true);
  });

  it('without an endpoint it says where to set one', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(codeConn(server, { issuer: '' }), ctx));
    await ctx.http.close();
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('pushedAuthorizationRequestEndpoint');
    expect(e.message).toBe(
      'Enter the Pushed Authorization Request Endpoint (or the Issuer to discover it), or turn PAR off.',
    );
  });
});

describe('the iss of the authorization response (RFC 9207)', () => {
  /** A response that did not come from the provider: injected straight into the redirect. */
  async function injected(iss: string | undefined) {
    const ctx = await testContext();
    try {
      return await failure(
        requestToken(codeConn(server, { client: { id: 'native-app' }, par: false }), {
          ...ctx,
          openUrl: async (u) => {
            const url = new URL(u);
            const callback = new URL(url.searchParams.get('redirect_uri')!);
            callback.searchParams.set('code', 'injected-code');
            callback.searchParams.set('state', url.searchParams.get('state')!);
            if (iss) callback.searchParams.set('iss', iss);
            await fetch(callback);
          },
        }),
      );
    } finally {
      await ctx.http.close();
    }
  }

  it('a response without iss is refused when the server promises one', async () => {
    const e = await injected(undefined);
    expect(e.code).toBe('invalid_response');
    expect(e.message).toBe(
      `The authorization response has no iss, although ${server.issuer} promises one (authorization_response_iss_parameter_supported, RFC 9207): it may come from another server, so it was refused.`,
    );
  });

  it('a response from another issuer is refused', async () => {
    const e = await injected('https://attacker.example');
    expect(e.code).toBe('invalid_response');
    expect(e.message).toBe(
      `The authorization response came from https://attacker.example, not the configured issuer ${server.issuer}.`,
    );
  });

  it('an iss differing only by a trailing slash is refused: §2.4 compares exactly', async () => {
    const slashed = server.issuer.endsWith('/') ? server.issuer.slice(0, -1) : `${server.issuer}/`;
    const e = await injected(slashed);
    expect(e.code).toBe('invalid_response');
    expect(e.message).toBe(
      `The authorization response came from ${slashed}, not the configured issuer ${server.issuer}: they differ only by a trailing slash, but RFC 9207 §2.4 compares issuers exactly, so it was refused.`,
    );
  });

  it('the provider’s own responses carry its iss and pass', async () => {
    const { result } = await signIn(codeConn(server, { client: { id: 'native-app' }, par: false }));
    expect(result.accessToken).toBeTruthy();
  });
});
