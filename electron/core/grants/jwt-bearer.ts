/** RFC 7523 §2.1: a JWT signed with the Signing Alias is the grant itself. */
import { JWT_BEARER_GRANT, type JwtBearerConnection } from '../../../shared/connection.js';
import { prepareTokenRequest } from '../oauth/token-request.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';

export const jwtBearer: Grant<JwtBearerConnection, void> = {
  async prepare(resolved) {
    const grantAssertion = await resolved.sign('grant');
    const prepared = await prepareTokenRequest(
      resolved,
      [
        ['grant_type', JWT_BEARER_GRANT],
        ['assertion', grantAssertion.jwt],
      ],
      'token',
    );
    return { ...prepared, grantAssertion };
  },
  run: (resolved, ctx) => runPrepared(resolved, jwtBearer.prepare(resolved), ctx),
  exportInput: () => undefined,
};
