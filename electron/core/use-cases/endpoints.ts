/**
 * A connection that names only its issuer (a workspace file, an import) gets its endpoints from
 * the issuer's OpenID / RFC 8414 metadata when it is used. The metadata is kept for the session
 * (ten minutes), so an app that stays open asks again now and then, and a CLI run asks once.
 */
import type { Connection } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import { discover, endpointsFromMetadata } from '../oauth/discovery.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { networkProfileFor } from '../resources.js';
import type { Session } from './session.js';

const KEEP_MS = 10 * 60_000;
type Found = { at: number; tokenEndpoint?: string; authorizationEndpoint?: string };
const found = new WeakMap<Session, Map<string, Found>>();

/** Whether an endpoint the connection needs is left to discovery. */
export function needsDiscovery(conn: Connection): boolean {
  // The JWT type's endpoint is a JWT issuer (or none, with a pasted JWT): nothing to discover.
  if (conn.type === 'jwt') return false;
  return !conn.tokenEndpoint || ('authorizationEndpoint' in conn && !conn.authorizationEndpoint);
}

/** The connection with the endpoints it leaves out taken from its issuer's metadata. */
export async function withEndpoints(
  session: Session,
  conn: Connection,
  ctx: Pick<FlowContext, 'resources' | 'signal' | 'http'>,
): Promise<Connection> {
  if (!needsDiscovery(conn)) return conn;
  const known = found.get(session) ?? new Map<string, Found>();
  found.set(session, known);
  let endpoints = known.get(conn.issuer);
  if (!endpoints || Date.now() - endpoints.at > KEEP_MS) {
    const profile = await networkProfileFor(conn, ctx.resources);
    // The flow's client: a traced flow records its discovery leg too.
    const result = await discover(conn.issuer, ctx.http, profile, ctx.signal);
    endpoints = { at: Date.now(), ...endpointsFromMetadata(result.metadata) };
    known.set(conn.issuer, endpoints);
  }
  const out = structuredClone(conn);
  out.tokenEndpoint ||= endpoints.tokenEndpoint ?? '';
  if (out.type === 'authorization_code')
    out.authorizationEndpoint ||= endpoints.authorizationEndpoint ?? '';
  if (needsDiscovery(out))
    throw new TokensmithError(
      'invalid_input',
      `The connection "${conn.name}" gives no ${out.tokenEndpoint ? 'Authorization Endpoint' : 'Token Endpoint'}, and the metadata of its issuer ${conn.issuer} names none.`,
      { field: out.tokenEndpoint ? 'authorizationEndpoint' : 'tokenEndpoint' },
    );
  return out;
}
