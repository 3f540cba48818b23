/**
 * Prepares a token endpoint request (RFC 6749 §3.2): `POST`, form-urlencoded body, `Accept:
 * application/json`; the grant's parameters first, then the connection's request parameters,
 * then client authentication. Pure but for signing a client assertion; the same preparation is
 * what the exports render.
 */
import type { Connection, NameValue } from '../../../shared/connection.js';
import type { HttpRequest } from '../http/http-client.js';
import type { BuiltJwt } from '../jwt/jwt-builder.js';
import { applyClientAuth, type AppliedClientAuth, type FormParams } from './client-auth.js';
import type { ResolvedConnection } from './resolve.js';

export type { FormParams } from './client-auth.js';

/** Which request the custom parameters are for. */
export type RequestKind = 'token' | 'refresh' | 'authorization';

/**
 * Which of the connection's request parameters a request carries: all of the token request's;
 * all but scope (the authorization code carries it); the refresh request's own plus scope; the
 * authorization request's (a pushed or device authorization request); or none (introspection,
 * revocation).
 */
export type ParameterSet = 'token' | 'token-without-scope' | 'refresh' | 'authorization' | 'none';

export interface PreparedTokenRequest {
  /** What is sent. */
  request: HttpRequest;
  /** The form before encoding, in order. */
  form: FormParams;
  clientAuth: AppliedClientAuth;
  /** The client assertion signed for this request, if any (never reused: DESIGN, z/OS). */
  clientAssertion?: BuiltJwt;
}

/** Sets a parameter, replacing any earlier one of the same name. */
function setParam(form: FormParams, name: string, value: string): void {
  const kept = form.filter(([n]) => n !== name);
  form.length = 0;
  form.push(...kept, [name, value]);
}

/** scope, resource (repeatable), audience and custom parameters of the connection. */
export function requestParameters(conn: Connection, kind: RequestKind): FormParams {
  const form: FormParams = [];
  const { scope, resource, audience } = conn.params;
  if (scope.trim()) form.push(['scope', scope.trim().replace(/\s+/g, ' ')]);
  for (const r of resource) form.push(['resource', r]);
  if (audience.trim()) form.push(['audience', audience.trim()]);
  const custom: NameValue[] =
    kind === 'token'
      ? conn.params.tokenParams
      : kind === 'refresh'
        ? conn.params.refreshParams
        : conn.params.authorizationParams;
  // A custom parameter named like a standard one replaces it (e.g. a provider-specific scope).
  const seen = new Set<string>();
  for (const { name, value } of custom) {
    if (seen.has(name)) form.push([name, value]);
    else setParam(form, name, value);
    seen.add(name);
  }
  return form;
}

function parametersOf(conn: Connection, set: ParameterSet): FormParams {
  if (set === 'none') return [];
  if (set === 'token' || set === 'authorization') return requestParameters(conn, set);
  if (set === 'token-without-scope')
    return requestParameters({ ...conn, params: { ...conn.params, scope: '' } }, 'token');
  // Only the refresh request's own parameters, plus scope to keep the grant's scope.
  return requestParameters(
    { ...conn, params: { ...conn.params, resource: [], audience: '' } },
    'refresh',
  );
}

export async function prepareTokenRequest(
  resolved: ResolvedConnection,
  grant: FormParams,
  parameters: ParameterSet,
  given: { assertion?: string } = {},
): Promise<PreparedTokenRequest> {
  return prepareEndpointRequest(resolved, resolved.conn.tokenEndpoint, grant, parameters, given);
}

/**
 * The same form POST with the connection's client authentication, to another endpoint of the
 * authorization server: pushed authorization (RFC 9126 §2.1), device authorization (RFC 8628
 * §3.1), introspection (RFC 7662 §2.1), revocation (RFC 7009 §2.1).
 */
export async function prepareEndpointRequest(
  resolved: ResolvedConnection,
  url: string,
  grant: FormParams,
  parameters: ParameterSet,
  given: { assertion?: string } = {},
): Promise<PreparedTokenRequest> {
  const form: FormParams = [...grant];
  for (const [name, value] of parametersOf(resolved.conn, parameters)) {
    if (name === 'resource' || !form.some(([n]) => n === name)) form.push([name, value]);
  }
  const clientAuth = await applyClientAuth(resolved, given);
  // A grant that names the client itself (the client assertion flow) keeps its client_id.
  form.push(...clientAuth.form.filter(([n]) => n !== 'client_id' || !form.some(([f]) => f === n)));
  // The Basic credentials without their scheme: an echo may re-case it or leave it out, and no
  // form of the secret alone is a substring of the base64 of `id:secret` (RFC 6749 §2.3.1).
  const { authorization } = clientAuth.headers;
  if (authorization) resolved.secrets.push(authorization.replace(/^Basic /, ''));
  return {
    request: {
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': 'Tokensmith',
        ...clientAuth.headers,
      },
      body: new URLSearchParams(form).toString(),
    },
    form,
    clientAuth,
    ...(clientAuth.signed ? { clientAssertion: clientAuth.signed } : {}),
  };
}
