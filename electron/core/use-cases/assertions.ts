/** Assertions: Generate JWT Token / `tokensmith assertion`, the check of a pasted one, discovery. */
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import type { Connection } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import {
  buildConnectionAssertion,
  checkClientAssertion,
  type GeneratedAssertion,
} from '../grants/assertions.js';
import { checkAgainstMetadata, discover, endpointsFromMetadata } from '../oauth/discovery.js';
import { networkProfileFor, resolveSigningKey } from '../resources.js';
import { withEndpoints } from './endpoints.js';
import { resolved, withFlow, type FlowOptions, type Session } from './session.js';

export async function generateAssertion(
  session: Session,
  conn: Connection,
  options: FlowOptions = {},
): Promise<GeneratedAssertion> {
  const use = resolved(session, conn);
  // Without an Issuer there is nothing to discover: an assertion needs the token endpoint only as
  // its default audience, and says so when it has neither (seed 004's step 1 runs first).
  return withFlow(session, options, async (ctx) =>
    buildConnectionAssertion(use.issuer ? await withEndpoints(session, use, ctx) : use, ctx),
  );
}

export async function checkAssertion(
  session: Session,
  conn: Connection,
  assertion: string,
): Promise<AssertionCheck> {
  if (conn.type !== 'jwt_client_assertion')
    throw new TokensmithError(
      'invalid_input',
      'Only a JWT Client Assertion connection has a client assertion to check.',
    );
  const doc = await session.workspace.store.read();
  return checkClientAssertion(resolved(session, conn), assertion, {
    resources: session.workspace.registry(doc),
  });
}

export interface DiscoveredEndpoints {
  tokenEndpoint?: string;
  authorizationEndpoint?: string;
  warnings: string[];
  metadataUrl: string;
  metadata: Record<string, unknown>;
}

/** OpenID / RFC 8414 metadata of the connection's issuer, with warnings for what it lacks. */
export async function discoverEndpoints(
  session: Session,
  conn: Connection,
): Promise<DiscoveredEndpoints> {
  const use = resolved(session, conn);
  if (!use.issuer)
    throw new TokensmithError('invalid_input', 'Enter the Issuer to discover its endpoints.', {
      field: 'issuer',
    });
  const resources = session.workspace.registry(await session.workspace.store.read());
  const found = await discover(use.issuer, session.http, await networkProfileFor(use, resources));
  let signingKey;
  if (use.jwt.signing.keystore)
    signingKey = await resolveSigningKey(use, resources).then(
      (k) => k.privateKey,
      () => undefined,
    );
  return {
    ...endpointsFromMetadata(found.metadata),
    warnings: checkAgainstMetadata(use, found.metadata, signingKey),
    metadataUrl: found.url,
    metadata: found.metadata,
  };
}
