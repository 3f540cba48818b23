/**
 * Every flow and client-authentication variant end to end against a real OpenID provider
 * (oidc-provider) on 127.0.0.1, checked from what the server received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createPrivateKey } from 'node:crypto';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  JWT_BEARER_ISSUER,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures, opensslThumbprint } from '../../support/fixtures.js';
import { connection, testContext, failure } from '../../support/engine.js';
import { completeLogin } from '../../support/login-driver.js';
import type { FlowContext } from '../../../electron/core/oauth/flow-context.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { refreshToken } from '../../../electron/core/grants/refresh.js';
import { buildConnectionAssertion as generateClientAssertion } from '../../../electron/core/grants/assertions.js';
import { PKCE_OFF_WARNING } from '../../../electron/core/oauth/authorization-request.js';
import type { HttpClient } from '../../../electron/core/http/http-client.js';
import type {
  JwtClientAssertionConnection,
  AuthorizationCodeConnection,
} from '../../../shared/connection.js';

let server: AuthorizationServer;
let ctx: FlowContext & { http: HttpClient };
let rsaX5t: string;

beforeAll(async () => {
  const f = await fixtures();
  const signingKey = createPrivateKey(f.text('rsa.key'));
  const ecKey = createPrivateKey(f.text('ec.key'));
  server = await startAuthorizationServer({ signingKey, trustedIssuers: { 'ec-issuer': ecKey } });
  ctx = await testContext();
  rsaX5t = opensslThumbprint(f.path('rsa.crt'), 'sha1').base64url;
});
afterAll(async () => {
  await ctx.http.close();
  await server.close();
});

const lastTokenRequest = () => {
  const all = server.tokenRequests();
  return all[all.length - 1]!;
};

const signing = { signing: { keystore: 'demo', alias: 'signing' } };

describe('token request format (DESIGN protocol rules)', () => {
  it('POSTs a form with Content-Type form-urlencoded and Accept application/json', async () => {
    await requestToken(
      connection({
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      }),
      ctx,
    );
    const req = lastTokenRequest();
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.accept).toBe('application/json');
  });
});

describe('client credentials, every client authentication', () => {
  it('basic (default with ID and secret): RFC 6749 §2.3.1 header, nothing in the body', async () => {
    const result = await requestToken(
      connection({
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      }),
      ctx,
    );
    expect(result.accessToken).toBeTruthy();
    expect(result.tokenType).toBe('Bearer');
    expect(result.expiresIn).toBe(3600);
    const req = lastTokenRequest();
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from(`cc-basic:${SANDBOX_SECRET}`).toString('base64')}`,
    );
    expect(req.form.get('grant_type')).toBe('client_credentials');
    expect(req.form.has('client_secret')).toBe(false);
    expect(req.form.has('client_id')).toBe(false);
  });

  it('body (clientSecretInBody): client_id and client_secret in the form, no header', async () => {
    const result = await requestToken(
      connection({
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-post', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' },
      }),
      ctx,
    );
    expect(result.accessToken).toBeTruthy();
    const req = lastTokenRequest();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.form.get('client_id')).toBe('cc-post');
    expect(req.form.get('client_secret')).toBe(SANDBOX_SECRET);
  });

  it('private_key_jwt: a fresh assertion each time, sub = client ID, x5t header, no client_id unless asked', async () => {
    const conn = connection({
      type: 'client_credentials',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
      jwt: { ...signing, claims: { subject: 'someone-else' } },
    });
    const first = await requestToken(conn, ctx);
    expect(first.accessToken).toBeTruthy();
    const req1 = lastTokenRequest();
    expect(req1.form.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    expect(req1.form.has('client_id')).toBe(false);
    expect(req1.headers.authorization).toBeUndefined();
    const assertion1 = req1.form.get('client_assertion')!;
    const claims = decodeJwt(assertion1);
    expect(claims.sub).toBe('cc-private-key-jwt'); // sub is forced to the client ID
    expect(claims.iss).toBe('cc-private-key-jwt');
    expect(claims.aud).toBe(server.tokenEndpoint);
    expect(decodeProtectedHeader(assertion1)).toMatchObject({
      alg: 'RS256',
      x5t: rsaX5t,
      typ: 'JWT',
    });

    await requestToken(conn, ctx);
    const assertion2 = lastTokenRequest().form.get('client_assertion')!;
    expect(assertion2).not.toBe(assertion1);
    expect(decodeJwt(assertion2).jti).not.toBe(claims.jti);

    await requestToken(
      { ...conn, client: { ...conn.client, sendClientIdWithAssertion: true } },
      ctx,
    );
    expect(lastTokenRequest().form.get('client_id')).toBe('cc-private-key-jwt');
  });

  it('client_secret_jwt: HS256 assertion signed with the secret', async () => {
    const result = await requestToken(
      connection({
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-secret-jwt', secret: SANDBOX_SECRET, authMethod: 'client_secret_jwt' },
      }),
      ctx,
    );
    expect(result.accessToken).toBeTruthy();
    expect(decodeProtectedHeader(lastTokenRequest().form.get('client_assertion')!).alg).toBe(
      'HS256',
    );
  });

  it("a wrong secret is the server's invalid_client, shown as such with the exchange", async () => {
    const e = await failure(
      requestToken(
        connection({
          type: 'client_credentials',
          tokenEndpoint: server.tokenEndpoint,
          client: { id: 'cc-basic', secret: 'wrong' },
        }),
        ctx,
      ),
    );
    expect(e.code).toBe('oauth_error');
    expect(e.detail).toMatchObject({ status: 401, error: 'invalid_client' });
    const exchanges = e.detail?.exchanges as Array<{
      request: { headers: Record<string, string> };
    }>;
    expect(exchanges[0]?.request.headers.authorization).toBe('Basic ••••••');
  });

  it('resource (RFC 8707) reaches the server and scopes the token', async () => {
    const result = await requestToken(
      connection({
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-basic', secret: SANDBOX_SECRET },
        params: { scope: 'api:read', resource: ['https://api.sandbox.test/'] },
      }),
      ctx,
    );
    expect(lastTokenRequest().form.getAll('resource')).toEqual(['https://api.sandbox.test/']);
    expect(decodeJwt(result.token).aud).toBe('https://api.sandbox.test/');
    expect(result.scope).toBe('api:read');
  });
});

describe('password grant, every client authentication, and refresh', () => {
  const password = (client: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    connection({
      type: 'password',
      tokenEndpoint: server.tokenEndpoint,
      username: 'alice',
      password: 'wonderland',
      client,
      params: { scope: 'openid offline_access' },
      ...extra,
    });

  it.each([
    [
      'basic',
      { id: 'ropc-basic', secret: SANDBOX_SECRET },
      (f: URLSearchParams, h: Record<string, unknown>) => {
        expect(h.authorization).toMatch(/^Basic /);
        expect(f.has('client_id')).toBe(false);
      },
    ],
    [
      'body',
      { id: 'ropc-post', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' },
      (f: URLSearchParams, h: Record<string, unknown>) => {
        expect(h.authorization).toBeUndefined();
        expect(f.get('client_secret')).toBe(SANDBOX_SECRET);
      },
    ],
    [
      'ID only (no secret)',
      { id: 'ropc-public' },
      (f: URLSearchParams, h: Record<string, unknown>) => {
        expect(h.authorization).toBeUndefined();
        expect(f.get('client_id')).toBe('ropc-public');
        expect(f.has('client_secret')).toBe(false);
      },
    ],
    // z/OS Connect (seed 001): "If a client ID is specified without a client secret, it is
    // always sent to the authorization server in the request body", whatever the method says.
    [
      'body without a secret (clientSecretInBody): client_id alone, no empty client_secret',
      { id: 'ropc-public', authMethod: 'client_secret_post' },
      (f: URLSearchParams, h: Record<string, unknown>) => {
        expect(h.authorization).toBeUndefined();
        expect(f.getAll('client_id')).toEqual(['ropc-public']);
        expect(f.has('client_secret')).toBe(false);
      },
    ],
    [
      'Basic without a secret: the ID in the body, no Authorization header',
      { id: 'ropc-public', authMethod: 'client_secret_basic' },
      (f: URLSearchParams, h: Record<string, unknown>) => {
        expect(h.authorization).toBeUndefined();
        expect(f.getAll('client_id')).toEqual(['ropc-public']);
        expect(f.has('client_secret')).toBe(false);
      },
    ],
    [
      'private_key_jwt',
      { id: 'ropc-private-key-jwt', authMethod: 'private_key_jwt' },
      (f: URLSearchParams) => {
        expect(decodeJwt(f.get('client_assertion')!).sub).toBe('ropc-private-key-jwt');
      },
    ],
  ])('%s', async (_label, client, check) => {
    const conn = password(client, { jwt: signing });
    const result = await requestToken(conn, ctx);
    expect(result.accessToken).toBeTruthy();
    expect(result.refreshToken).toBeTruthy();
    const req = lastTokenRequest();
    expect(req.form.get('grant_type')).toBe('password');
    expect(req.form.get('username')).toBe('alice');
    expect(req.form.get('password')).toBe('wonderland');
    check(req.form, req.headers);

    const refreshed = await refreshToken(conn, result.refreshToken!, ctx);
    expect(refreshed.accessToken).toBeTruthy();
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    const refreshReq = lastTokenRequest();
    expect(refreshReq.form.get('grant_type')).toBe('refresh_token');
    expect(refreshReq.form.get('refresh_token')).toBe(result.refreshToken);
    check(refreshReq.form, refreshReq.headers);
  });

  it('a wrong password is invalid_grant', async () => {
    const e = await failure(
      requestToken(password({ id: 'ropc-public' }, { password: 'nope' }), ctx),
    );
    expect(e.code).toBe('oauth_error');
    expect(e.detail).toMatchObject({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
    });
  });

  it('scope, repeated resource, audience and custom parameters go on the token request; refresh parameters on refresh', async () => {
    const conn = password(
      { id: 'ropc-public' },
      {
        params: {
          scope: 'openid  offline_access',
          resource: ['https://a.sandbox.test/', 'https://b.sandbox.test/'],
          audience: 'sandbox-api',
          tokenParams: [{ name: 'tenant', value: 'contoso & co' }],
          refreshParams: [{ name: 'refresh_hint', value: 'yes' }],
        },
      },
    );
    const result = await requestToken(conn, ctx);
    const form = lastTokenRequest().form;
    expect(form.get('scope')).toBe('openid offline_access');
    expect(form.getAll('resource')).toEqual(['https://a.sandbox.test/', 'https://b.sandbox.test/']);
    expect(form.get('audience')).toBe('sandbox-api');
    expect(form.get('tenant')).toBe('contoso & co');
    expect(form.has('refresh_hint')).toBe(false);
    await refreshToken(conn, result.refreshToken!, ctx);
    const refreshForm = lastTokenRequest().form;
    expect(refreshForm.get('refresh_hint')).toBe('yes');
    expect(refreshForm.has('tenant')).toBe(false);
  });
});

describe('JWT bearer grant (RFC 7523 §2.1)', () => {
  it('RS256 from a PKCS#12 alias, aud defaulting to the token endpoint', async () => {
    const result = await requestToken(
      connection({
        type: 'jwt_bearer',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'jwt-bearer' },
        params: { scope: 'api:read' },
        jwt: {
          ...signing,
          claims: { issuer: JWT_BEARER_ISSUER, subject: 'alice', expirationMinutes: 3 },
        },
      }),
      ctx,
    );
    expect(result.accessToken).toBeTruthy();
    const form = lastTokenRequest().form;
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = decodeJwt(form.get('assertion')!);
    expect(claims).toMatchObject({
      iss: JWT_BEARER_ISSUER,
      sub: 'alice',
      aud: server.tokenEndpoint,
    });
    expect(claims.exp! - claims.iat!).toBe(180);
    expect(result.assertionCheck?.findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  it('ES256 from an EC key', async () => {
    const result = await requestToken(
      connection({
        type: 'jwt_bearer',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'jwt-bearer' },
        jwt: {
          signing: { keystore: 'ec', alias: 'ec-signing' },
          claims: { issuer: 'ec-issuer', subject: 'alice' },
        },
      }),
      ctx,
    );
    expect(result.accessToken).toBeTruthy();
    expect(decodeProtectedHeader(lastTokenRequest().form.get('assertion')!).alg).toBe('ES256');
  });

  it('a JWT signed by an unknown key is refused by the server (invalid_grant)', async () => {
    const e = await failure(
      requestToken(
        connection({
          type: 'jwt_bearer',
          tokenEndpoint: server.tokenEndpoint,
          client: { id: 'jwt-bearer' },
          jwt: {
            signing: { keystore: 'ec', alias: 'ec-signing' },
            claims: { issuer: JWT_BEARER_ISSUER, subject: 'alice' },
          },
        }),
        ctx,
      ),
    );
    expect(e.code).toBe('oauth_error');
    expect(e.detail?.error).toBe('invalid_grant');
  });
});

describe('JWT client assertion flow (CloudStreams: Generate JWT Token, then Submit Request)', () => {
  const assertionConn = (extra: Record<string, unknown> = {}) =>
    connection({
      type: 'jwt_client_assertion',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'cc-private-key-jwt' },
      params: { scope: 'api:read' },
      jwt: { ...signing, header: { includeX5tS256: true, includeKid: true } },
      ...extra,
    }) as JwtClientAssertionConnection;

  it('generates an assertion with x5t from the certificate, checks it, then submits it', async () => {
    const conn = assertionConn();
    const { assertion, check } = await generateClientAssertion(conn, ctx);
    const header = decodeProtectedHeader(assertion);
    expect(header.x5t).toBe(rsaX5t);
    expect(header['x5t#S256']).toBe(
      opensslThumbprint((await fixtures()).path('rsa.crt'), 'sha256').base64url,
    );
    expect(header.kid).toMatch(/^[\w-]{43}$/);
    expect(check.findings.filter((f) => f.level !== 'ok')).toEqual([]);
    expect(check.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['aud', 'exp', 'x5t', 'signature']),
    );

    const result = await requestToken({ ...conn, clientAssertion: assertion }, ctx);
    expect(result.accessToken).toBeTruthy();
    const form = lastTokenRequest().form;
    expect([...form.keys()]).toEqual([
      'grant_type',
      'client_id',
      'scope',
      'client_assertion_type',
      'client_assertion',
    ]);
    expect(form.get('client_assertion')).toBe(assertion);
  });

  it('the Graph scope is the default of a new connection of this type', async () => {
    const { newConnection, connectionSchema } = await import('../../../shared/connection.js');
    const c = connectionSchema.parse(
      newConnection('jwt_client_assertion', {
        id: 'x',
        name: 'x',
        tokenEndpoint: server.tokenEndpoint,
      }),
    );
    expect(c.params.scope).toBe('https://graph.microsoft.com/.default');
  });

  it('a pasted assertion is sent as it is; a mismatched x5t is flagged before sending', async () => {
    const conn = assertionConn({
      jwt: { ...signing, header: { x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' } },
    });
    const { assertion, check } = await generateClientAssertion(conn, ctx);
    expect(check.findings.find((f) => f.code === 'x5t_mismatch')?.level).toBe('error');
    expect(check.findings.find((f) => f.code === 'x5t_mismatch')?.message).toMatch(/AADSTS700027/);
    // oidc-provider does not look at x5t, so the pasted assertion still works there.
    const result = await requestToken(assertionConn({ clientAssertion: assertion }), ctx);
    expect(result.accessToken).toBeTruthy();
    expect(lastTokenRequest().form.get('client_assertion')).toBe(assertion);
  });

  it('Submit Request with an empty Client Assertion generates one', async () => {
    const result = await requestToken(assertionConn(), ctx);
    expect(result.accessToken).toBeTruthy();
    expect(
      result.assertionCheck?.findings.some((f) => f.code === 'signature' && f.level === 'ok'),
    ).toBe(true);
  });
});

describe('authorization code + PKCE + loopback redirect', () => {
  const authConn = (extra: Record<string, unknown> = {}) =>
    connection({
      type: 'authorization_code',
      tokenEndpoint: server.tokenEndpoint,
      authorizationEndpoint: server.authorizationEndpoint,
      issuer: server.issuer,
      client: { id: 'native-app' },
      params: {
        scope: 'openid offline_access api:read',
        authorizationParams: [{ name: 'prompt', value: 'consent' }],
      },
      ...extra,
    }) as AuthorizationCodeConnection;

  it('logs in through the browser, exchanges the code with the verifier, and refreshes', async () => {
    let authUrl = '';
    let page = '';
    const progress: string[] = [];
    const result = await requestToken(authConn(), {
      ...ctx,
      onProgress: (p) => progress.push(p.step),
      openUrl: async (url) => {
        authUrl = url;
        page = (await completeLogin(url, 'alice')).page;
      },
    });
    const params = new URL(authUrl).searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toMatch(/^[\w-]{43}$/);
    expect(params.get('prompt')).toBe('consent');
    expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(page).toContain('You can close this window');
    // The issuer's metadata first: whether it requires PAR and promises iss (RFC 9207).
    expect(progress).toEqual(['discovery', 'listening', 'browser', 'callback', 'token_request']);
    expect(result.accessToken).toBeTruthy();
    expect(result.idToken).toBeTruthy();
    expect(result.refreshToken).toBeTruthy();
    const form = lastTokenRequest().form;
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')).toMatch(/^[\w-]{64}$/);
    expect(form.get('redirect_uri')).toBe(params.get('redirect_uri'));
    expect(form.get('client_id')).toBe('native-app');

    const refreshed = await refreshToken(authConn(), result.refreshToken!, ctx);
    expect(refreshed.accessToken).toBeTruthy();
  });

  it('a callback with a wrong state is ignored (and said so); the real sign-in then completes', async () => {
    const progress: string[] = [];
    const result = await requestToken(authConn(), {
      ...ctx,
      onProgress: (p) => progress.push(p.message),
      openUrl: async (url) => {
        const redirect = new URL(url).searchParams.get('redirect_uri')!;
        // Another local program races the browser with a code of its own.
        const forged = await fetch(`${redirect}?code=attacker-code&state=forged`);
        expect(forged.status).toBe(400);
        await completeLogin(url, 'alice');
      },
    });
    expect(result.accessToken).toBeTruthy();
    expect(progress).toContain('A callback with a wrong state was ignored');
    expect(lastTokenRequest().form.get('code')).not.toBe('attacker-code');
    expect(result.warnings.join('\n')).not.toMatch(/PKCE/);
  });

  it('PKCE off is said loudly: in the progress line and in the warnings of the result', async () => {
    const progress: string[] = [];
    const result = await requestToken(
      authConn({ pkce: false, client: { id: 'web-app', secret: SANDBOX_SECRET } }),
      {
        ...ctx,
        onProgress: (p) => progress.push(p.message),
        openUrl: async (url) => {
          expect(new URL(url).searchParams.has('code_challenge')).toBe(false);
          await completeLogin(url, 'alice');
        },
      },
    );
    expect(result.accessToken).toBeTruthy();
    expect(lastTokenRequest().form.has('code_verifier')).toBe(false);
    expect(result.warnings).toContain(PKCE_OFF_WARNING);
    expect(PKCE_OFF_WARNING).toMatch(/^PKCE is off: /);
    expect(progress).toContain(PKCE_OFF_WARNING);
  });

  it('token path $.id_token picks the id_token as the token', async () => {
    const result = await requestToken(authConn({ tokenPath: '$.id_token' }), {
      ...ctx,
      openUrl: async (url) => void (await completeLogin(url, 'alice')),
    });
    expect(result.token).toBe(result.idToken);
    expect(decodeJwt(result.token).sub).toBe('alice');
  });

  it('a confidential client authenticates the code exchange with basic', async () => {
    const result = await requestToken(
      authConn({ client: { id: 'web-app', secret: SANDBOX_SECRET } }),
      {
        ...ctx,
        openUrl: async (url) => void (await completeLogin(url, 'alice')),
      },
    );
    expect(result.accessToken).toBeTruthy();
    expect(lastTokenRequest().headers.authorization).toMatch(/^Basic /);
  });

  it('the user denying access is authorization_denied, and the port is released', async () => {
    let port = 0;
    const e = await failure(
      requestToken(authConn({ redirect: { port: 0 } }), {
        ...ctx,
        openUrl: async (url) => {
          port = Number(new URL(new URL(url).searchParams.get('redirect_uri')!).port);
          await completeLogin(url, 'alice', { deny: true });
        },
      }),
    );
    expect(e.code).toBe('authorization_denied');
    expect(e.message).toContain('access_denied');
    const { createServer } = await import('node:net');
    await new Promise<void>((resolve, reject) => {
      const s = createServer()
        .once('error', reject)
        .listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });

  it('a fixed port the user registered, on [::1]', async () => {
    const { createServer } = await import('node:net');
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '::1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const result = await requestToken(authConn({ redirect: { host: '[::1]', port: free } }), {
      ...ctx,
      openUrl: (url) => {
        expect(new URL(url).searchParams.get('redirect_uri')).toBe(`http://[::1]:${free}/callback`);
        return completeLogin(url, 'alice').then(() => undefined);
      },
    });
    expect(result.accessToken).toBeTruthy();
  });
});

describe('token response handling', () => {
  it('a token path with no such field is missing_token, naming what came back', async () => {
    const e = await failure(
      requestToken(
        connection({
          type: 'client_credentials',
          tokenEndpoint: server.tokenEndpoint,
          client: { id: 'cc-basic', secret: SANDBOX_SECRET },
          tokenPath: '$.id_token',
        }),
        ctx,
      ),
    );
    expect(e.code).toBe('missing_token');
    expect(e.message).toMatch(/no id_token .* it has: access_token, expires_in, token_type/);
  });

  it('the exchange shown to the user masks secrets and tokens', async () => {
    const result = await requestToken(
      connection({
        type: 'client_credentials',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'cc-post', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' },
      }),
      ctx,
    );
    const [exchange] = result.exchanges;
    expect(exchange?.request.body).toMatch(/client_secret=••••••(&|$)/);
    expect(exchange?.request.body).not.toContain('sandbo…');
    expect(exchange?.request.body).not.toContain(SANDBOX_SECRET);
    expect(exchange?.response?.body).not.toContain(result.accessToken!);
    expect(exchange?.response?.status).toBe(200);
  });
});
