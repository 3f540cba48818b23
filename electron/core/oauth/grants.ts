/**
 * The token flows that need no browser: client credentials (RFC 6749 §4.4), resource owner
 * password (§4.3), the JWT bearer grant (RFC 7523 §2.1), the two-step JWT client assertion flow
 * of CloudStreams (generate, then submit) and refresh (§6).
 */
import type {
  Connection,
  JwtClientAssertionConnection,
  PasswordConnection,
} from '../../../shared/connection.js';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import { buildJwt } from '../jwt/jwt-builder.js';
import { checkAssertion } from '../jwt/assertion-check.js';
import { resolveSigningKey } from '../resources.js';
import { nowOf, type FlowContext } from './flow-context.js';
import { callTokenEndpoint, checkBuiltAssertion } from './token-endpoint.js';
import {
  CLIENT_ASSERTION_TYPE,
  JWT_BEARER_GRANT,
  prepareTokenRequest,
  requestParameters,
  type PreparedTokenRequest,
} from './token-request.js';

async function send(
  conn: Connection,
  prepared: PreparedTokenRequest,
  ctx: FlowContext,
  label: 'token' | 'refresh' = 'token',
): Promise<TokenResult> {
  const check = prepared.clientAssertion
    ? await checkBuiltAssertion(conn, prepared.clientAssertion, undefined, ctx, conn.client.id)
    : undefined;
  const result = await callTokenEndpoint(conn, prepared, ctx, label);
  return check ? { ...result, assertionCheck: check } : result;
}

export async function clientCredentials(conn: Connection, ctx: FlowContext): Promise<TokenResult> {
  const prepared = await prepareTokenRequest(
    conn,
    [['grant_type', 'client_credentials']],
    'token',
    ctx,
  );
  return send(conn, prepared, ctx);
}

export async function passwordGrant(
  conn: PasswordConnection,
  ctx: FlowContext,
): Promise<TokenResult> {
  if (!conn.username) {
    throw new TokensmithError('invalid_input', 'Username is required.', { field: 'username' });
  }
  const prepared = await prepareTokenRequest(
    conn,
    [
      ['grant_type', 'password'],
      ['username', conn.username],
      ['password', conn.password],
    ],
    'token',
    ctx,
  );
  return send(conn, prepared, ctx);
}

/** The JWT bearer grant's assertion (RFC 7523 §2.1), signed with the Signing Alias, and its check. */
async function signGrantAssertion(conn: Connection, ctx: FlowContext): Promise<GeneratedAssertion> {
  ctx.onProgress?.({ step: 'signing', message: 'Signing the JWT assertion' });
  const key = await resolveSigningKey(conn, ctx.resources, nowOf(ctx));
  const built = await buildJwt({
    settings: conn.jwt,
    mode: 'grant',
    key,
    defaults: { issuer: conn.client.id || undefined, audience: conn.tokenEndpoint },
    now: nowOf(ctx),
  });
  return { assertion: built.jwt, check: await checkBuiltAssertion(conn, built, key, ctx) };
}

/** RFC 7523 §2.1: a JWT signed with the Signing Alias is the grant itself. */
export async function jwtBearer(conn: Connection, ctx: FlowContext): Promise<TokenResult> {
  const { assertion, check } = await signGrantAssertion(conn, ctx);
  const prepared = await prepareTokenRequest(
    conn,
    [
      ['grant_type', JWT_BEARER_GRANT],
      ['assertion', assertion],
    ],
    'token',
    ctx,
  );
  const result = await callTokenEndpoint(conn, prepared, ctx);
  return { ...result, assertionCheck: check };
}

export interface GeneratedAssertion {
  assertion: string;
  check: AssertionCheck;
}

/**
 * Step 1 of the JWT Client Assertion flow (Generate JWT Token): signs the assertion that fills
 * the Client Assertion field. `sub` is the Client ID (or the Subject (Client ID) claim).
 */
export async function generateClientAssertion(
  conn: JwtClientAssertionConnection,
  ctx: FlowContext,
): Promise<GeneratedAssertion> {
  const clientId = conn.client.id || conn.jwt.claims.subject;
  if (!clientId) {
    throw new TokensmithError('invalid_input', 'Client ID (the assertion subject) is required.', {
      field: 'client.id',
    });
  }
  ctx.onProgress?.({ step: 'signing', message: 'Signing the client assertion' });
  const key = await resolveSigningKey(conn, ctx.resources, nowOf(ctx));
  const built = await buildJwt({
    settings: conn.jwt,
    mode: 'client_auth',
    key,
    clientId,
    defaults: { issuer: clientId, subject: clientId, audience: conn.tokenEndpoint },
    now: nowOf(ctx),
  });
  return {
    assertion: built.jwt,
    check: await checkBuiltAssertion(conn, built, key, ctx, clientId),
  };
}

/** The check shown before Submit Request, for a generated or pasted assertion. */
export async function checkClientAssertion(
  conn: JwtClientAssertionConnection,
  assertion: string,
  ctx: FlowContext,
): Promise<AssertionCheck> {
  const clientId = conn.client.id || conn.jwt.claims.subject;
  let key;
  if (conn.jwt.signing.keystore) {
    try {
      key = await resolveSigningKey(conn, ctx.resources, nowOf(ctx));
    } catch {
      key = undefined; // A pasted assertion may come from elsewhere; check what can be checked.
    }
  }
  return checkAssertion(assertion, {
    tokenEndpoint: conn.tokenEndpoint,
    ...(conn.issuer ? { issuer: conn.issuer } : {}),
    ...(clientId ? { clientId } : {}),
    ...(key && key.chain[0] ? { certificate: key.chain[0] } : {}),
    now: nowOf(ctx),
  });
}

/**
 * Step 2 (Submit Request): `grant_type=client_credentials&client_id&scope&client_assertion_type
 * &client_assertion`, with the pasted or generated assertion; one is generated when the field is
 * empty. A pasted assertion is sent as it is, even when the check warns.
 */
export async function submitClientAssertion(
  conn: JwtClientAssertionConnection,
  ctx: FlowContext,
  assertion = conn.clientAssertion,
): Promise<TokenResult> {
  let jwt = assertion.trim();
  let check: AssertionCheck;
  if (jwt) check = await checkClientAssertion(conn, jwt, ctx);
  else ({ assertion: jwt, check } = await generateClientAssertion(conn, ctx));
  const clientId = conn.client.id || conn.jwt.claims.subject;
  const grant: Array<[string, string]> = [['grant_type', 'client_credentials']];
  if (clientId) grant.push(['client_id', clientId]);
  const prepared = await prepareTokenRequest(
    { ...conn, client: { ...conn.client, id: '', secret: '', authMethod: 'auto' } },
    grant,
    'token',
    ctx,
  );
  const form = new URLSearchParams(prepared.request.body);
  form.append('client_assertion_type', CLIENT_ASSERTION_TYPE);
  form.append('client_assertion', jwt);
  prepared.request.body = form.toString();
  const result = await callTokenEndpoint(conn, prepared, ctx);
  return { ...result, assertionCheck: check };
}

/** RFC 6749 §6 with the connection's client authentication and refresh parameters. */
export async function refreshToken(
  conn: Connection,
  refreshTokenValue: string,
  ctx: FlowContext,
): Promise<TokenResult> {
  if (!refreshTokenValue) {
    throw new TokensmithError('invalid_input', 'There is no refresh token to use.');
  }
  const grant: Array<[string, string]> = [
    ['grant_type', 'refresh_token'],
    ['refresh_token', refreshTokenValue],
  ];
  // Only the refresh request's own parameters, plus scope to keep the grant's scope.
  const refreshParams = requestParameters(
    { ...conn, params: { ...conn.params, resource: [], audience: '' } },
    'refresh',
  );
  const prepared = await prepareTokenRequest(conn, [...grant, ...refreshParams], 'refresh', ctx, {
    includeRequestParameters: false,
  });
  const result = await send(conn, prepared, ctx, 'refresh');
  // RFC 6749 §6: the server may keep the old refresh token.
  return result.refreshToken ? result : { ...result, refreshToken: refreshTokenValue };
}

/**
 * The assertion a connection would send now, freshly signed: the JWT bearer grant's assertion,
 * or the client assertion of private_key_jwt / client_secret_jwt / the client assertion flow.
 */
export async function buildConnectionAssertion(
  conn: Connection,
  ctx: FlowContext,
): Promise<GeneratedAssertion> {
  if (conn.type === 'jwt_client_assertion') return generateClientAssertion(conn, ctx);
  if (conn.type === 'jwt_bearer') return signGrantAssertion(conn, ctx);
  const prepared = await prepareTokenRequest(conn, [], 'token', ctx, {
    includeRequestParameters: false,
  });
  if (!prepared.clientAssertion) {
    throw new TokensmithError(
      'invalid_input',
      `Connection "${conn.name}" sends no assertion: its client authentication is ${prepared.clientAuth}.`,
    );
  }
  return {
    assertion: prepared.clientAssertion.jwt,
    check: await checkBuiltAssertion(
      conn,
      prepared.clientAssertion,
      undefined,
      ctx,
      conn.client.id,
    ),
  };
}
