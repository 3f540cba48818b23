/**
 * Token exchange (RFC 8693) on the sandbox, registered with `provider.registerGrantType`: the
 * subject token (and actor token, if any) must be an active access token this server issued —
 * an opaque one found in the provider's store, or a JWT verified with its key — and the answer
 * is a new JWT access token for the subject, with `act` naming the actor (§4.1; nested when the
 * actor token itself had one), for the requested audience (default https://api.sandbox.test).
 */
import type { KeyObject } from 'node:crypto';
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import {
  ACCESS_TOKEN_TYPE,
  EXCHANGE_DEFAULT_AUDIENCE,
  JWT_TOKEN_TYPE,
  SANDBOX_SCOPES,
  TOKEN_EXCHANGE_GRANT,
} from './constants.js';
import { findIssuedToken, type IssuedToken } from './issued-tokens.js';

const ACCEPTED_TYPES = [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE];
const PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
];

async function validToken(
  provider: Provider,
  verifyKey: KeyObject,
  role: 'subject' | 'actor',
  token: string | undefined,
  type: string | undefined,
): Promise<IssuedToken> {
  if (!token) throw new errors.InvalidRequest(`${role}_token is required`);
  if (!type || !ACCEPTED_TYPES.includes(type))
    throw new errors.InvalidRequest(
      `${role}_token_type ${type ?? '(missing)'} is not supported here: use ${ACCEPTED_TYPES.join(' or ')}`,
    );
  const found = await findIssuedToken(provider, verifyKey, token);
  if (!found)
    throw new errors.CustomOIDCProviderError(
      'invalid_grant',
      `the ${role}_token is not an active token of this server (expired, revoked or unknown)`,
    );
  return found;
}

export function registerTokenExchange(
  provider: Provider,
  verifyKey: KeyObject,
  accessTokenTtlSeconds: number,
): void {
  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const p = ctx.oidc.params as Record<string, string | undefined>;
      const client = ctx.oidc.client;
      if (!client) throw new errors.InvalidClient('client not found');
      const subject = await validToken(
        provider,
        verifyKey,
        'subject',
        p.subject_token,
        p.subject_token_type,
      );
      if (p.actor_token_type && !p.actor_token)
        throw new errors.InvalidRequest('actor_token_type was sent without an actor_token');
      const actor = p.actor_token
        ? await validToken(provider, verifyKey, 'actor', p.actor_token, p.actor_token_type)
        : undefined;
      const requested = p.requested_token_type;
      if (requested && !ACCEPTED_TYPES.includes(requested))
        throw new errors.InvalidRequest(
          `requested_token_type ${requested} is not supported here: use ${ACCEPTED_TYPES.join(' or ')}`,
        );
      const asked = (p.scope ?? subject.scope).split(' ').filter(Boolean);
      const scope = asked.filter((s) => SANDBOX_SCOPES.includes(s)).join(' ');
      const audience = p.audience || p.resource || EXCHANGE_DEFAULT_AUDIENCE;
      const act = actor ? { sub: actor.sub, ...(actor.act ? { act: actor.act } : {}) } : undefined;
      const grant = new provider.Grant({ accountId: subject.sub, clientId: client.clientId });
      const grantId = await grant.save();
      const at = new provider.AccessToken({
        accountId: subject.sub,
        client,
        grantId,
        scope: scope || undefined,
        gty: 'token-exchange',
        ...(act ? { extra: { act } } : {}),
      });
      at.resourceServer = new provider.ResourceServer(audience, {
        audience,
        scope: SANDBOX_SCOPES.join(' '),
        accessTokenTTL: accessTokenTtlSeconds,
        accessTokenFormat: 'jwt',
      });
      ctx.body = {
        access_token: await at.save(),
        issued_token_type: requested === JWT_TOKEN_TYPE ? JWT_TOKEN_TYPE : ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: at.expiration,
        ...(scope ? { scope } : {}),
      };
    },
    PARAMETERS,
    ['audience', 'resource'],
  );
}
