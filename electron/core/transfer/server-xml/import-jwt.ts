/**
 * JWT authentication from server.xml (seed 002): `zosconnect_oAuthTokenConfig` (tokenSubject,
 * claims) and its `jwtBuilder` (issuer, audiences, lifetime in Liberty durations, jti, algorithm,
 * generated or keystore key, or a shared key) mapped to the connection's client authentication
 * and JWT settings, each value Tokensmith cannot take explained in a note.
 */
import {
  JWK_KEY_SIZES,
  MAX_ASSERTION_MINUTES,
  audienceList,
} from '../../../../shared/connection.js';
import { builderLifetime, durationSeconds } from './durations.js';
import { label, type ServerXmlIndex } from './import-index.js';
import { LIBERTY_ALGORITHMS, UNDOCUMENTED_ALGORITHMS, isTrue, type XmlElement } from './model.js';

type Json = Record<string, unknown>;

function lifetimeMinutes(ix: ServerXmlIndex, b: XmlElement['attrs'], where: string): number {
  const lifetime = builderLifetime(b);
  if (!lifetime) {
    ix.notes.push(
      `${where}: expiresInSeconds="${b.expiresInSeconds ?? ''}"${b.expiry ? ` / expiry="${b.expiry}"` : ''} is not a Liberty duration (such as 600, 600s, 10m, 1m30s, 1h); 5 minutes is used.`,
    );
    return 5;
  }
  if (lifetime.seconds < 1) {
    ix.notes.push(
      `${where}: a lifetime of ${lifetime.seconds} s cannot sign a JWT; 5 minutes is used.`,
    );
    return 5;
  }
  if (lifetime.from === 'default')
    ix.notes.push(
      `${where}: no expiresInSeconds or expiry, so Liberty's 2 hours is imported; the re-export writes it explicitly (expiresInSeconds="7200s").`,
    );
  const minutes = lifetime.seconds / 60;
  if (minutes > MAX_ASSERTION_MINUTES) {
    // An assertion signed with the user's key is a bearer credential while it lives.
    const hours = minutes / 60;
    const lives = hours < 48 ? `${Math.ceil(minutes)} minutes` : `${Math.round(hours / 24)} days`;
    ix.notes.push(
      `${where}: the expiry (${lives}) is longer than the 24 hours Tokensmith signs an assertion for; ${MAX_ASSERTION_MINUTES} minutes (24 hours) is used.`,
    );
    return MAX_ASSERTION_MINUTES;
  }
  return minutes;
}

/** The builder's algorithm and key: header.alg and signing (or client_secret_jwt). */
function signingFrom(
  ix: ServerXmlIndex,
  b: XmlElement['attrs'],
  where: string,
  conn: Json & { client: Json },
  jwt: { header: Json; signing: Json },
): void {
  const alg = b.signatureAlgorithm?.trim();
  if (alg?.startsWith('HS')) {
    if (alg === 'HS256' && b.sharedKey) {
      // RFC 7523 §2.2 client_secret_jwt: HMAC with the client secret, which is the shared key.
      conn.client.authMethod = 'client_secret_jwt';
      conn.client.secret = ix.secret(b.sharedKey, where, 'sharedKey');
      ix.notes.push(
        `${where}: an HS256 builder with a sharedKey signs as client_secret_jwt (RFC 7523): imported so, with the sharedKey as the Client Secret.`,
      );
    } else {
      ix.notes.push(
        `${where}: signatureAlgorithm ${alg}${b.sharedKey ? '' : ' without a sharedKey'} cannot be imported: Tokensmith signs with a shared key only as client_secret_jwt, with HS256 and the client secret. The connection is imported with JWT (private_key_jwt) client authentication: choose its Keystore Name and Signing Alias, or switch it to client_secret_jwt with HS256.`,
      );
    }
    return;
  }
  if (alg) {
    if (UNDOCUMENTED_ALGORITHMS.has(alg)) {
      jwt.header.alg = alg;
      ix.notes.push(
        `${where}: signatureAlgorithm ${alg} is not among the values Liberty documents; imported as it is.`,
      );
    } else if (LIBERTY_ALGORITHMS.has(alg)) jwt.header.alg = alg;
    else
      ix.notes.push(
        `${where}: signatureAlgorithm ${alg} is not a JWS algorithm Liberty or Tokensmith knows; the key's default is used.`,
      );
  }
  if (isTrue(b.jwkEnabled)) {
    jwt.signing.jwkEnabled = true;
    ix.notes.push(`${where}: a new RS256 key pair is generated for it (jwkEnabled).`);
    if (b.jwkRotationTime !== undefined) {
      const seconds = durationSeconds(b.jwkRotationTime, 'm');
      if (seconds !== undefined && seconds >= 60 && seconds <= 525_600 * 60)
        jwt.signing.jwkRotationMinutes = Math.round(seconds / 60);
      else
        ix.notes.push(
          `${where}: jwkRotationTime="${b.jwkRotationTime}" is not a duration of 1 minute to a year; 720 minutes is used.`,
        );
    }
    if (b.jwkSigningKeySize !== undefined) {
      const bits = Number(b.jwkSigningKeySize);
      if ((JWK_KEY_SIZES as readonly number[]).includes(bits)) jwt.signing.jwkKeySize = bits;
      else
        ix.notes.push(
          `${where}: jwkSigningKeySize="${b.jwkSigningKeySize}" is ${bits === 1024 ? 'too weak' : 'not a key size Tokensmith generates'}; 2048-bit keys are used.`,
        );
    }
    return;
  }
  jwt.signing.keystore = b.keyStoreRef ?? '';
  jwt.signing.alias = b.keyAlias ?? '';
  if (b.keyStoreRef)
    ix.notes.push(
      `${where}: signs with keystore "${b.keyStoreRef}"${b.keyAlias ? ` alias "${b.keyAlias}"` : ''}; import it on the Keystores page with that name.`,
    );
}

/**
 * Sets the connection's JWT client authentication from a token configuration and its builder.
 * The tokenSubject is the client ID (seed 002: z/OS forces it into `sub`).
 */
export function jwtAuthenticationFrom(
  ix: ServerXmlIndex,
  name: string,
  tokenConfig: XmlElement,
  conn: Json & { client: Json },
): void {
  const builder = ix.lookup(
    tokenConfig.attrs.tokenGeneratorRef,
    'jwtBuilder',
    label('zosconnect_oAuthTokenConfig', tokenConfig),
  );
  conn.client.authMethod = 'private_key_jwt';
  conn.client.secret = '';
  const subject = tokenConfig.attrs.tokenSubject ?? '';
  if (!conn.client.id) conn.client.id = subject;
  else if (subject && subject !== conn.client.id) {
    ix.notes.push(
      `"${name}": tokenSubject "${subject}" is the client ID; the authData user "${String(conn.client.id)}" is ignored.`,
    );
    conn.client.id = subject;
  }
  const jwt = {
    claims: { customClaims: tokenConfig.children.claims?.[0]?.text ?? '' } as Json,
    // z/OS Connect's jwtBuilder sends no x5t: neither does the test of what it sends.
    header: { includeX5t: false } as Json,
    signing: {} as Json,
  };
  conn.jwt = jwt;
  if (!builder) {
    const kept = ix.missing(tokenConfig.attrs.tokenGeneratorRef);
    if (kept) jwt.signing.builderId = kept;
    return;
  }
  const b = builder.attrs;
  const where = label('jwtBuilder', builder);
  jwt.signing.builderId = b.id ?? '';
  if (b.issuer) jwt.claims.issuer = b.issuer;
  // Every audience (aud is a list when there are several); none: the JWT has no aud, as z/OS's.
  const audiences = audienceList(b.audiences ?? '');
  jwt.claims.audience = audiences.join(',');
  if (!audiences.length) {
    jwt.claims.defaultAudience = false;
    ix.notes.push(
      `${where}: no audiences, so z/OS Connect sends no aud claim; neither does Tokensmith (More claims → "Default aud" is off). Most authorization servers want their token endpoint there.`,
    );
  }
  jwt.claims.expirationMinutes = lifetimeMinutes(ix, b, where);
  jwt.claims.includeJti = b.jti === undefined ? false : isTrue(b.jti);
  if (b.jti === undefined)
    ix.notes.push(
      `${where}: no jti, Liberty's default (none is sent); the re-export writes it explicitly (jti="false").`,
    );
  if (b.scope) jwt.claims.scopeClaim = b.scope;
  signingFrom(ix, b, where, conn, jwt);
}
