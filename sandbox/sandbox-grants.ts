/**
 * The grants the sandbox registers on oidc-provider beside its own: the resource owner password
 * grant (RFC 6749 §4.3) and the JWT bearer grant (RFC 7523 §2.1), both issuing access and refresh
 * tokens for a saved Grant.
 */
import type { KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { JWT_BEARER_GRANT, type SandboxUser } from './demo-clients.js';

export function registerSandboxGrants(
  provider: Provider,
  options: { issuer: string; users: SandboxUser[]; trusted: Record<string, KeyObject> },
): void {
  const { issuer, users, trusted } = options;
  async function issueForAccount(ctx: KoaContextWithOIDC, accountId: string, gty: string) {
    const p = provider;
    const client = ctx.oidc.client;
    if (!client) throw new errors.InvalidClient('client not found');
    const requested = String(ctx.oidc.params?.scope ?? '')
      .split(' ')
      .filter(Boolean);
    const allowed = requested.filter((s) =>
      ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'].includes(s),
    );
    const grant = new p.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(['openid', ...allowed].join(' '));
    const grantId = await grant.save();
    const at = new p.AccessToken({
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
      const rt = new p.RefreshToken({
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

  provider.registerGrantType(
    'password',
    async (ctx: KoaContextWithOIDC) => {
      const { username, password } = ctx.oidc.params as { username?: string; password?: string };
      const user = users.find((u) => u.username === username && u.password === password);
      if (!user) throw new errors.InvalidGrant('invalid username or password');
      await issueForAccount(ctx, user.username, 'password');
    },
    ['username', 'password', 'scope'],
  );

  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const assertion = String(ctx.oidc.params?.assertion ?? '');
      const iss = (() => {
        try {
          return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString())
            .iss as string;
        } catch {
          return '';
        }
      })();
      const key = trusted[iss];
      if (!key) throw new errors.InvalidGrant(`unknown assertion issuer ${iss}`);
      let sub: string;
      try {
        const { payload } = await jwtVerify(assertion, key, {
          audience: [`${issuer}/token`, issuer],
          requiredClaims: ['exp', 'sub', 'iat'],
        });
        sub = payload.sub as string;
      } catch (e) {
        throw new errors.InvalidGrant(`assertion rejected: ${(e as Error).message}`);
      }
      await issueForAccount(ctx, sub, 'jwt-bearer');
    },
    ['assertion', 'scope'],
  );
}
