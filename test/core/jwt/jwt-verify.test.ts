/**
 * The JWT inspector's verification (API Gateway seed 003: the signature checked with the issuer's
 * certificate or JWKS URI) against a JWKS URI (the sandbox's API Gateway issuer), a certificate,
 * a PEM public key and a shared secret, and its refusals: a wrong key, alg none, an expired token,
 * a wrong audience or issuer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  API_GATEWAY_AUDIENCE,
  SANDBOX_USER,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { verifyToken } from '../../../electron/core/jwt/jwt-inspect.js';
import { HttpClient } from '../../../electron/core/http/http-client.js';
import { fixtures, type Fixtures } from '../../support/fixtures.js';

let server: AuthorizationServer;
let f: Fixtures;
const http = new HttpClient();
const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

/** A JWT from the sandbox's API Gateway issuer (getJsonWebToken, Basic credentials). */
async function gatewayJwt(claims?: Record<string, unknown>): Promise<string> {
  const res = await fetch(server.apiGateway.tokenUrl, {
    method: claims ? 'POST' : 'GET',
    headers: {
      authorization: `Basic ${Buffer.from(`${SANDBOX_USER.username}:${SANDBOX_USER.password}`).toString('base64')}`,
      ...(claims ? { 'content-type': 'application/json' } : {}),
    },
    ...(claims ? { body: JSON.stringify(claims) } : {}),
  });
  return ((await res.json()) as { jwt: string }).jwt;
}

const now = () => Math.floor(Date.now() / 1000);
const signed = (key: Parameters<SignJWT['sign']>[0], alg: string, claims = {}) =>
  new SignJWT({ aud: 'my-api', ...claims })
    .setProtectedHeader({ alg })
    .setIssuer('https://issuer.example')
    .setIssuedAt()
    .setExpirationTime(now() + 300)
    .sign(key);
const failed = (r: { checks: Array<{ name: string; ok: boolean }> }) =>
  r.checks.filter((c) => !c.ok).map((c) => c.name);

beforeAll(async () => {
  f = await fixtures();
  server = await startAuthorizationServer({ signingKey: createPrivateKey(f.text('rsa.key')) });
});
afterAll(async () => {
  await http.close();
  await server.close();
});

describe('the JWT inspector verifies', () => {
  it('with a JWKS URI: the issuer’s token, its iss and aud', async () => {
    const result = await verifyToken(
      await gatewayJwt(),
      {
        method: 'jwks_uri',
        value: server.apiGateway.jwksUrl,
        issuer: server.apiGateway.issuer,
        audience: API_GATEWAY_AUDIENCE,
      },
      http,
    );
    expect(result.valid).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual(['signature', 'exp', 'iss', 'aud']);
  });

  it('with a JWKS URI: refuses a wrong audience and an expired token', async () => {
    const wrongAudience = await verifyToken(
      await gatewayJwt({ aud: 'someone-else' }),
      { method: 'jwks_uri', value: server.apiGateway.jwksUrl, audience: API_GATEWAY_AUDIENCE },
      http,
    );
    expect([wrongAudience.valid, failed(wrongAudience)]).toEqual([false, ['aud']]);
    const expired = await verifyToken(
      await gatewayJwt({ exp: now() - 600 }),
      { method: 'jwks_uri', value: server.apiGateway.jwksUrl },
      http,
    );
    expect(failed(expired)).toEqual(['exp']);
  });

  it('with a certificate and with a PEM public key; a wrong key fails the signature', async () => {
    const rsa = createPrivateKey(f.text('rsa.key'));
    const token = await signed(rsa, 'RS256');
    const cert = await verifyToken(
      token,
      { method: 'certificate', value: f.text('rsa.crt') },
      http,
    );
    expect(cert.valid).toBe(true);
    const pem = createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string;
    const key = await verifyToken(token, { method: 'public_key', value: pem }, http);
    expect(key.valid).toBe(true);
    const wrong = await verifyToken(
      token,
      { method: 'certificate', value: f.text('ec.crt') },
      http,
    );
    expect([wrong.valid, failed(wrong)]).toEqual([false, ['signature']]);
  });

  it('with a shared secret; another secret, or an RS256 token, fails', async () => {
    const token = await signed(new TextEncoder().encode(SECRET), 'HS256');
    expect((await verifyToken(token, { method: 'secret', value: SECRET }, http)).valid).toBe(true);
    const other = await verifyToken(token, { method: 'secret', value: `${SECRET}x` }, http);
    expect(failed(other)).toEqual(['signature']);
    const rsaToken = await signed(createPrivateKey(f.text('rsa.key')), 'RS256');
    const confused = await verifyToken(rsaToken, { method: 'secret', value: SECRET }, http);
    expect(failed(confused)).toEqual(['signature']);
  });

  it('never accepts alg none, whatever the key', async () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'mallory', exp: now() + 60 })).toString(
      'base64url',
    );
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    for (const [method, value] of [
      ['secret', SECRET],
      ['certificate', f.text('rsa.crt')],
      ['jwks_uri', server.apiGateway.jwksUrl],
    ] as const) {
      const result = await verifyToken(unsigned, { method, value }, http);
      expect(result.valid).toBe(false);
      expect(result.checks[0]?.message).toMatch(/alg is none/);
    }
  });
});
