/**
 * JWT authentication in server.xml (seed 002): `zosconnect_oAuthTokenConfig` → `jwtBuilder`,
 * written so that z/OS Connect signs the assertion Tokensmith tested. Wherever Tokensmith fills a
 * claim by default, the builder gets it explicitly: `iss` (the client ID, RFC 7523 §3 — a builder
 * left without `issuer` would send `https://<z/OS>/jwt/<id>`), `aud` (the token endpoint; a
 * builder has no default audience), `jti`, the lifetime, the algorithm. What a jwtBuilder cannot
 * do (an `x5t` header, RSASSA-PSS) is said in the notes with what to set up on the z/OS side.
 */
import {
  JWK_ROTATION_MINUTES,
  audienceList,
  type Connection,
} from '../../../../shared/connection.js';
import { formatSeconds } from './durations.js';
import { UNDOCUMENTED_ALGORITHMS, slug } from './model.js';
import { attrs, type ServerXmlWriter } from './writer.js';

/** What Tokensmith signs with, when the export can tell; else why not. */
function algorithmOf(out: ServerXmlWriter, conn: Connection): string | undefined {
  const { header, signing } = conn.jwt;
  if (conn.client.authMethod === 'client_secret_jwt') return 'HS256';
  if (header.alg !== 'auto') return header.alg;
  if (signing.jwkEnabled) return 'RS256';
  return out.options.keyAlgorithms?.[conn.id];
}

/** Header members Tokensmith sends that a jwtBuilder cannot (seed 002 has no attribute for them). */
function headerNotes(out: ServerXmlWriter, conn: Connection, builderId: string): void {
  const { header, signing } = conn.jwt;
  if (signing.jwkEnabled || conn.client.authMethod === 'client_secret_jwt') return;
  const members = [
    header.includeX5t ? 'x5t' : '',
    header.includeX5tS256 ? 'x5t#S256' : '',
    header.includeX5c ? 'x5c' : '',
    header.includeKid && header.kid ? `kid "${header.kid}"` : '',
  ].filter(Boolean);
  if (!members.length) return;
  out.note(
    conn,
    `Tokensmith's assertion carries ${members.join(', ')} in its header; z/OS Connect's jwtBuilder cannot add ${members.length > 1 ? 'them' : 'it'}. A server that finds the key by x5t (Microsoft Entra ID) will refuse z/OS's assertion: register the signing certificate at the authorization server so that it finds the key by its key ID or from z/OS's JWKS (https://<z/OS host>:<port>/jwt/ibm/api/${builderId}/jwk), and try it in Tokensmith first with those header members switched off.`,
  );
}

/**
 * Writes the token configuration and its builder (once per builder id); returns the token
 * configuration's id for `jwtAuthenticationTokenRef`.
 */
export function writeJwtAuthentication(out: ServerXmlWriter, conn: Connection): string {
  const { claims: c, signing: s } = conn.jwt;
  const clientId = conn.client.id || c.subject;
  const tokenConfigId = out.id(conn, 'oAuthTokenConfig', '-tokenConfig');
  const builderId = s.builderId || out.unique(`${slug(conn.name)}-builder`);
  if (!s.builderId)
    out.note(
      conn,
      `its JWT builder is written as "${builderId}" (Tokensmith has no builder ID for it); its issuer is written explicitly, so the builder's id changes nothing in the JWT.`,
    );
  const tokenConfig: Record<string, unknown> = attrs({
    id: tokenConfigId,
    tokenSubject: clientId,
    tokenGeneratorRef: builderId,
  });
  const custom = c.customClaims;
  if (custom.trim()) {
    // Exactly the JSON tested; CDATA when it holds XML markup characters (seed 002), escaped
    // text when it holds the one sequence a CDATA section cannot.
    tokenConfig.claims =
      /[<>&]/.test(custom) && !custom.includes(']]>') ? { '#cdata': custom } : custom;
  }
  out.add('zosconnect_oAuthTokenConfig', tokenConfig);
  if (out.builders.has(builderId)) return tokenConfigId;
  out.builders.add(builderId);
  out.reserve(builderId);

  // Tokensmith's defaults (oauth/resolve.ts sign()): iss = the client ID, or the builder's URL
  // when there is a builder ID (as z/OS's own default); aud = the token endpoint.
  // (A client secret signs without a builder URL: the default is the client ID then too.)
  const secretJwt = conn.client.authMethod === 'client_secret_jwt';
  const builderUrl = Boolean(s.builderId) && !secretJwt;
  const issuer = c.issuer || (builderUrl ? undefined : clientId);
  if (!c.issuer && builderUrl)
    out.note(
      conn,
      `no issuer is written: z/OS sends its builder's URL, https://<z/OS host>:<port>/jwt/${builderId}, as Tokensmith sent its own (http://127.0.0.1:<JWKS port>/jwt/${builderId}); the authorization server must accept that issuer (RFC 7523 §3 wants the client ID: enter it as Issuer).`,
    );
  const alg = algorithmOf(out, conn);
  if (alg === undefined)
    out.note(
      conn,
      `signatureAlgorithm is not written: Tokensmith follows the key of keystore "${s.keystore}", which could not be read; z/OS signs with RS256 unless it is set.`,
    );
  else if (UNDOCUMENTED_ALGORITHMS.has(alg))
    out.note(
      conn,
      `signatureAlgorithm ${alg} is not among the values Liberty's jwtBuilder documents (RS256/384/512, ES256/384/512, HS256/384/512): z/OS Connect may refuse it. Choose RS256 if the authorization server accepts it.`,
    );
  else if (alg === 'EdDSA')
    out.note(conn, `EdDSA has no jwtBuilder form: z/OS cannot sign with this key.`);
  if (c.includeNotBefore)
    out.note(
      conn,
      'Tokensmith sends nbf = iat; a jwtBuilder sets nbf only with nbfOffset (Liberty 21.0.0.1 and later), which is not written.',
    );
  out.add(
    'jwtBuilder',
    attrs({
      id: builderId,
      issuer,
      // Every audience; none when Tokensmith sends none (a builder has no default audience).
      audiences:
        audienceList(c.audience).join(',') || (c.defaultAudience ? conn.tokenEndpoint : undefined),
      expiresInSeconds: formatSeconds(Math.round(c.expirationMinutes * 60)),
      jti: c.includeJti ? 'true' : 'false',
      signatureAlgorithm: alg && alg !== 'RS256' && alg !== 'EdDSA' ? alg : undefined,
      sharedKey: secretJwt ? out.secret(conn.client.secret, `${builderId}.sharedKey`) : undefined,
      jwkEnabled: s.jwkEnabled ? 'true' : undefined,
      // Liberty's defaults are Tokensmith's (720m, 2048 bits): written only when they differ.
      jwkRotationTime:
        s.jwkEnabled && s.jwkRotationMinutes > 0 && s.jwkRotationMinutes !== JWK_ROTATION_MINUTES
          ? `${s.jwkRotationMinutes}m`
          : undefined,
      jwkSigningKeySize: s.jwkEnabled && s.jwkKeySize !== 2048 ? String(s.jwkKeySize) : undefined,
      keyStoreRef: s.jwkEnabled || secretJwt ? undefined : s.keystore,
      keyAlias: s.jwkEnabled || secretJwt ? undefined : s.alias,
      scope: c.scopeClaim,
    }),
  );
  headerNotes(out, conn, builderId);
  if (s.jwkEnabled && s.jwkRotationMinutes === 0)
    out.note(
      conn,
      'its key is rotated only by hand in Tokensmith; z/OS Connect rotates a generated key every 720 minutes unless jwkRotationTime says otherwise.',
    );
  if (!s.jwkEnabled && !secretJwt && s.keystore)
    out.note(conn, `define <keyStore id="${s.keystore}"> for the signing key "${s.alias}".`);
  return tokenConfigId;
}
