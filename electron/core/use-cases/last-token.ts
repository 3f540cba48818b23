/**
 * The last token set of each connection, kept with it in the store (sealed like every secret) so
 * the page shows it again when the connection is opened — as CloudStreams keeps the populated
 * Connection Groups fields (seed 004). Recorded whenever a use case obtains a token from the
 * server or by a refresh; shown masked, with its expiry, when and how it was obtained; removed
 * with the connection and by `cache clear`.
 */
import type { LastTokenView } from '../../../shared/contract.js';
import { maskJson, maskToken } from '../../../shared/masking.js';
import type { LastTokenSet } from '../../../shared/store-model.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { without } from '../lazy-property.js';
import { TokensmithError } from '../errors.js';
import type { Session } from './session.js';

/** Records a connection's new token set; a failure to save never fails the request that got it. */
export async function rememberToken(
  session: Session,
  connectionId: string,
  result: TokenResult,
  source: 'cache' | 'refresh' | 'network',
): Promise<void> {
  if (source === 'cache') return;
  // Neither is read: a check or a masked exchange not shown is never made.
  const kept = without(result, ['exchanges', 'assertionCheck']);
  const record: LastTokenSet = { connectionId, source, result: kept };
  await session.workspace.store
    .update((doc) => {
      // Only for a connection that is saved: a draft's tokens are not kept.
      if (!doc.connections.some((c) => c.id === connectionId)) return;
      doc.lastTokens = [...doc.lastTokens.filter((t) => t.connectionId !== connectionId), record];
    })
    .catch(() => undefined);
}

/** The connection's last token set as the page shows it: every token masked. */
export async function lastToken(
  session: Session,
  connectionId: string,
): Promise<LastTokenView | null> {
  const doc = await session.workspace.store.read();
  const set = doc.lastTokens.find((t) => t.connectionId === connectionId);
  if (!set) return null;
  const r = set.result;
  return {
    connectionId,
    source: set.source,
    obtainedAt: r.obtainedAt,
    ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
    ...(r.tokenType ? { tokenType: r.tokenType } : {}),
    ...(r.scope ? { scope: r.scope } : {}),
    tokenPath: r.tokenPath,
    token: maskToken(r.token),
    ...(r.accessToken ? { accessToken: maskToken(r.accessToken) } : {}),
    ...(r.refreshToken ? { refreshToken: maskToken(r.refreshToken) } : {}),
    ...(r.idToken ? { idToken: maskToken(r.idToken) } : {}),
    fields: maskJson(r.fields) as Record<string, unknown>,
    warnings: r.warnings,
  };
}

/** The refresh token of the connection's last token set (Refresh Token after a restart). */
export async function keptRefreshToken(session: Session, connectionId: string): Promise<string> {
  const doc = await session.workspace.store.read();
  const token = doc.lastTokens.find((t) => t.connectionId === connectionId)?.result.refreshToken;
  if (!token)
    throw new TokensmithError(
      'invalid_input',
      'There is no refresh token kept for this connection: generate an access token first.',
    );
  return token;
}

/** Forgets one connection's last token set, or every connection's; returns how many went. */
export async function forgetTokens(session: Session, connectionId?: string): Promise<number> {
  let removed = 0;
  const doc = await session.workspace.store.read();
  if (!doc.lastTokens.some((t) => connectionId === undefined || t.connectionId === connectionId))
    return 0;
  await session.workspace.store.update((d) => {
    const kept = d.lastTokens.filter(
      (t) => connectionId !== undefined && t.connectionId !== connectionId,
    );
    removed = d.lastTokens.length - kept.length;
    d.lastTokens = kept;
  });
  return removed;
}
