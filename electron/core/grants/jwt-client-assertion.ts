/**
 * The JWT Client Assertion flow of CloudStreams (seed 004): `grant_type=client_credentials&
 * client_id&scope&client_assertion_type&client_assertion` with the pasted assertion, or one
 * generated now (Generate JWT Token) when the field is empty. A pasted assertion is sent as it
 * is, even when its check warns.
 */
import type { JwtClientAssertionConnection } from '../../../shared/connection.js';
import { prepareTokenRequest } from '../oauth/token-request.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';

export const jwtClientAssertion: Grant<JwtClientAssertionConnection, { assertion?: string }> = {
  // The seed's order: grant_type, client_id, scope, client_assertion_type, client_assertion.
  prepare: (resolved, input) =>
    prepareTokenRequest(
      resolved,
      [
        ['grant_type', 'client_credentials'],
        ['client_id', resolved.assertionClientId],
      ],
      'token',
      input,
    ),
  run: (resolved, ctx) =>
    runPrepared(resolved, jwtClientAssertion.prepare(resolved, pasted(resolved.conn)), ctx),
  exportInput: (resolved) => pasted(resolved.conn),
};

function pasted(conn: JwtClientAssertionConnection): { assertion?: string } {
  const assertion = conn.clientAssertion.trim();
  return assertion ? { assertion } : {};
}
