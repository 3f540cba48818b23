/**
 * A grant: how its token request is formed (the same preparation the exports render) and how a
 * token is obtained with it. One module per grant type, registered in `./registry.ts`.
 */
import type { Connection } from '../../../shared/connection.js';
import type { TokenResult } from '../../../shared/token-result.js';
import type { BuiltJwt } from '../jwt/jwt-builder.js';
import type { FlowContext } from '../oauth/flow-context.js';
import type { ResolvedConnection } from '../oauth/resolve.js';
import type { PreparedTokenRequest } from '../oauth/token-request.js';

export interface PreparedGrant extends PreparedTokenRequest {
  /** The JWT bearer grant's assertion (RFC 7523 §2.1), for its check. */
  grantAssertion?: BuiltJwt;
}

export interface Grant<C extends Connection, I> {
  /** The token request; `input` is what only a running flow knows (an authorization code). */
  prepare(resolved: ResolvedConnection<C>, input: I): Promise<PreparedGrant>;
  /** Obtains a token: prepare → send → process (an interactive grant signs in first). */
  run(resolved: ResolvedConnection<C>, ctx: FlowContext): Promise<TokenResult>;
  /** The `input` of an exported request: placeholders where run-time values go. */
  exportInput(resolved: ResolvedConnection<C>): I;
  /**
   * The connection with what its token-cache key needs and only a run knows filled in (a token
   * exchange's chained subject token); the connection itself when absent.
   */
  keyed?(conn: C, ctx: FlowContext): Promise<C>;
}
