/**
 * Help texts that depend on the values, where what Tokensmith tests and what z/OS Connect sends
 * can differ (seeds 001, 002): a connection imported from server.xml says why a setting is as it
 * is, and what turning it on would test that z/OS does not do. Pure TypeScript.
 */
import type { ConnectionCommon } from './base.js';
import { fromServerXml } from './zos.js';

type Common = ConnectionCommon;

/**
 * Send x5t: z/OS Connect's jwtBuilder cannot send x5t, so with it on a server that finds the key
 * by x5t (Microsoft Entra ID) accepts the test and refuses z/OS's assertion.
 */
export const x5tHelp = (c: Common) =>
  fromServerXml(c) && c.jwt.header.includeX5t
    ? "z/OS Connect's jwtBuilder cannot send x5t: a server that finds the key by x5t (Microsoft Entra ID) accepts this test and refuses z/OS. Turn it off to test what z/OS sends"
    : 'The SHA-1 thumbprint of the signing certificate (Microsoft Entra ID finds the key by it)';

/** The x5t value of the Headers section. */
export const x5tValueHelp = (c: Common) =>
  !fromServerXml(c)
    ? 'Empty: taken from the Signing Alias certificate. Browse… fills it from a certificate file.'
    : c.jwt.header.includeX5t
      ? x5tHelp(c)
      : "Not sent: z/OS Connect's jwtBuilder cannot send x5t, so this connection, imported from server.xml, sends none (JWT header options → Send x5t)";

/** Send kid: a key published under a builder ID always sends the kid of its JWKS entry. */
export const kidHelp = (c: Common) =>
  c.jwt.signing.builderId
    ? 'Always sent with a JWT Builder ID: the kid the key is published under at its JWKS (on: the kid above, if set)'
    : 'The kid above, else the RFC 7638 thumbprint of the key';

/** Audience: empty, one, or several (a jwtBuilder's `audiences`). */
export const audienceHelp = (c: Common) =>
  `Empty: ${c.jwt.claims.defaultAudience ? 'the Token Endpoint' : 'no aud (More claims)'}. Several: separated by commas (aud is then a list)`;

/** Use refresh tokens: z/OS Connect obtains a new token instead (seed 001). */
export const refreshTokenHelp = (c: Common) =>
  c.cache.useRefreshToken
    ? 'A token with a refresh token is refreshed with it before it expires'
    : fromServerXml(c)
      ? 'Off, as z/OS Connect: a token with less than the minimum remaining lifetime left (z/OS: 1 s) is replaced by a new token request; refresh tokens are not used'
      : 'Off: a token with less than the minimum remaining lifetime left is replaced by a new token request';
