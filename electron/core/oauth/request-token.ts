/** One entry point for every connection type: what Generate Access Token / Get Token runs. */
import type { Connection } from '../../../shared/connection.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { authorizationCode } from './authorization-code.js';
import type { FlowContext } from './flow-context.js';
import { clientCredentials, jwtBearer, passwordGrant, submitClientAssertion } from './grants.js';

export async function requestToken(conn: Connection, ctx: FlowContext): Promise<TokenResult> {
  switch (conn.type) {
    case 'authorization_code':
      return authorizationCode(conn, ctx);
    case 'jwt_bearer':
      return jwtBearer(conn, ctx);
    case 'jwt_client_assertion':
      return submitClientAssertion(conn, ctx);
    case 'client_credentials':
      return clientCredentials(conn, ctx);
    case 'password':
      return passwordGrant(conn, ctx);
  }
}
