/**
 * The assertions a connection signs and their checks, shown before a request is sent: the JWT
 * bearer grant's assertion (RFC 7523 §2.1) and client assertions (§2.2) — generated, or pasted
 * into the JWT Client Assertion flow (CloudStreams Generate JWT Token, seed 004).
 */
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import { TokensmithError } from '../errors.js';
import {
  checkAssertion,
  checkAssertionNow,
  type AssertionExpectations,
} from '../jwt/assertion-check.js';
import type { BuiltJwt } from '../jwt/jwt-builder.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { resolveConnection, type ResolvedConnection } from '../oauth/resolve.js';
import { prepareTokenRequest } from '../oauth/token-request.js';
import type { Connection } from '../../../shared/connection.js';

export interface GeneratedAssertion {
  assertion: string;
  check: AssertionCheck;
}

/**
 * What an assertion of this connection is checked against. The certificate of the signing key
 * (when it loads) checks that key and certificate belong together and that x5t matches.
 */
export async function expectationsFor(
  resolved: ResolvedConnection,
  use: 'grant' | 'client_auth',
): Promise<AssertionExpectations> {
  const { conn } = resolved;
  let certificate;
  const { jwkEnabled, keystore } = conn.jwt.signing;
  // A generated key has no certificate; loading one must not generate or rotate it.
  if (resolved.descriptor.signsJwt(conn)?.key === 'keystore' && !jwkEnabled && keystore) {
    const key = await resolved.signingKey().catch(() => undefined);
    if (key?.kind === 'private') certificate = key.chain[0];
  }
  return {
    tokenEndpoint: conn.tokenEndpoint,
    ...(conn.issuer ? { issuer: conn.issuer } : {}),
    ...(use === 'client_auth' && resolved.assertionClientId
      ? { clientId: resolved.assertionClientId }
      : {}),
    ...(certificate ? { certificate } : {}),
    now: resolved.now(),
  };
}

export async function checkBuilt(
  resolved: ResolvedConnection,
  built: BuiltJwt | string,
  use: 'grant' | 'client_auth',
): Promise<AssertionCheck> {
  const jwt = typeof built === 'string' ? built : built.jwt;
  return checkAssertion(jwt, await expectationsFor(resolved, use));
}

/**
 * checkBuilt made when it is first read: what it is checked against is taken now (the time, the
 * certificate), the check itself — decoding, claims, x5t, the signature verified with the
 * certificate — when the result's assertion check is shown (or sent to the window).
 */
export async function deferredCheck(
  resolved: ResolvedConnection,
  built: BuiltJwt | string,
  use: 'grant' | 'client_auth',
): Promise<() => AssertionCheck> {
  const jwt = typeof built === 'string' ? built : built.jwt;
  const expect = await expectationsFor(resolved, use);
  return () => checkAssertionNow(jwt, expect);
}

/**
 * The assertion a connection would send now, freshly signed: the JWT bearer grant's assertion,
 * or the client assertion of private_key_jwt / client_secret_jwt / the client assertion flow.
 */
export async function buildConnectionAssertion(
  conn: Connection,
  ctx: FlowContext,
): Promise<GeneratedAssertion> {
  const resolved = resolveConnection(conn, ctx);
  const signing = resolved.descriptor.signsJwt(conn);
  if (!signing) {
    throw new TokensmithError(
      'invalid_input',
      `Connection "${conn.name}" sends no assertion: its client authentication is ${resolved.clientAuth}.`,
    );
  }
  if (signing.use === 'client_auth' && conn.type !== 'jwt_client_assertion') {
    // As the token request would: the client authentication strategy signs it.
    const prepared = await prepareTokenRequest(resolved, [], 'token');
    const built = prepared.clientAssertion as BuiltJwt;
    return { assertion: built.jwt, check: await checkBuilt(resolved, built, 'client_auth') };
  }
  const built = await resolved.sign(signing.use);
  return { assertion: built.jwt, check: await checkBuilt(resolved, built, signing.use) };
}

/** The check shown before Submit Request, for a generated or pasted client assertion. */
export async function checkClientAssertion(
  conn: Connection,
  assertion: string,
  ctx: Pick<FlowContext, 'resources' | 'now'>,
): Promise<AssertionCheck> {
  return checkBuilt(resolveConnection(conn, ctx), assertion, 'client_auth');
}
