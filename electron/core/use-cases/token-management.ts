/**
 * Introspect (RFC 7662) and Revoke (RFC 7009) in the result panel and `tokensmith
 * introspect|revoke`: the connection's current (cached) token, with its client authentication.
 * A revoked token's cache entry is cleared, so the next use gets a new token.
 */
import type { Connection } from '../../../shared/connection.js';
import type { IntrospectionResult, RevocationResult } from '../../../shared/token-result.js';
import { cacheKey } from '../cache/cache-key.js';
import type { CachedToken } from '../cache/token-cache.js';
import { TokensmithError } from '../errors.js';
import { resolveConnection } from '../oauth/resolve.js';
import { introspectToken, revokeToken, type TokenTypeHint } from '../oauth/token-management.js';
import { resolved, saveCacheQuietly, withFlow, type FlowOptions, type Session } from './session.js';

export type { TokenTypeHint } from '../oauth/token-management.js';

export interface TokenManagementRequest extends FlowOptions {
  tokenTypeHint?: TokenTypeHint;
}

/**
 * The connection's current token: the cache entry of its present settings, else its newest one
 * (a token exchange's key also depends on its subject token, which may have changed since).
 */
function currentEntry(session: Session, conn: Connection): CachedToken | undefined {
  const { cache } = session.workspace;
  return (
    cache.peek(cacheKey(conn)) ??
    cache
      .entries()
      .filter((e) => e.connectionId === conn.id)
      .sort((a, b) => Date.parse(b.result.obtainedAt) - Date.parse(a.result.obtainedAt))[0]
  );
}

function tokenOf(
  entry: CachedToken | undefined,
  conn: Connection,
  hint: TokenTypeHint,
  verb: string,
): string {
  if (!entry)
    throw new TokensmithError(
      'not_found',
      `There is no current token of "${conn.name}" to ${verb}: get one first (Generate Access Token, or tokensmith token ${conn.name}).`,
    );
  const token =
    hint === 'refresh_token'
      ? entry.result.refreshToken
      : (entry.result.accessToken ?? entry.result.token);
  if (!token)
    throw new TokensmithError(
      'invalid_input',
      `The current token of "${conn.name}" has no ${hint === 'refresh_token' ? 'refresh token' : 'access token'} to ${verb}.`,
    );
  return token;
}

export async function introspect(
  session: Session,
  conn: Connection,
  request: TokenManagementRequest = {},
): Promise<IntrospectionResult> {
  const use = resolved(session, conn);
  const hint = request.tokenTypeHint ?? 'access_token';
  const token = tokenOf(currentEntry(session, use), use, hint, 'introspect');
  return withFlow(session, request, (ctx) =>
    introspectToken(resolveConnection(use, ctx), ctx, token, hint),
  );
}

export async function revoke(
  session: Session,
  conn: Connection,
  request: TokenManagementRequest = {},
): Promise<RevocationResult> {
  const use = resolved(session, conn);
  const hint = request.tokenTypeHint ?? 'access_token';
  const entry = currentEntry(session, use);
  const token = tokenOf(entry, use, hint, 'revoke');
  const done = await withFlow(session, request, (ctx) =>
    revokeToken(resolveConnection(use, ctx), ctx, token, hint),
  );
  // RFC 7009 §2.1: revoking either token of a grant may revoke the other; neither is reused.
  if (entry) session.workspace.cache.delete(entry.key);
  await saveCacheQuietly(session);
  return { ...done, cacheCleared: entry !== undefined };
}
