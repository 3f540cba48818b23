/**
 * Introspection (RFC 7662) and revocation (RFC 7009) of a connection's token, with its client
 * authentication; the endpoints come from the connection or its issuer's metadata.
 */
import type { IntrospectionResult, RevocationResult } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import type { FlowContext } from './flow-context.js';
import type { ResolvedConnection } from './resolve.js';
import { sendOAuthRequest } from './send.js';
import { endpointOf } from './server-metadata.js';
import { prepareEndpointRequest } from './token-request.js';

export type TokenTypeHint = 'access_token' | 'refresh_token';

/** RFC 7662 §2.1: POST token + token_type_hint; §2.2: `active` and what the server adds. */
export async function introspectToken(
  resolved: ResolvedConnection,
  ctx: FlowContext,
  token: string,
  hint: TokenTypeHint,
): Promise<IntrospectionResult> {
  const endpoint = await endpointOf(
    resolved,
    ctx,
    resolved.conn.introspectionEndpoint,
    'introspection_endpoint',
    'Introspection Endpoint',
    'introspectionEndpoint',
  );
  resolved.secrets.push(token);
  const prepared = await prepareEndpointRequest(
    resolved,
    endpoint,
    [
      ['token', token],
      ['token_type_hint', hint],
    ],
    'none',
  );
  const { body, exchanges } = await sendOAuthRequest(resolved, prepared, ctx, 'introspection');
  if (typeof body.active !== 'boolean') {
    throw new TokensmithError(
      'invalid_response',
      `${endpoint} did not answer as an introspection endpoint: its JSON has no "active" member (RFC 7662 §2.2).`,
    );
  }
  return { active: body.active, fields: body, tokenTypeHint: hint, exchanges };
}

/** RFC 7009 §2.1: POST token + token_type_hint; §2.2: 200 whether or not the token was valid. */
export async function revokeToken(
  resolved: ResolvedConnection,
  ctx: FlowContext,
  token: string,
  hint: TokenTypeHint,
): Promise<Omit<RevocationResult, 'cacheCleared'>> {
  const endpoint = await endpointOf(
    resolved,
    ctx,
    resolved.conn.revocationEndpoint,
    'revocation_endpoint',
    'Revocation Endpoint',
    'revocationEndpoint',
  );
  resolved.secrets.push(token);
  const prepared = await prepareEndpointRequest(
    resolved,
    endpoint,
    [
      ['token', token],
      ['token_type_hint', hint],
    ],
    'none',
  );
  const { exchanges } = await sendOAuthRequest(resolved, prepared, ctx, 'revocation', {
    emptyOk: true,
  });
  return { revoked: true, tokenTypeHint: hint, exchanges };
}
