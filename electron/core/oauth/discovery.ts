/**
 * Discovery: from an issuer, read OpenID Connect Discovery (`/.well-known/openid-configuration`)
 * or RFC 8414 (`/.well-known/oauth-authorization-server`, inserted before the issuer's path) to
 * prefill endpoints, and warn when the connection's client authentication or signing algorithm
 * is not advertised. Uses the connection's network profile like every other leg.
 */
import * as z from 'zod';
import { descriptorOf, type Connection } from '../../../shared/connection.js';
import type { ExchangeRecord } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import { recordExchange, type HttpClient } from '../http/http-client.js';
import type { NetworkProfile } from '../http/network-profile.js';
import { resolveAlgorithm } from '../jwt/algorithms.js';
import type { KeyObject } from 'node:crypto';

export const authorizationServerMetadata = z
  .object({
    issuer: z.string(),
    authorization_endpoint: z.string().optional(),
    token_endpoint: z.string().optional(),
    jwks_uri: z.string().optional(),
    scopes_supported: z.array(z.string()).optional(),
    grant_types_supported: z.array(z.string()).optional(),
    token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
    token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional(),
    code_challenge_methods_supported: z.array(z.string()).optional(),
    device_authorization_endpoint: z.string().optional(),
    pushed_authorization_request_endpoint: z.string().optional(),
    require_pushed_authorization_requests: z.boolean().optional(),
    authorization_response_iss_parameter_supported: z.boolean().optional(),
    introspection_endpoint: z.string().optional(),
    revocation_endpoint: z.string().optional(),
    dpop_signing_alg_values_supported: z.array(z.string()).optional(),
    tls_client_certificate_bound_access_tokens: z.boolean().optional(),
  })
  .loose();
export type AuthorizationServerMetadata = z.infer<typeof authorizationServerMetadata>;

export interface DiscoveryResult {
  metadata: AuthorizationServerMetadata;
  /** Which document answered. */
  url: string;
  exchanges: ExchangeRecord[];
}

export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
}

export async function discover(
  issuer: string,
  http: HttpClient,
  profile: NetworkProfile,
  signal?: AbortSignal,
): Promise<DiscoveryResult> {
  if (!URL.canParse(issuer)) {
    throw new TokensmithError('invalid_input', `The issuer is not a URL: ${issuer}`, {
      field: 'issuer',
    });
  }
  const exchanges: ExchangeRecord[] = [];
  let lastProblem = '';
  for (const url of discoveryUrls(issuer)) {
    const request = {
      method: 'GET' as const,
      url,
      headers: { accept: 'application/json', 'user-agent': 'Tokensmith' },
    };
    const res = await http.send(request, profile, signal);
    exchanges.push(recordExchange('discovery', request, res, (t) => t.slice(0, 2048)));
    if (res.status === 404) {
      lastProblem = `${url} answered 404`;
      continue;
    }
    if (res.status !== 200) {
      lastProblem = `${url} answered HTTP ${res.status}`;
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      lastProblem = `${url} did not answer with JSON`;
      continue;
    }
    const parsed = authorizationServerMetadata.safeParse(json);
    if (!parsed.success) {
      lastProblem = `${url} is not authorization server metadata (no issuer)`;
      continue;
    }
    if (parsed.data.issuer.replace(/\/$/, '') !== issuer.replace(/\/$/, '')) {
      throw new TokensmithError(
        'invalid_response',
        `The metadata at ${url} names the issuer ${parsed.data.issuer}, not ${issuer}; it was not used.`,
      );
    }
    return { metadata: parsed.data, url, exchanges };
  }
  throw new TokensmithError(
    'not_found',
    `No discovery document found for ${issuer}: ${lastProblem}.`,
    {
      field: 'issuer',
      detail: { exchanges },
    },
  );
}

/** Warnings for settings the server does not advertise. */
export function checkAgainstMetadata(
  conn: Connection,
  metadata: AuthorizationServerMetadata,
  signingKey?: KeyObject,
): string[] {
  const warnings: string[] = [];
  const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  const descriptor = descriptorOf(conn);
  const auth = descriptor.clientAuthAsSent(conn);
  const method = auth === 'omitted' ? undefined : auth;
  if (method && !methods.includes(method)) {
    warnings.push(
      `The server does not advertise the client authentication ${method} (it lists: ${methods.join(', ')}).`,
    );
  }
  const grants = metadata.grant_types_supported;
  const grant = descriptor.grantType;
  if (grants && grant && !grants.includes(grant)) {
    warnings.push(
      `The server does not advertise the grant type ${grant} (it lists: ${grants.join(', ')}).`,
    );
  }
  const algs = metadata.token_endpoint_auth_signing_alg_values_supported;
  if (algs && signingKey && method === 'private_key_jwt') {
    const alg = resolveAlgorithm(conn.jwt.header.alg, signingKey);
    if (!algs.includes(alg)) {
      warnings.push(
        `The server does not advertise the signing algorithm ${alg} (it lists: ${algs.join(', ')}).`,
      );
    }
  }
  if (
    'pkce' in conn &&
    conn.pkce &&
    metadata.code_challenge_methods_supported &&
    !metadata.code_challenge_methods_supported.includes('S256')
  ) {
    warnings.push('The server does not advertise PKCE S256.');
  }
  return warnings;
}

/** Endpoint values to prefill the dialog with. */
export function endpointsFromMetadata(metadata: AuthorizationServerMetadata): {
  tokenEndpoint?: string;
  authorizationEndpoint?: string;
} {
  return {
    ...(metadata.token_endpoint ? { tokenEndpoint: metadata.token_endpoint } : {}),
    ...(metadata.authorization_endpoint
      ? { authorizationEndpoint: metadata.authorization_endpoint }
      : {}),
  };
}
