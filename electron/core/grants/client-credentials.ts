/** Client credentials (RFC 6749 §4.4) with the connection's client authentication. */
import type { ClientCredentialsConnection } from '../../../shared/connection.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';
import { prepareTokenRequest } from '../oauth/token-request.js';

export const clientCredentials: Grant<ClientCredentialsConnection, void> = {
  prepare: (resolved) =>
    prepareTokenRequest(resolved, [['grant_type', 'client_credentials']], 'token'),
  run: (resolved, ctx) => runPrepared(resolved, clientCredentials.prepare(resolved), ctx),
  exportInput: () => undefined,
};
