/**
 * What an access token this sandbox issued stands for, as its resource server and its token
 * exchange see it: an opaque token looked up in oidc-provider's store (gone once revoked), or a
 * JWT verified with the provider's own signing key.
 */
import type { KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import type Provider from 'oidc-provider';

export interface IssuedToken {
  /** The account, or the client for a client-credentials token. */
  sub: string;
  /** The account; absent for a client-credentials token. */
  accountId?: string;
  clientId: string;
  scope: string;
  exp?: number;
  /** RFC 9449 §6: the DPoP key it is bound to. */
  jkt?: string;
  /** RFC 8705 §3.1: the client certificate it is bound to. */
  x5tS256?: string;
  /** RFC 8693 §4.1: who acts on the subject's behalf. */
  act?: Record<string, unknown>;
  aud?: string | string[];
  format: 'opaque' | 'jwt';
}

interface StoredToken {
  accountId?: string;
  clientId: string;
  scope?: string;
  exp?: number;
  jkt?: string;
  'x5t#S256'?: string;
  extra?: { act?: Record<string, unknown> };
  isExpired: boolean;
}

export async function findIssuedToken(
  provider: Provider,
  verifyKey: KeyObject,
  token: string,
): Promise<IssuedToken | undefined> {
  if (!token) return undefined;
  if (token.split('.').length === 3) {
    try {
      const { payload } = await jwtVerify(token, verifyKey, { issuer: provider.issuer });
      const cnf = (payload.cnf ?? {}) as Record<string, string>;
      const sub = String(payload.sub ?? '');
      return {
        sub,
        ...(sub !== payload.client_id ? { accountId: sub } : {}),
        clientId: String(payload.client_id ?? ''),
        scope: typeof payload.scope === 'string' ? payload.scope : '',
        ...(payload.exp !== undefined ? { exp: payload.exp } : {}),
        ...(cnf.jkt ? { jkt: cnf.jkt } : {}),
        ...(cnf['x5t#S256'] ? { x5tS256: cnf['x5t#S256'] } : {}),
        ...(payload.act && typeof payload.act === 'object'
          ? { act: payload.act as Record<string, unknown> }
          : {}),
        ...(payload.aud !== undefined ? { aud: payload.aud } : {}),
        format: 'jwt',
      };
    } catch {
      return undefined;
    }
  }
  const found = ((await provider.AccessToken.find(token)) ??
    (await provider.ClientCredentials.find(token))) as unknown as StoredToken | undefined;
  if (!found || found.isExpired) return undefined;
  return {
    sub: found.accountId ?? found.clientId,
    ...(found.accountId ? { accountId: found.accountId } : {}),
    clientId: found.clientId,
    scope: found.scope ?? '',
    ...(found.exp !== undefined ? { exp: found.exp } : {}),
    ...(found.jkt ? { jkt: found.jkt } : {}),
    ...(found['x5t#S256'] ? { x5tS256: found['x5t#S256'] } : {}),
    ...(found.extra?.act ? { act: found.extra.act } : {}),
    format: 'opaque',
  };
}
