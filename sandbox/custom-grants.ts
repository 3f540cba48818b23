/**
 * Grants the sandbox registers on oidc-provider (`provider.registerGrantType`): the resource
 * owner password grant and the JWT bearer grant (RFC 7523 §2.1), both issuing access and refresh
 * tokens for a saved Grant.
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { JWT_BEARER_GRANT, SANDBOX_SCOPES } from './constants.js';

export interface GrantUser {
  username: string;
  password: string;
}

/** Issues an access token (and a refresh token if the client may refresh) for an account. */
export async function issueForAccount(
  provider: Provider,
  ctx: KoaContextWithOIDC,
  accountId: string,
  gty: string,
): Promise<void> {
  const client = ctx.oidc.client;
  if (!client) throw new errors.InvalidClient('client not found');
  const requested = String(ctx.oidc.params?.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const allowed = requested.filter((s) => SANDBOX_SCOPES.includes(s));
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope(['openid', ...allowed].join(' '));
  const grantId = await grant.save();
  const at = new provider.AccessToken({
    accountId,
    client,
    grantId,
    scope: allowed.join(' ') || undefined,
    gty,
  });
  const body: Record<string, unknown> = {
    access_token: await at.save(),
    token_type: 'Bearer',
    expires_in: at.expiration,
    scope: at.scope,
  };
  if (client.grantTypeAllowed('refresh_token')) {
    const rt = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      scope: ['openid', ...allowed].join(' '),
      gty,
    });
    body.refresh_token = await rt.save();
  }
  ctx.body = body;
}

export function registerPasswordGrant(provider: Provider, users: GrantUser[]): void {
  provider.registerGrantType(
    'password',
    async (ctx: KoaContextWithOIDC) => {
      const { username, password } = ctx.oidc.params as { username?: string; password?: string };
      const user = users.find((u) => u.username === username && u.password === password);
      if (!user) throw new errors.InvalidGrant('invalid username or password');
      await issueForAccount(provider, ctx, user.username, 'password');
    },
    ['username', 'password', 'scope'],
  );
}

/** RFC 7523 §2.1: the assertion's `iss` names a trusted key; `aud` is the token endpoint or issuer. */
export function registerJwtBearerGrant(
  provider: Provider,
  trusted: Record<string, KeyObject>,
): void {
  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const assertion = String(ctx.oidc.params?.assertion ?? '');
      let iss = '';
      try {
        iss = String(decodeJwt(assertion).iss ?? '');
      } catch {
        iss = '';
      }
      const key = trusted[iss];
      if (!key) throw new errors.InvalidGrant(`unknown assertion issuer ${iss}`);
      let sub: string;
      try {
        const { payload } = await jwtVerify(assertion, key, {
          audience: [`${provider.issuer}/token`, provider.issuer],
          requiredClaims: ['exp', 'sub', 'iat'],
        });
        sub = payload.sub as string;
      } catch (e) {
        throw new errors.InvalidGrant(`assertion rejected: ${(e as Error).message}`);
      }
      await issueForAccount(provider, ctx, sub, 'jwt-bearer');
    },
    ['assertion', 'scope'],
  );
}
