/**
 * Token exchange (RFC 8693) end to end against the sandbox's registered token-exchange grant:
 * pasted and chained subject tokens (through the same getToken use case as `tokensmith token`),
 * actor tokens and `act`, the requested token type, refusals, the chain listed with each hop's
 * claims, and cache keys over the tokens' hashes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import {
  EXCHANGE_DEFAULT_AUDIENCE,
  SANDBOX_SECRET,
  TOKEN_EXCHANGE_CLIENT,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, failure, testContext } from '../../support/engine.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { TokenCache } from '../../../electron/core/cache/token-cache.js';
import { cacheKeyInputs } from '../../../electron/core/cache/cache-key.js';
import { obtainToken } from '../../../electron/core/token-service.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import {
  closeSession,
  createSession,
  type Session,
} from '../../../electron/core/use-cases/session.js';
import { getToken } from '../../../electron/core/use-cases/tokens.js';
import {
  TOKEN_EXCHANGE_GRANT,
  TOKEN_TYPES,
  connectionSchema,
  type Connection,
  type ConnectionInput,
} from '../../../shared/connection.js';

let server: AuthorizationServer;

beforeAll(async () => {
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
    users: ['alice', 'bob'].map((username) => ({ username, password: 'wonderland' })),
  });
});
afterAll(() => server.close());

const passwordConn = (username = 'alice'): ConnectionInput => ({
  id: `password-${username}`,
  name: `password-${username}`,
  type: 'password',
  tokenEndpoint: server.tokenEndpoint,
  client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
  username,
  password: 'wonderland',
  params: { scope: 'api:read' },
});

const exchangeConn = (extra: Record<string, unknown> = {}): Connection =>
  connection({
    type: 'token_exchange',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: TOKEN_EXCHANGE_CLIENT, secret: SANDBOX_SECRET },
    params: { scope: 'api:read' },
    ...extra,
  });

async function userToken(): Promise<string> {
  const ctx = await testContext();
  const result = await requestToken(connectionSchema.parse(passwordConn()), ctx);
  await ctx.http.close();
  return result.token;
}

async function clientToken(): Promise<string> {
  const ctx = await testContext();
  const result = await requestToken(
    connection({
      type: 'client_credentials',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      params: { scope: 'api:read' },
    }),
    ctx,
  );
  await ctx.http.close();
  return result.token;
}

describe('token exchange with pasted tokens', () => {
  it('exchanges the subject token for a new one: RFC 8693 request, issued_token_type, the chain', async () => {
    const subject = await userToken();
    const ctx = await testContext();
    const result = await requestToken(
      exchangeConn({ subjectToken: { source: 'value', value: subject } }),
      ctx,
    );
    await ctx.http.close();
    const sent = server.tokenRequests().at(-1)!.form;
    expect(sent.get('grant_type')).toBe(TOKEN_EXCHANGE_GRANT);
    expect(sent.get('subject_token')).toBe(subject);
    expect(sent.get('subject_token_type')).toBe(TOKEN_TYPES.access_token);
    expect(sent.has('actor_token')).toBe(false);
    expect(result.issuedTokenType).toBe(TOKEN_TYPES.access_token);
    const claims = decodeJwt(result.token);
    expect(claims).toMatchObject({
      sub: 'alice',
      client_id: TOKEN_EXCHANGE_CLIENT,
      aud: EXCHANGE_DEFAULT_AUDIENCE,
    });
    expect(claims.act).toBeUndefined();
    expect(result.chain).toEqual([
      { role: 'subject', tokenType: TOKEN_TYPES.access_token, source: 'pasted' },
      {
        connection: 'test',
        role: 'issued',
        tokenType: TOKEN_TYPES.access_token,
        source: 'network',
        claims,
      },
    ]);
    // The subject token is a credential: masked in the exchange shown.
    expect(result.exchanges[0]?.request.body).toMatch(/subject_token=••••••&/);
  });

  it('an actor token puts act in the issued token; audience and requested type are sent', async () => {
    const [subject, actor] = [await userToken(), await clientToken()];
    const ctx = await testContext();
    const result = await requestToken(
      exchangeConn({
        subjectToken: { source: 'value', value: subject },
        actorToken: { source: 'value', value: actor },
        requestedTokenType: TOKEN_TYPES.jwt,
        params: { scope: 'api:read', audience: 'https://orders.sandbox.test' },
      }),
      ctx,
    );
    await ctx.http.close();
    const sent = server.tokenRequests().at(-1)!.form;
    expect(sent.get('actor_token_type')).toBe(TOKEN_TYPES.access_token);
    expect(sent.get('requested_token_type')).toBe(TOKEN_TYPES.jwt);
    expect(sent.get('audience')).toBe('https://orders.sandbox.test');
    expect(result.issuedTokenType).toBe(TOKEN_TYPES.jwt);
    expect(decodeJwt(result.token)).toMatchObject({
      sub: 'alice',
      aud: 'https://orders.sandbox.test',
      act: { sub: 'cc-basic' },
    });
    expect(result.chain?.map((h) => h.role)).toEqual(['subject', 'actor', 'issued']);
  });

  it('a refused exchange says so: a subject token the server does not know', async () => {
    const ctx = await testContext();
    const e = await failure(
      requestToken(
        exchangeConn({ subjectToken: { source: 'value', value: 'not-a-token-of-this-server' } }),
        ctx,
      ),
    );
    expect(e.code).toBe('oauth_error');
    expect(e.message).toBe(
      'The authorization server refused the token exchange: invalid_grant (the subject_token is not an active token of this server (expired, revoked or unknown)).',
    );
    expect(e.message).not.toContain('not-a-token-of-this-server');
  });

  it('an unsupported requested token type is refused with the server’s reason', async () => {
    const subject = await userToken();
    const ctx = await testContext();
    const e = await failure(
      requestToken(
        exchangeConn({
          subjectToken: { source: 'value', value: subject },
          requestedTokenType: TOKEN_TYPES.saml2,
        }),
        ctx,
      ),
    );
    expect(e.code).toBe('oauth_error');
    expect(e.message).toMatch(
      /^The authorization server refused the token exchange: invalid_request \(requested_token_type urn:ietf:params:oauth:token-type:saml2 is not supported here/,
    );
  });

  it('no subject token: a clear error naming the field', async () => {
    const ctx = await testContext();
    const pasted = await failure(
      requestToken(exchangeConn({ subjectToken: { source: 'value' } }), ctx),
    );
    expect(pasted.field).toBe('subjectToken.value');
    expect(pasted.message).toBe('Enter the subject token to exchange.');
    const chained = await failure(requestToken(exchangeConn(), ctx));
    expect(chained.field).toBe('subjectToken.connection');
    const loneEngine = await failure(
      requestToken(exchangeConn({ subjectToken: { connection: 'elsewhere' } }), ctx),
    );
    expect(loneEngine.code).toBe('unsupported');
  });
});

describe('cache keys of exchanged tokens', () => {
  it('two subjects never share a cached token; the key holds hashes, not tokens', async () => {
    const [one, two] = [await userToken(), await userToken()];
    const ctx = await testContext();
    const cache = new TokenCache();
    const first = await obtainToken(
      exchangeConn({ subjectToken: { source: 'value', value: one } }),
      ctx,
      { cache },
    );
    const again = await obtainToken(
      exchangeConn({ subjectToken: { source: 'value', value: one } }),
      ctx,
      { cache },
    );
    const other = await obtainToken(
      exchangeConn({ subjectToken: { source: 'value', value: two } }),
      ctx,
      { cache },
    );
    await ctx.http.close();
    expect([first.source, again.source, other.source]).toEqual(['network', 'cache', 'network']);
    expect(again.result.token).toBe(first.result.token);
    expect(other.result.token).not.toBe(first.result.token);
    expect(cache.size).toBe(2);
    const inputs = JSON.stringify(
      cacheKeyInputs(exchangeConn({ subjectToken: { source: 'value', value: one } })),
    );
    expect(inputs).not.toContain(one);
  });
});

describe('chained exchanges through the saved connections', () => {
  let session: Session;
  const save = async (...conns: ConnectionInput[]) =>
    session.workspace.store.update((doc) => {
      doc.connections = [
        ...doc.connections.filter((c) => !conns.some((n) => n.name === c.name)),
        ...conns.map((c) => connectionSchema.parse(c)),
      ];
    });
  const hop = (
    name: string,
    subject: string,
    extra: Record<string, unknown> = {},
  ): ConnectionInput => ({
    id: name,
    name,
    type: 'token_exchange',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: TOKEN_EXCHANGE_CLIENT, secret: SANDBOX_SECRET },
    subjectToken: { source: 'connection', connection: subject },
    params: { scope: 'api:read' },
    ...extra,
  });
  const named = async (name: string) =>
    (await session.workspace.store.read()).connections.find((c) => c.name === name)!;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokensmith-exchange-'));
    session = createSession({ workspace: await openWorkspace(dir, { SUBJECT: 'x' }), env: {} });
    await save(
      passwordConn('alice'),
      passwordConn('bob'),
      hop('first-hop', 'password-alice', {
        params: { scope: 'api:read', audience: 'https://orders.sandbox.test' },
      }),
      hop('second-hop', 'first-hop', {
        params: { scope: 'api:read', audience: 'https://reports.sandbox.test' },
      }),
      hop('loop-a', 'loop-b'),
      hop('loop-b', 'loop-a'),
    );
  });
  afterAll(() => closeSession(session));

  it('lists each hop with its connection and claims; upstream tokens come from the cache', async () => {
    const { result } = await getToken(session, await named('second-hop'));
    expect(result.chain?.map((h) => [h.connection, h.role])).toEqual([
      ['password-alice', 'subject'],
      ['first-hop', 'subject'],
      ['second-hop', 'issued'],
    ]);
    expect(result.chain?.[0]?.claims).toBeUndefined(); // an opaque token
    expect(result.chain?.[1]?.claims).toMatchObject({
      sub: 'alice',
      aud: 'https://orders.sandbox.test',
    });
    expect(result.chain?.[2]?.claims).toMatchObject({
      sub: 'alice',
      aud: 'https://reports.sandbox.test',
    });
    // The upstream connections' tokens were cached as `tokensmith token` caches them.
    const before = server.tokenRequests().length;
    const upstream = await getToken(session, await named('first-hop'));
    expect(upstream.source).toBe('cache');
    expect(server.tokenRequests().length).toBe(before);
  });

  it('a new subject token (another user upstream) is a new exchange, never the cached one', async () => {
    const alice = await getToken(session, await named('first-hop'));
    await save(
      hop('first-hop', 'password-bob', {
        params: { scope: 'api:read', audience: 'https://orders.sandbox.test' },
      }),
    );
    const bob = await getToken(session, await named('first-hop'));
    expect(bob.source).toBe('network');
    expect(decodeJwt(bob.result.token).sub).toBe('bob');
    expect(decodeJwt(alice.result.token).sub).toBe('alice');
  });

  it('a chain that loops is refused with the chain named', async () => {
    const e = await failure(getToken(session, await named('loop-a')));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe('The token exchange chain loops: loop-a → loop-b → loop-a.');
  });
});
