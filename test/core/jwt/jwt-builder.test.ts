/** The claim and header rules of DESIGN.md and z/OS Connect seed 002, with a frozen clock. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import {
  buildJwt,
  parseCustomClaims,
  type SigningKey,
} from '../../../electron/core/jwt/jwt-builder.js';
import { checkAssertion } from '../../../electron/core/jwt/assertion-check.js';
import { resolveAlgorithm, defaultAlgorithm } from '../../../electron/core/jwt/algorithms.js';
import { jwtSettings, type JwtSettings } from '../../../shared/connection.js';
import { TokensmithError } from '../../../electron/core/errors.js';
import { fixtures, opensslThumbprint } from '../../support/fixtures.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const IAT = NOW / 1000;
const AUD = 'https://login.example.test/oauth2/v2.0/token';
let rsa: Extract<SigningKey, { kind: 'private' }>;
let ec: KeyObject;
let rsaX5t: string;

beforeAll(async () => {
  const f = await fixtures();
  rsa = {
    kind: 'private',
    privateKey: createPrivateKey(f.text('rsa.key')),
    chain: [new X509Certificate(f.read('rsa.crt'))],
  };
  ec = createPrivateKey(f.text('ec.key'));
  rsaX5t = opensslThumbprint(f.path('rsa.crt'), 'sha1').base64url;
});

const settings = (input: Record<string, unknown> = {}): JwtSettings => jwtSettings.parse(input);

async function build(
  input: Record<string, unknown>,
  mode: 'grant' | 'client_auth' = 'grant',
  key: SigningKey = rsa,
) {
  return buildJwt({
    settings: settings(input),
    mode,
    key,
    clientId: 'client-123',
    defaults: {
      issuer: 'client-123',
      subject: mode === 'client_auth' ? 'client-123' : undefined,
      audience: AUD,
    },
    now: NOW,
    newJti: () => 'fixed-jti',
  });
}

describe('claims', () => {
  it('iat automatic, exp = iat + minutes, fresh jti, aud defaults to the token endpoint', async () => {
    const { payload } = await build({ claims: { subject: 'alice', expirationMinutes: 10 } });
    expect(payload).toEqual({
      iss: 'client-123',
      sub: 'alice',
      aud: AUD,
      iat: IAT,
      exp: IAT + 600,
      jti: 'fixed-jti',
    });
  });

  it('jti can be turned off, nbf turned on, a scope claim added', async () => {
    const { payload } = await build({
      claims: {
        subject: 'a',
        includeJti: false,
        includeNotBefore: true,
        scopeClaim: 'https://www.googleapis.com/auth/drive',
      },
    });
    expect(payload.jti).toBeUndefined();
    expect(payload.nbf).toBe(IAT);
    expect(payload.scope).toBe('https://www.googleapis.com/auth/drive');
  });

  it('jti is random by default and differs between two JWTs', async () => {
    const s = settings({ claims: { subject: 'a' } });
    const opts = {
      settings: s,
      mode: 'grant' as const,
      key: rsa,
      defaults: { issuer: 'i', audience: AUD },
    };
    const [a, b] = await Promise.all([buildJwt(opts), buildJwt(opts)]);
    expect(a.payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.payload.jti).not.toBe(b.payload.jti);
  });

  it('custom claims override registered claims (e.g. aud), and carry values with <, > and &', async () => {
    const { payload } = await build({
      claims: {
        subject: 'alice',
        customClaims: '{"aud":"https://override.test","tid":"t-1","note":"a<b>&c","roles":["r"]}',
      },
    });
    expect(payload.aud).toBe('https://override.test');
    expect(payload.tid).toBe('t-1');
    expect(payload.note).toBe('a<b>&c');
    expect(payload.roles).toEqual(['r']);
  });

  it('sub in custom claims overrides in grant mode but never in client-authentication mode', async () => {
    expect(
      (await build({ claims: { subject: 'alice', customClaims: '{"sub":"bob"}' } })).payload.sub,
    ).toBe('bob');
    expect(
      (await build({ claims: { subject: 'alice', customClaims: '{"sub":"bob"}' } }, 'client_auth'))
        .payload.sub,
    ).toBe('client-123');
  });

  it('invalid JSON and non-objects are a field error, not a crash', async () => {
    for (const text of ['{"a":', '[1,2]', '"str"', 'null']) {
      const e = await build({ claims: { subject: 'a', customClaims: text } }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(TokensmithError);
      expect((e as TokensmithError).code).toBe('claims_json');
      expect((e as TokensmithError).field).toBe('jwt.claims.customClaims');
    }
    expect(() => parseCustomClaims('{"a":')).toThrow(/not valid JSON/);
    expect(() => parseCustomClaims('[1]')).toThrow(/must be a JSON object/);
  });

  it('a missing subject is a field error', async () => {
    const e = (await build({}).catch((x: unknown) => x)) as TokensmithError;
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('jwt.claims.subject');
  });

  it('Expiration Time must be positive', () => {
    expect(() => settings({ claims: { expirationMinutes: 0 } })).toThrow(/more than 0 minutes/);
  });
});

describe('header and algorithm', () => {
  it('alg follows the key: RS256 for RSA, ES256 for P-256, EdDSA for Ed25519; PS256 selectable', async () => {
    expect((await build({ claims: { subject: 'a' } })).header.alg).toBe('RS256');
    expect((await build({ claims: { subject: 'a' }, header: { alg: 'PS256' } })).header.alg).toBe(
      'PS256',
    );
    const ecJwt = await build({ claims: { subject: 'a' } }, 'grant', {
      kind: 'private',
      privateKey: ec,
      chain: [],
    });
    expect(ecJwt.header.alg).toBe('ES256');
    await compactVerify(ecJwt.jwt, createPublicKey(ec));
    const ed = generateKeyPairSync('ed25519').privateKey;
    expect(defaultAlgorithm(ed)).toBe('EdDSA');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(defaultAlgorithm(p384)).toBe('ES384');
  });

  it('an algorithm the key cannot make is key_algorithm', async () => {
    expect(() => resolveAlgorithm('ES256', rsa.privateKey)).toThrow(
      /ES256 does not match the signing key \(RSA 2048-bit\)/,
    );
    expect(() => resolveAlgorithm('RS256', ec)).toThrow(TokensmithError);
    expect(() => resolveAlgorithm('ES384', ec)).toThrow(/choose ES256/);
  });

  it('x5t, x5t#S256, kid and x5c come from the signing certificate, each switchable', async () => {
    const full = await build({
      claims: { subject: 'a' },
      header: { includeX5tS256: true, includeKid: true, includeX5c: true },
    });
    const h = decodeProtectedHeader(full.jwt);
    expect(h.x5t).toBe(rsaX5t);
    expect(h['x5t#S256']).toBe(
      opensslThumbprint((await fixtures()).path('rsa.crt'), 'sha256').base64url,
    );
    expect(h.kid).toMatch(/^[\w-]{43}$/);
    expect(h.x5c).toEqual([rsa.chain[0]!.raw.toString('base64')]);
    const bare = decodeProtectedHeader(
      (await build({ claims: { subject: 'a' }, header: { includeX5t: false, typ: '' } })).jwt,
    );
    expect(bare).toEqual({ alg: 'RS256' });
    const explicit = decodeProtectedHeader(
      (
        await build({
          claims: { subject: 'a' },
          header: { x5t: 'browsed', includeKid: true, kid: 'key-1' },
        })
      ).jwt,
    );
    expect(explicit).toMatchObject({ x5t: 'browsed', kid: 'key-1' });
  });

  it('client_secret_jwt signs with HS256', async () => {
    const built = await build({ claims: {} }, 'client_auth', {
      kind: 'secret',
      secret: 's'.repeat(40),
    });
    expect(built.header.alg).toBe('HS256');
    await compactVerify(built.jwt, new TextEncoder().encode('s'.repeat(40)));
  });
});

describe('assertion check', () => {
  it('reads well for a good assertion and flags each problem', async () => {
    const good = await build({ claims: {} }, 'client_auth');
    const ok = await checkAssertion(good.jwt, {
      tokenEndpoint: AUD,
      clientId: 'client-123',
      certificate: rsa.chain[0]!,
      publicKey: createPublicKey(rsa.privateKey),
      now: NOW,
    });
    expect(ok.findings.filter((f) => f.level !== 'ok')).toEqual([]);

    const bad = await build(
      {
        claims: {
          audience: 'https://elsewhere.test',
          expirationMinutes: 1,
          includeJti: false,
          customClaims: '{"iat": 1893456000}',
        },
        header: { x5t: 'wrong' },
      },
      'client_auth',
    );
    const later = await checkAssertion(bad.jwt, {
      tokenEndpoint: AUD,
      clientId: 'client-123',
      certificate: rsa.chain[0]!,
      now: NOW + 5 * 60_000,
    });
    const codes = Object.fromEntries(later.findings.map((f) => [f.code, f.level]));
    expect(codes).toMatchObject({
      aud_mismatch: 'warning',
      expired: 'error',
      jti_missing: 'warning',
      x5t_mismatch: 'error',
      clock_skew: 'warning',
    });

    const notJwt = await checkAssertion('abc', { tokenEndpoint: AUD });
    expect(notJwt.findings[0]?.code).toBe('not_a_jwt');
  });

  it('alg that does not fit the key and a signature by another key', async () => {
    const built = await build({ claims: { subject: 'a' } });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const check = await checkAssertion(built.jwt, {
      tokenEndpoint: AUD,
      publicKey: other,
      now: NOW,
    });
    expect(check.findings.find((f) => f.code === 'alg_key_mismatch')?.level).toBe('error');
    expect(check.findings.find((f) => f.code === 'signature')?.level).toBe('error');
  });

  /** The one `signature` finding of a check, with the structured result. */
  const signatureOf = (check: Awaited<ReturnType<typeof checkAssertion>>) => {
    const found = check.findings.filter((f) => f.code === 'signature');
    expect(found).toHaveLength(1);
    return { ...found[0]!, result: check.signature };
  };

  it('always reports the signature: verified, invalid, or not checked with the reason', async () => {
    const signed = await build({ claims: {} }, 'client_auth');
    const publicKey = createPublicKey(rsa.privateKey);
    expect(
      signatureOf(await checkAssertion(signed.jwt, { tokenEndpoint: AUD, publicKey, now: NOW })),
    ).toMatchObject({ level: 'ok', result: { status: 'verified' } });

    // A pasted assertion with no keystore chosen: said, not silently skipped.
    const noKey = signatureOf(await checkAssertion(signed.jwt, { tokenEndpoint: AUD, now: NOW }));
    expect(noKey).toMatchObject({ level: 'info', result: { status: 'not_checked' } });
    expect(noKey.message).toBe(
      'The signature was not checked, because no certificate or public key is at hand (choose the Keystore Name and Signing Alias to check it).',
    );

    const notJwt = signatureOf(await checkAssertion('abc', { tokenEndpoint: AUD }));
    expect(notJwt.result).toEqual({ status: 'not_checked', reason: 'this is not a JWT' });
  });

  it('an HS256 assertion against an RSA key: alg/key mismatch, signature not checked (warning)', async () => {
    const hs = await build({ claims: {} }, 'client_auth', {
      kind: 'secret',
      secret: 's'.repeat(40),
    });
    const check = await checkAssertion(hs.jwt, {
      tokenEndpoint: AUD,
      certificate: rsa.chain[0]!,
      now: NOW,
    });
    expect(check.findings.find((f) => f.code === 'alg_key_mismatch')).toMatchObject({
      level: 'error',
      message: expect.stringMatching(
        /^alg HS256 is an HMAC \(shared-secret\) algorithm, but the signing key is RSA 2048-bit/,
      ),
    });
    const signature = signatureOf(check);
    expect(signature.level).toBe('warning');
    expect(signature.message).toBe(
      'The signature was not checked, because HS256 is verified with a shared secret, not with the RSA 2048-bit key at hand.',
    );
  });

  it('an HS256 assertion is verified with the shared secret when it is at hand', async () => {
    const secret = 's'.repeat(40);
    const hs = await build({ claims: {} }, 'client_auth', { kind: 'secret', secret });
    const good = await checkAssertion(hs.jwt, { tokenEndpoint: AUD, hmacSecret: secret, now: NOW });
    expect(signatureOf(good)).toMatchObject({
      level: 'ok',
      message: 'The signature verifies with the shared secret.',
    });
    const bad = await checkAssertion(hs.jwt, {
      tokenEndpoint: AUD,
      hmacSecret: 'x'.repeat(40),
      now: NOW,
    });
    expect(signatureOf(bad)).toMatchObject({ level: 'error', result: { status: 'invalid' } });
    const none = await checkAssertion(hs.jwt, { tokenEndpoint: AUD, now: NOW });
    expect(signatureOf(none)).toMatchObject({
      level: 'info',
      message:
        'The signature was not checked, because HS256 is verified with the shared secret, which is not at hand here.',
    });
  });

  it('alg none and an unsupported alg are reported as not checked', async () => {
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = enc({ iss: 'client-123', sub: 'client-123', aud: AUD, exp: IAT + 60 });
    const publicKey = createPublicKey(rsa.privateKey);
    const none = await checkAssertion(`${enc({ alg: 'none' })}.${claims}.`, {
      tokenEndpoint: AUD,
      publicKey,
      now: NOW,
    });
    expect(none.findings.find((f) => f.code === 'alg_none')?.level).toBe('error');
    expect(signatureOf(none)).toMatchObject({
      level: 'error',
      message:
        'The signature was not checked, because the JWT is not signed (alg is "none" or missing).',
    });
    const odd = await checkAssertion(`${enc({ alg: 'ES256K' })}.${claims}.c2ln`, {
      tokenEndpoint: AUD,
      now: NOW,
    });
    expect(signatureOf(odd)).toMatchObject({
      level: 'warning',
      message:
        'The signature was not checked, because Tokensmith does not verify the algorithm "ES256K".',
    });
  });
});
