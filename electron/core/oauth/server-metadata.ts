/**
 * The authorization server metadata a flow consults on its own (RFC 8414 / OpenID Discovery):
 * the device authorization, pushed authorization, introspection and revocation endpoints when
 * the connection leaves them empty, `require_pushed_authorization_requests` and
 * `authorization_response_iss_parameter_supported` (RFC 9207). Read from the connection's issuer
 * with its network profile, and kept for a few minutes per HTTP client (a session), so a flow
 * that polls or a CLI that runs several steps asks once.
 */
import type { HttpClient } from '../http/http-client.js';
import { discover, type AuthorizationServerMetadata } from './discovery.js';
import type { FlowContext } from './flow-context.js';
import type { ResolvedConnection } from './resolve.js';
import { TokensmithError } from '../errors.js';

const TTL_MS = 5 * 60_000;
const cached = new WeakMap<
  HttpClient,
  Map<string, { at: number; metadata: Promise<AuthorizationServerMetadata> }>
>();

/** The metadata of the connection's issuer; undefined when it has none configured. */
export async function serverMetadata(
  resolved: ResolvedConnection,
  ctx: Pick<FlowContext, 'http' | 'signal' | 'onProgress'>,
): Promise<AuthorizationServerMetadata | undefined> {
  const issuer = resolved.conn.issuer;
  if (!issuer) return undefined;
  let byIssuer = cached.get(ctx.http);
  if (!byIssuer) cached.set(ctx.http, (byIssuer = new Map()));
  const now = Date.now();
  const hit = byIssuer.get(issuer);
  if (hit && now - hit.at < TTL_MS) return hit.metadata;
  ctx.onProgress?.({ step: 'discovery', message: `Reading the metadata of ${issuer}` });
  const metadata = resolved
    .networkProfile()
    .then((profile) => discover(issuer, ctx.http, profile, ctx.signal))
    .then((found) => found.metadata);
  byIssuer.set(issuer, { at: now, metadata });
  metadata.catch(() => byIssuer.delete(issuer));
  return metadata;
}

/** Metadata members that name an endpoint, with the field a connection can set instead. */
export type MetadataEndpoint =
  | 'device_authorization_endpoint'
  | 'pushed_authorization_request_endpoint'
  | 'introspection_endpoint'
  | 'revocation_endpoint';

/**
 * An endpoint: the connection's own field when set, else the issuer's metadata; a clear error
 * naming both when neither has it.
 */
export async function endpointOf(
  resolved: ResolvedConnection,
  ctx: Pick<FlowContext, 'http' | 'signal' | 'onProgress'>,
  configured: string,
  member: MetadataEndpoint,
  label: string,
  field: string,
): Promise<string> {
  if (configured) return configured;
  const metadata = await serverMetadata(resolved, ctx);
  const found = metadata?.[member];
  if (found) return found;
  throw new TokensmithError(
    'invalid_input',
    resolved.conn.issuer
      ? `The issuer ${resolved.conn.issuer} does not advertise a ${label} (${member}): enter it.`
      : `Enter the ${label}, or the Issuer to discover it.`,
    { field },
  );
}
