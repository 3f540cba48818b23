/**
 * Resolves what a connection's requests need, once per run: its descriptor, the client
 * authentication as sent, the key that signs its JWTs, its network profile (proxy, truststore,
 * client certificate, timeouts) and the secret values to scrub from anything a server sends back.
 * Every grant, the exports and the assertion check work from a ResolvedConnection.
 */
import {
  descriptorOf,
  type ClientAuthAsSent,
  type Connection,
  type ConnectionTypeDescriptor,
} from '../../../shared/connection.js';
import type { JwtSigning } from '../../../shared/connection-types/index.js';
import { forEachSecret } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import type { NetworkProfile } from '../http/network-profile.js';
import { buildJwt, type BuiltJwt, type SigningKey } from '../jwt/jwt-builder.js';
import { networkProfileFor, resolveDpopKey, resolveSigningKey } from '../resources.js';
import { dpopProver, type DpopProver } from './dpop.js';
import { nowOf, type FlowContext } from './flow-context.js';

export interface ResolvedConnection<C extends Connection = Connection> {
  conn: C;
  descriptor: ConnectionTypeDescriptor<C>;
  clientAuth: ClientAuthAsSent;
  /** The client ID a client assertion names (`iss`, `sub`): the Client ID, else the Subject. */
  assertionClientId: string;
  /** Signs a fresh JWT of the connection (assertions are never reused: DESIGN, z/OS). */
  sign(use: JwtSigning['use']): Promise<BuiltJwt>;
  /** The key that signs the connection's JWTs, loaded once. */
  signingKey(): Promise<SigningKey>;
  networkProfile(): Promise<NetworkProfile>;
  /** The DPoP prover of the connection's proof key (RFC 9449), when DPoP is on. */
  dpop(): Promise<DpopProver | undefined>;
  now(): number;
  /** Known secret values of this connection, for scrubbing server answers. */
  secrets: string[];
  /**
   * Set when the request is prepared for an export rather than sent: nothing is signed and no
   * key or file is touched; secrets and assertions are placeholders the export renders.
   */
  exporting: boolean;
}

/** What stands for a signed assertion in an exported request. */
export const ASSERTION_PLACEHOLDER = '\u0000assertion\u0000';

/** How a secret is escaped inside a body template (`${password}` of a JSON or form body). */
export type BodyEncoding = 'json' | 'uri';

/**
 * An export's secret placeholder (`NUL secret:<path> NUL`) marked to be escaped for a body
 * template by the exported command at run time (transfer/runtime-export.ts).
 */
export const encodedPlaceholder = (placeholder: string, encoding: BodyEncoding) =>
  // eslint-disable-next-line no-control-regex -- placeholders are delimited by NUL
  placeholder.replace(/^\u0000secret:/, `\u0000secret-${encoding}:`);

/** The secret values of a connection (resolved references included), longest first. */
export function secretValues(conn: Connection): string[] {
  const values: string[] = [];
  forEachSecret('connection', conn as unknown as Record<string, unknown>, (_p, v) =>
    values.push(v),
  );
  return values.sort((a, b) => b.length - a.length);
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export function resolveConnection<C extends Connection>(
  conn: C,
  ctx: Pick<FlowContext, 'resources' | 'now' | 'onProgress'>,
  options: { exporting?: boolean } = {},
): ResolvedConnection<C> {
  const descriptor = descriptorOf(conn);
  const exporting = options.exporting === true;
  const now = () => nowOf(ctx);
  const assertionClientId = conn.client.id || conn.jwt.claims.subject;
  const signingKey = memo(async (): Promise<SigningKey> => {
    const signing = descriptor.signsJwt(conn);
    if (signing?.key === 'secret') return { kind: 'secret', secret: conn.client.secret };
    return resolveSigningKey(conn, ctx.resources, now());
  });
  const resolved: ResolvedConnection<C> = {
    conn,
    descriptor,
    clientAuth: descriptor.clientAuthAsSent(conn),
    assertionClientId,
    signingKey,
    networkProfile: memo(() => networkProfileFor(conn, ctx.resources, now())),
    dpop: memo(async () =>
      conn.dpop.enabled && !exporting
        ? dpopProver(await resolveDpopKey(conn, ctx.resources))
        : undefined,
    ),
    now,
    secrets: secretValues(conn),
    exporting,
    async sign(use) {
      if (exporting) return { jwt: ASSERTION_PLACEHOLDER, header: { alg: 'none' }, payload: {} };
      if (use === 'client_auth' && !assertionClientId) {
        throw new TokensmithError(
          'invalid_input',
          conn.type === 'jwt_client_assertion'
            ? 'Enter the Subject (Client ID): the assertion is made for it.'
            : 'Client ID (the assertion subject) is required.',
          // Seed 004's Generate JWT Token asks for it in its own step, before step 2's Client ID.
          { field: conn.type === 'jwt_client_assertion' ? 'jwt.claims.subject' : 'client.id' },
        );
      }
      ctx.onProgress?.({
        step: 'signing',
        message: use === 'grant' ? 'Signing the JWT assertion' : 'Signing the client assertion',
      });
      const key = await signingKey();
      const built = await buildJwt({
        settings: conn.jwt,
        mode: use,
        key,
        // Seed 004's Subject (Client ID) is used as typed (empty: the Client ID); the assertion
        // check says when it is not the client ID, which providers refuse. Other client
        // assertions (private_key_jwt, z/OS's jwtAuthentication) always carry the client ID.
        ...(use === 'client_auth'
          ? {
              clientId:
                (conn.type === 'jwt_client_assertion' && conn.jwt.claims.subject.trim()) ||
                assertionClientId,
            }
          : {}),
        defaults:
          use === 'client_auth'
            ? {
                issuer: assertionClientId,
                subject: assertionClientId,
                audience: conn.tokenEndpoint,
              }
            : { issuer: conn.client.id || undefined, audience: conn.tokenEndpoint },
        now: now(),
      });
      resolved.secrets.unshift(built.jwt);
      return built;
    },
  };
  return resolved;
}
