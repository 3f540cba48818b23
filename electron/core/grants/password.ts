/** Resource owner password credentials (RFC 6749 §4.3). */
import type { PasswordConnection } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import { prepareTokenRequest } from '../oauth/token-request.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';

export const password: Grant<PasswordConnection, void> = {
  async prepare(resolved) {
    const { conn } = resolved;
    if (!conn.username) {
      throw new TokensmithError('invalid_input', 'Username is required.', { field: 'username' });
    }
    return prepareTokenRequest(
      resolved,
      [
        ['grant_type', 'password'],
        ['username', conn.username],
        ['password', conn.password],
      ],
      'token',
    );
  },
  run: (resolved, ctx) => runPrepared(resolved, password.prepare(resolved), ctx),
  exportInput: () => undefined,
};
