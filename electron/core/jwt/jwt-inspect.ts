/**
 * The JWT inspector's core: decode a token, and verify it against a JWKS URI, a certificate, a
 * PEM public key or a shared secret, with exp/nbf/iss/aud checks reported one by one (webMethods
 * API Gateway seed 003: signature checked with the issuer's certificate or JWKS URI).
 */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import {
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
} from 'jose';
import type { DecodedJwt, JwtVerification } from '../../../shared/contract.js';
import { TokensmithError } from '../errors.js';
import type { HttpClient } from '../http/http-client.js';
import { DEFAULT_NETWORK_PROFILE } from '../http/network-profile.js';

export function decodeToken(token: string): DecodedJwt {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(trimmed) as Record<string, unknown>;
    payload = decodeJwt(trimmed) as Record<string, unknown>;
  } catch {
    throw new TokensmithError(
      'invalid_input',
      'This is not a JWT: expected three base64url parts with a JSON header and payload.',
      { field: 'token' },
    );
  }
  const times = Object.fromEntries(
    ['iat', 'nbf', 'exp', 'auth_time']
      .filter((k) => typeof payload[k] === 'number')
      .map((k) => [k, new Date((payload[k] as number) * 1000).toISOString()]),
  );
  return { header, payload, times };
}

export interface VerifyOptions {
  method: 'jwks_uri' | 'certificate' | 'public_key' | 'secret';
  value: string;
  issuer?: string;
  audience?: string;
  now?: number;
  clockSkewSeconds?: number;
}

export async function verifyToken(
  token: string,
  options: VerifyOptions,
  http: HttpClient,
): Promise<JwtVerification> {
  const jwt = token.trim().replace(/^Bearer\s+/i, '');
  const { payload } = decodeToken(jwt);
  const checks: JwtVerification['checks'] = [];
  let key: KeyObject | Uint8Array | ReturnType<typeof createLocalJWKSet>;
  switch (options.method) {
    case 'jwks_uri': {
      const res = await http.send(
        { method: 'GET', url: options.value.trim(), headers: { accept: 'application/json' } },
        DEFAULT_NETWORK_PROFILE,
      );
      if (res.status !== 200)
        throw new TokensmithError('http_status', `The JWKS URI answered HTTP ${res.status}.`, {
          field: 'value',
        });
      try {
        key = createLocalJWKSet(JSON.parse(res.body.toString('utf8')) as JSONWebKeySet);
      } catch (cause) {
        throw new TokensmithError('invalid_response', 'The JWKS URI did not return a JWK Set.', {
          cause,
          field: 'value',
        });
      }
      break;
    }
    case 'certificate':
      try {
        key = new X509Certificate(options.value.trim()).publicKey;
      } catch (cause) {
        throw new TokensmithError(
          'invalid_input',
          'Paste a PEM certificate (-----BEGIN CERTIFICATE-----).',
          { cause, field: 'value' },
        );
      }
      break;
    case 'public_key':
      try {
        key = createPublicKey(options.value.trim());
      } catch (cause) {
        throw new TokensmithError(
          'invalid_input',
          'Paste a PEM public key (-----BEGIN PUBLIC KEY-----) or certificate.',
          { cause, field: 'value' },
        );
      }
      break;
    case 'secret':
      if (!options.value)
        throw new TokensmithError('invalid_input', 'Enter the shared secret.', { field: 'value' });
      key = new TextEncoder().encode(options.value);
      break;
  }
  const alg = decodeProtectedHeader(jwt).alg;
  try {
    // RFC 8725 §3.1: an unsigned token is never valid, whatever the key.
    if (!alg || alg.toLowerCase() === 'none')
      throw new Error('alg is none: an unsigned JWT is never accepted');
    if (typeof key === 'function') await compactVerify(jwt, key);
    else await compactVerify(jwt, key);
    checks.push({ name: 'signature', ok: true, message: `The ${alg} signature is valid.` });
  } catch (e) {
    checks.push({
      name: 'signature',
      ok: false,
      message: `The signature does not verify: ${(e as Error).message}`,
    });
  }
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const skew = options.clockSkewSeconds ?? 60;
  if (typeof payload.exp === 'number') {
    const ok = payload.exp + skew > now;
    checks.push({
      name: 'exp',
      ok,
      message: ok
        ? `Not expired (exp ${new Date(payload.exp * 1000).toISOString()}).`
        : `Expired at ${new Date(payload.exp * 1000).toISOString()}.`,
    });
  }
  if (typeof payload.nbf === 'number') {
    const ok = payload.nbf - skew <= now;
    checks.push({
      name: 'nbf',
      ok,
      message: ok
        ? 'Already valid (nbf).'
        : `Not valid before ${new Date(payload.nbf * 1000).toISOString()}.`,
    });
  }
  if (options.issuer) {
    const ok = payload.iss === options.issuer;
    checks.push({
      name: 'iss',
      ok,
      message: ok
        ? 'The issuer matches.'
        : `iss is ${JSON.stringify(payload.iss)}, expected ${options.issuer}.`,
    });
  }
  if (options.audience) {
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const ok = aud.includes(options.audience);
    checks.push({
      name: 'aud',
      ok,
      message: ok
        ? 'The audience matches.'
        : `aud is ${JSON.stringify(payload.aud)}, expected ${options.audience}.`,
    });
  }
  return { valid: checks.every((c) => c.ok), checks };
}
