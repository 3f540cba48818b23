/**
 * Builds and signs the JWTs of the token flows with jose: the assertion of the JWT bearer grant
 * (RFC 7523 §2.1) and the client assertion of private_key_jwt / client_secret_jwt (§2.2).
 *
 * Claim rules (DESIGN.md, z/OS Connect seed 002): `iat` is set automatically; `exp` = `iat` +
 * minutes; `jti` is a fresh random ID unless turned off; `nbf` optional. Custom claims are a JSON
 * object whose registered claims override the dialog's values, except `sub`, which in
 * client-authentication mode is always the configured client ID.
 */
import { randomUUID, type KeyObject, type X509Certificate } from 'node:crypto';
import type { JWTHeaderParameters, JWTPayload } from 'jose';
import { signCompact } from './jws.js';
import {
  MAX_ASSERTION_MINUTES,
  audienceList,
  type JwtSettings,
} from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import { resolveAlgorithm } from './algorithms.js';
import { x5t, x5tS256 } from '../keys/certificate.js';
import { keyId } from '../keys/jwks.js';

export type SigningKey =
  | {
      kind: 'private';
      privateKey: KeyObject;
      chain: X509Certificate[];
      /**
       * The ID of a key published at a JWKS (generated, or a keystore key under a builder ID):
       * always sent as `kid`, so a JWKS consumer can pick the key.
       */
      kid?: string;
      /** The JWT builder's issuer URL, used when the Issuer field is empty. */
      defaultIssuer?: string;
    }
  | { kind: 'secret'; secret: string };

export interface BuildJwtOptions {
  settings: JwtSettings;
  /** `client_auth`: RFC 7523 §2.2 — `sub` is forced to the client ID. */
  mode: 'grant' | 'client_auth';
  key: SigningKey;
  /** Used where the dialog leaves a claim empty. */
  defaults: { issuer?: string; subject?: string; audience: string };
  clientId?: string;
  now?: number;
  newJti?: () => string;
}

export interface BuiltJwt {
  jwt: string;
  header: JWTHeaderParameters;
  payload: JWTPayload;
}

/** Parses the custom claims JSON; a syntax error is a field error naming the position. */
export function parseCustomClaims(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new TokensmithError('claims_json', `Custom claims are not valid JSON: ${detail}`, {
      cause,
      field: 'jwt.claims.customClaims',
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TokensmithError(
      'claims_json',
      'Custom claims must be a JSON object, such as {"tid": "…", "roles": ["reader"]}.',
      { field: 'jwt.claims.customClaims' },
    );
  }
  return value as Record<string, unknown>;
}

/**
 * An assertion signed with the user's key is a bearer credential for as long as it lives: one
 * whose custom claims stretch `exp` beyond MAX_ASSERTION_MINUTES (or drop it) is refused.
 */
function checkLifetime(payload: JWTPayload, iat: number): void {
  const exp = payload.exp;
  const start = typeof payload.iat === 'number' ? Math.min(payload.iat, iat) : iat;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new TokensmithError(
      'claims_json',
      'The custom claims remove or replace exp with something that is not a time: an assertion must expire.',
      { field: 'jwt.claims.customClaims' },
    );
  }
  if (exp - start > MAX_ASSERTION_MINUTES * 60) {
    throw new TokensmithError(
      'claims_json',
      `The assertion would live ${Math.round((exp - start) / 60)} minutes; Tokensmith signs assertions for at most ${MAX_ASSERTION_MINUTES} minutes (24 hours). Shorten Expiration Time or the exp of the custom claims.`,
      { field: 'jwt.claims.customClaims' },
    );
  }
}

export async function buildJwt(options: BuildJwtOptions): Promise<BuiltJwt> {
  const { settings, mode, key, defaults } = options;
  const { claims: c, header: h } = settings;
  const custom = parseCustomClaims(c.customClaims);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);

  const payload: JWTPayload = {};
  const builderIssuer = key.kind === 'private' ? key.defaultIssuer : undefined;
  const iss = c.issuer || builderIssuer || defaults.issuer;
  const sub = c.subject || defaults.subject;
  // Several audiences (comma-separated, as a jwtBuilder's) are an array (RFC 7519 §4.1.3).
  const audiences = audienceList(c.audience);
  const aud =
    audiences.length > 1
      ? audiences
      : audiences[0] || (c.defaultAudience ? defaults.audience : undefined);
  if (iss) payload.iss = iss;
  if (sub) payload.sub = sub;
  if (aud) payload.aud = aud;
  payload.iat = iat;
  payload.exp = iat + Math.round(c.expirationMinutes * 60);
  if (c.includeNotBefore) payload.nbf = iat;
  if (c.includeJti) payload.jti = (options.newJti ?? randomUUID)();
  if (c.scopeClaim.trim()) payload.scope = c.scopeClaim.trim();
  Object.assign(payload, custom);
  if (mode === 'client_auth' && options.clientId) payload.sub = options.clientId;
  checkLifetime(payload, iat);

  for (const [claim, field, label] of [
    ['iss', 'jwt.claims.issuer', 'Issuer'],
    ['sub', 'jwt.claims.subject', 'Subject'],
    ['aud', 'jwt.claims.audience', 'Audience'],
  ] as const) {
    // Without a default audience the JWT has none, as a z/OS jwtBuilder without audiences.
    if (claim === 'aud' && !c.defaultAudience) continue;
    const v = payload[claim];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
      throw new TokensmithError(
        'invalid_input',
        claim === 'aud'
          ? 'Enter the Audience (or the Token Endpoint, its default): the JWT needs an aud.'
          : `${label} is required to build the JWT.`,
        { field },
      );
    }
  }

  const header: JWTHeaderParameters = { alg: 'HS256' };
  if (key.kind === 'secret') {
    if (!key.secret) {
      throw new TokensmithError('invalid_input', 'client_secret_jwt needs the Client Secret.', {
        field: 'client.secret',
      });
    }
  } else {
    header.alg = resolveAlgorithm(h.alg, key.privateKey);
  }
  if (h.typ) header.typ = h.typ;
  const leaf = key.kind === 'private' ? key.chain[0] : undefined;
  if (h.includeX5t) {
    const value = h.x5t || (leaf ? x5t(leaf) : '');
    if (value) header.x5t = value;
  }
  if (h.includeX5tS256) {
    const value = h.x5tS256 || (leaf ? x5tS256(leaf) : '');
    if (value) header['x5t#S256'] = value;
  }
  if (key.kind === 'private' && key.kid) {
    header.kid = key.kid;
  } else if (h.includeKid) {
    const kid =
      h.kid || (key.kind === 'private' ? await keyId(leaf ? leaf.publicKey : key.privateKey) : '');
    if (kid) header.kid = kid;
  }
  if (h.includeX5c && key.kind === 'private' && key.chain.length > 0) {
    header.x5c = key.chain.map((cert) => cert.raw.toString('base64'));
  }

  const signingKey = key.kind === 'secret' ? new TextEncoder().encode(key.secret) : key.privateKey;
  const jwt = signCompact(header, payload, signingKey);
  return { jwt, header, payload };
}
