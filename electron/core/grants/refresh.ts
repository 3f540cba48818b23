/** RFC 6749 §6, the same for every grant: the connection's client authentication and refresh parameters. */
import type { Connection } from '../../../shared/connection.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { resolveConnection } from '../oauth/resolve.js';
import { prepareTokenRequest } from '../oauth/token-request.js';
import { runPrepared } from './run.js';

export async function refreshToken(
  conn: Connection,
  refreshTokenValue: string,
  ctx: FlowContext,
): Promise<TokenResult> {
  if (!refreshTokenValue) {
    throw new TokensmithError('invalid_input', 'There is no refresh token to use.');
  }
  const resolved = resolveConnection(conn, ctx);
  resolved.secrets.push(refreshTokenValue);
  const prepared = prepareTokenRequest(
    resolved,
    [
      ['grant_type', 'refresh_token'],
      ['refresh_token', refreshTokenValue],
    ],
    'refresh',
  );
  const result = await runPrepared(resolved, prepared, ctx, 'refresh');
  // RFC 6749 §6: the server may keep the old refresh token.
  return result.refreshToken ? result : { ...result, refreshToken: refreshTokenValue };
}
