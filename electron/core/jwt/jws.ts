/**
 * JWS compact serialization (RFC 7515 §7.1) signed and verified with node:crypto directly.
 *
 * Why not jose here: jose 6 signs and verifies through WebCrypto, whose asynchronous hop cost
 * 40 % more than the signature itself per assertion on the benchmark machine (bench/RESULTS.md),
 * and every private_key_jwt / JWT bearer request signs one. jose still decodes, verifies tokens
 * in the inspector and builds JWKs; the tests verify every signature made here with jose and
 * with oidc-provider.
 */
import {
  constants,
  createHmac,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
  type SignKeyObjectInput,
} from 'node:crypto';
import type { JwsAlgorithm } from '../../../shared/connection.js';
import { tokenSigner } from '../keys/token-keys.js';

type Alg = JwsAlgorithm | 'HS256' | 'HS384' | 'HS512';

const HASH: Record<Alg, string | null> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  EdDSA: null,
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
};

/** RFC 7518 §3.5: PSS with MGF1 and a salt as long as the hash; §3.4: ECDSA as R || S. */
function keyInput(alg: Alg, key: KeyObject): SignKeyObjectInput {
  if (alg.startsWith('PS')) {
    return {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(alg.slice(2)) / 8,
    };
  }
  if (alg.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' };
  return { key };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs `header` (its `alg` says how) and `payload` with a private key or an HMAC secret; a
 * PKCS#11 token key (keys/token-keys.ts) signs on its token.
 */
export function signCompact(
  header: { alg: string } & Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject | Uint8Array,
): string {
  const alg = header.alg as Alg;
  if (!(alg in HASH)) throw new Error(`Unsupported JWS algorithm ${header.alg}`);
  const input = `${encode(header)}.${encode(payload)}`;
  const data = Buffer.from(input);
  let signature: Buffer;
  const onToken = tokenSigner(key);
  if (onToken) {
    signature = onToken(alg, data);
  } else if (alg.startsWith('HS')) {
    signature = createHmac(HASH[alg] as string, key as Uint8Array)
      .update(data)
      .digest();
  } else {
    signature = sign(HASH[alg], data, keyInput(alg, key as KeyObject));
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** Whether a compact JWS's signature verifies with this public key (or HMAC secret). */
export function verifyCompact(jwt: string, alg: string, key: KeyObject | Uint8Array): boolean {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !(alg in HASH)) return false;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2] as string, 'base64url');
  const a = alg as Alg;
  try {
    if (a.startsWith('HS')) {
      const expected = createHmac(HASH[a] as string, key as Uint8Array)
        .update(data)
        .digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    return verify(HASH[a], data, keyInput(a, key as KeyObject), signature);
  } catch {
    return false;
  }
}
