/**
 * Checks an assertion before it is sent, in words a user can act on: decoded header and claims,
 * `aud` against the token endpoint, exp/iat/nbf and clock skew, alg against the key, the x5t
 * thumbprint against the chosen certificate, and the signature — whose result is always reported,
 * as "not checked, because …" when it cannot be verified here.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { verifyCompact } from './jws.js';
import type {
  AssertionCheck,
  AssertionFinding,
  SignatureResult,
} from '../../../shared/assertion-check.js';
import { x5t as thumbprint, x5tS256 as thumbprint256 } from '../keys/certificate.js';
import { defaultAlgorithm, describeKey, resolveAlgorithm } from './algorithms.js';
import type { JwsAlgorithm } from '../../../shared/connection.js';

export interface AssertionExpectations {
  tokenEndpoint: string;
  /** Issuer identifier from discovery; also an accepted audience. */
  issuer?: string;
  /** For client authentication: iss and sub must be the client ID (RFC 7523 §3). */
  clientId?: string;
  certificate?: X509Certificate;
  publicKey?: KeyObject;
  /** The shared secret of an HS256/384/512 assertion (client_secret_jwt), to verify it. */
  hmacSecret?: string;
  now?: number;
  allowedSkewSeconds?: number;
  maxLifetimeMinutes?: number;
}

export async function checkAssertion(
  jwt: string,
  expect: AssertionExpectations,
): Promise<AssertionCheck> {
  return checkAssertionNow(jwt, expect);
}

/** checkAssertion, synchronously (nothing in it waits): for a check made when it is read. */
export function checkAssertionNow(jwt: string, expect: AssertionExpectations): AssertionCheck {
  const findings: AssertionFinding[] = [];
  const add = (level: AssertionFinding['level'], code: string, message: string) =>
    findings.push({ level, code, message });
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    payload = decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    const reason = 'this is not a JWT';
    return {
      header: {},
      payload: {},
      findings: [
        {
          level: 'error',
          code: 'not_a_jwt',
          message:
            'This is not a signed JWT (three base64url parts with a JSON header and payload).',
        },
        { level: 'info', code: 'signature', message: notChecked(reason) },
      ],
      signature: { status: 'not_checked', reason },
    };
  }
  const now = Math.floor((expect.now ?? Date.now()) / 1000);
  const skew = expect.allowedSkewSeconds ?? 60;
  const alg = typeof header.alg === 'string' ? header.alg : '';

  if (!alg || alg === 'none')
    add('error', 'alg_none', 'The JWT is not signed (alg is missing or "none").');
  const keyForAlg = expect.publicKey ?? expect.certificate?.publicKey;
  if (keyForAlg && HMAC.test(alg)) {
    add(
      'error',
      'alg_key_mismatch',
      `alg ${alg} is an HMAC (shared-secret) algorithm, but the signing key is ${describeKey(keyForAlg)}; a server that holds this key will refuse it. Choose ${suggestedAlgorithm(keyForAlg)}.`,
    );
  } else if (keyForAlg && alg && alg !== 'none') {
    try {
      resolveAlgorithm(alg as JwsAlgorithm, keyForAlg);
    } catch (e) {
      add('error', 'alg_key_mismatch', (e as Error).message);
    }
  }

  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];
  const accepted = [expect.tokenEndpoint, expect.issuer].filter((v): v is string => !!v);
  if (audiences.length === 0)
    add('error', 'aud_missing', 'The JWT has no aud claim; the server will reject it.');
  else if (accepted.length === 0)
    // Seed 004 generates the assertion (step 1) before the Token Endpoint is given (step 2).
    add(
      'info',
      'aud_unchecked',
      `aud is ${audiences.join(', ')}; enter the Token Endpoint to check it against.`,
    );
  else if (!audiences.some((a) => accepted.some((x) => sameUrl(a, x)))) {
    add(
      'warning',
      'aud_mismatch',
      `aud is ${audiences.join(', ')} but the token endpoint is ${expect.tokenEndpoint}; most servers want the token endpoint (or their issuer) there.`,
    );
  } else
    add('ok', 'aud', `aud matches ${audiences.find((a) => accepted.some((x) => sameUrl(a, x)))}.`);

  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : undefined;
  if (exp === undefined)
    add('error', 'exp_missing', 'The JWT has no exp claim; RFC 7523 requires one.');
  else if (exp <= now)
    add(
      'error',
      'expired',
      `The JWT expired ${formatSeconds(now - exp)} ago (exp ${new Date(exp * 1000).toISOString()}). Generate a new one.`,
    );
  else add('ok', 'exp', `The JWT is valid for another ${formatSeconds(exp - now)}.`);
  if (
    exp !== undefined &&
    iat !== undefined &&
    expect.maxLifetimeMinutes &&
    exp - iat > expect.maxLifetimeMinutes * 60
  ) {
    add(
      'warning',
      'long_lifetime',
      `The JWT lives ${formatSeconds(exp - iat)}; some servers refuse assertions valid for more than ${expect.maxLifetimeMinutes} minutes.`,
    );
  }
  if (iat !== undefined && iat > now + skew) {
    add(
      'warning',
      'clock_skew',
      `iat is ${formatSeconds(iat - now)} in the future: this machine's clock or the signer's is off.`,
    );
  }
  if (nbf !== undefined && nbf > now + skew) {
    add(
      'warning',
      'not_yet_valid',
      `nbf is ${formatSeconds(nbf - now)} in the future; the server will reject the JWT until then.`,
    );
  }
  if (payload.jti === undefined)
    add(
      'warning',
      'jti_missing',
      'No jti claim: servers that prevent replay (Entra ID among them) may require one.',
    );

  if (expect.clientId) {
    if (payload.sub !== expect.clientId)
      add(
        'error',
        'sub_not_client',
        `sub is "${String(payload.sub)}" but client authentication needs the client ID "${expect.clientId}" (RFC 7523 §3): the provider will refuse it.`,
      );
    if (payload.iss !== expect.clientId)
      add(
        'warning',
        'iss_not_client',
        `iss is "${String(payload.iss)}"; for client authentication it is usually the client ID "${expect.clientId}".`,
      );
  }

  if (expect.certificate) {
    const expected = thumbprint(expect.certificate);
    if (header.x5t !== undefined && header.x5t !== expected) {
      add(
        'error',
        'x5t_mismatch',
        `The header's x5t ${String(header.x5t)} is not the thumbprint of the signing certificate (${expected}); the server will not find the key (Entra: AADSTS700027).`,
      );
    } else if (header.x5t === expected)
      add('ok', 'x5t', 'x5t is the thumbprint of the signing certificate.');
    if (
      header['x5t#S256'] !== undefined &&
      header['x5t#S256'] !== thumbprint256(expect.certificate)
    ) {
      add(
        'error',
        'x5t_s256_mismatch',
        "The header's x5t#S256 is not the SHA-256 thumbprint of the signing certificate.",
      );
    }
    if (Date.parse(expect.certificate.validTo) < now * 1000) {
      add(
        'warning',
        'certificate_expired',
        `The signing certificate expired on ${new Date(expect.certificate.validTo).toISOString()}.`,
      );
    }
  }
  const signature = checkSignature(jwt, alg, keyForAlg, expect.hmacSecret);
  if (signature.status === 'verified')
    add(
      'ok',
      'signature',
      HMAC.test(alg)
        ? 'The signature verifies with the shared secret.'
        : 'The signature verifies with the signing key.',
    );
  else if (signature.status === 'invalid')
    add(
      'error',
      'signature',
      HMAC.test(alg)
        ? 'The signature does not verify with the shared secret.'
        : 'The signature does not verify with the chosen signing key.',
    );
  else add(notCheckedLevel(alg, keyForAlg), 'signature', notChecked(signature.reason));
  return { header, payload, findings, signature };
}

const HMAC = /^HS(256|384|512)$/;
const ASYMMETRIC = /^(?:(?:RS|PS|ES)(?:256|384|512)|EdDSA)$/;

const notChecked = (reason: string) => `The signature was not checked, because ${reason}.`;

/**
 * How loud "not checked" is: an error when there is no signature at all, a warning when the
 * header is suspicious (an HMAC algorithm against a public key, an unknown algorithm), and only
 * information when the key or secret to check with is simply not at hand.
 */
function notCheckedLevel(alg: string, key: KeyObject | undefined): AssertionFinding['level'] {
  if (!alg || alg === 'none') return 'error';
  if (HMAC.test(alg)) return key ? 'warning' : 'info';
  return ASYMMETRIC.test(alg) ? 'info' : 'warning';
}

function suggestedAlgorithm(key: KeyObject): string {
  try {
    return `${defaultAlgorithm(key)} or Automatic`;
  } catch {
    return 'Automatic';
  }
}

function checkSignature(
  jwt: string,
  alg: string,
  key: KeyObject | undefined,
  hmacSecret: string | undefined,
): SignatureResult {
  const notCheckedBecause = (reason: string): SignatureResult => ({
    status: 'not_checked',
    reason,
  });
  if (!alg || alg === 'none')
    return notCheckedBecause('the JWT is not signed (alg is "none" or missing)');
  const verified = (k: KeyObject | Uint8Array): SignatureResult => {
    try {
      return { status: verifyCompact(jwt, alg, k) ? 'verified' : 'invalid' };
    } catch {
      return { status: 'invalid' };
    }
  };
  if (HMAC.test(alg)) {
    if (hmacSecret) return verified(Buffer.from(hmacSecret, 'utf8'));
    if (key)
      return notCheckedBecause(
        `${alg} is verified with a shared secret, not with the ${describeKey(key)} key at hand`,
      );
    return notCheckedBecause(
      `${alg} is verified with the shared secret, which is not at hand here`,
    );
  }
  if (!ASYMMETRIC.test(alg))
    return notCheckedBecause(`Tokensmith does not verify the algorithm ${JSON.stringify(alg)}`);
  if (!key)
    return notCheckedBecause(
      'no certificate or public key is at hand (choose the Keystore Name and Signing Alias to check it)',
    );
  return verified(key);
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function formatSeconds(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}
