/**
 * Every connection type's grant. A type without one does not compile; `requestToken` is what
 * Generate Access Token / Get Token / Authorize / Submit Request run.
 */
import {
  prerequisitesOf,
  type Connection,
  type ConnectionOf,
  type ConnectionType,
} from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import type { TokenResult } from '../../../shared/token-result.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { resolveConnection, type ResolvedConnection } from '../oauth/resolve.js';
import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import type { Grant, PreparedGrant } from './grant.js';
import { jwt } from './jwt.js';
import { jwtBearer } from './jwt-bearer.js';
import { jwtClientAssertion } from './jwt-client-assertion.js';
import { password } from './password.js';
import { deviceCode } from './device-code.js';
import { tokenExchange } from './token-exchange.js';

export type GrantRegistry = { [T in ConnectionType]: Grant<ConnectionOf<T>, unknown> };

export const GRANTS = {
  authorization_code: authorizationCode,
  jwt_bearer: jwtBearer,
  jwt_client_assertion: jwtClientAssertion,
  client_credentials: clientCredentials,
  password,
  device_code: deviceCode,
  token_exchange: tokenExchange,
  jwt,
} satisfies GrantRegistry;

/** The grant of a connection, typed for it (the one place a registry lookup is narrowed). */
export function grantOf<C extends Connection>(conn: C): Grant<C, unknown> {
  return GRANTS[conn.type] as unknown as Grant<C, unknown>;
}

/**
 * The connection as its token-cache key sees it: a token exchange's chained subject and actor
 * tokens filled in (their values enter the key as hashes), any other connection as it is.
 */
export async function keyedConnection<C extends Connection>(conn: C, ctx: FlowContext): Promise<C> {
  const grant = grantOf(conn);
  return grant.keyed ? grant.keyed(conn, ctx) : conn;
}

/** Obtains a token for any connection type, once what its grant needs is filled in. */
export async function requestToken(conn: Connection, ctx: FlowContext): Promise<TokenResult> {
  const [missing] = prerequisitesOf(conn);
  if (missing)
    throw new TokensmithError('invalid_input', missing.message, { field: missing.field });
  return grantOf(conn).run(resolveConnection(conn, ctx), ctx);
}

/** The token request a connection sends, with placeholders for run-time values (exports). */
export async function exportedRequest(resolved: ResolvedConnection): Promise<PreparedGrant> {
  const grant = grantOf(resolved.conn);
  return grant.prepare(resolved, grant.exportInput(resolved));
}
