/** The node:crypto JWS signer against jose's verifier, for every algorithm Tokensmith offers. */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { signCompact, verifyCompact } from '../../../electron/core/jwt/jws.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = {
  RS: rsa,
  PS: rsa,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  EdDSA: generateKeyPairSync('ed25519'),
};
const cases: Array<[string, { privateKey: KeyObject; publicKey: KeyObject }]> = [
  ['RS256', keys.RS],
  ['RS384', keys.RS],
  ['RS512', keys.RS],
  ['PS256', keys.PS],
  ['PS384', keys.PS],
  ['PS512', keys.PS],
  ['ES256', keys.ES256],
  ['ES384', keys.ES384],
  ['ES512', keys.ES512],
  ['EdDSA', keys.EdDSA],
];

describe('JWS compact signing with node:crypto', () => {
  it.each(cases)('%s: jose verifies it; a changed payload does not verify', async (alg, pair) => {
    const jwt = signCompact({ alg, typ: 'JWT' }, { sub: 'alice', n: 1 }, pair.privateKey);
    const { payload, protectedHeader } = await compactVerify(jwt, pair.publicKey);
    expect(protectedHeader).toEqual({ alg, typ: 'JWT' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ sub: 'alice', n: 1 });
    expect(verifyCompact(jwt, alg, pair.publicKey)).toBe(true);
    const [h, , s] = jwt.split('.');
    const forged = `${h}.${Buffer.from('{"sub":"mallory","n":1}').toString('base64url')}.${s}`;
    expect(verifyCompact(forged, alg, pair.publicKey)).toBe(false);
  });

  it.each(['HS256', 'HS384', 'HS512'])('%s with a shared secret', async (alg) => {
    const secret = randomBytes(64);
    const jwt = signCompact({ alg }, { sub: 'c' }, secret);
    await expect(compactVerify(jwt, secret)).resolves.toBeTruthy();
    expect(verifyCompact(jwt, alg, secret)).toBe(true);
    expect(verifyCompact(jwt, alg, randomBytes(64))).toBe(false);
  });

  it('refuses what it cannot sign and rejects malformed input', () => {
    expect(() => signCompact({ alg: 'none' }, {}, rsa.privateKey)).toThrow(
      /Unsupported JWS algorithm none/,
    );
    expect(verifyCompact('a.b', 'RS256', rsa.publicKey)).toBe(false);
    expect(verifyCompact('a.b.c', 'XX1', rsa.publicKey)).toBe(false);
  });
});
