/**
 * webMethods API Gateway's JWT in the sandbox (seed 003): an issuer and an API that accepts its
 * JWTs. `GET …/jwt/getJsonWebToken` with Basic credentials answers `{"jwt": "…"}`, signed RS256
 * with a key made at start; `POST` with a JSON object adds those claims ("Retrieving JWT Token with
 * Claim"); `…/jwt/certs` publishes the JWKS; `/gateway/api/whoami` takes the JWT as
 * `Authorization: Bearer` and checks it as API Gateway does — the signature with the issuer's JWKS
 * URI, then `exp` and `aud` — answering 401 `invalid_token` otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import type { GrantUser as SandboxUser } from './custom-grants.js';

export const API_GATEWAY_TOKEN_PATH = '/rest/pub/apigateway/jwt/getJsonWebToken';
export const API_GATEWAY_JWKS_PATH = '/rest/pub/apigateway/jwt/certs';
export const API_GATEWAY_API_PATH = '/gateway/api/whoami';
/** The audience the demo API accepts: the issuer's JWTs carry it unless their claims say otherwise. */
export const API_GATEWAY_AUDIENCE = 'sandbox-gateway-api';

/** Claims the caller may not set: the issuer's own. */
const ISSUER_CLAIMS = new Set(['iss', 'sub', 'iat', 'jti']);

export interface ApiGatewayOptions {
  /** The sandbox's base URL. */
  base: string;
  users: SandboxUser[];
  ttlSeconds?: number;
}

export async function apiGateway(options: ApiGatewayOptions) {
  const { base, users } = options;
  const issuer = `${base}/apigateway`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const jwks: { keys: JWK[] } = { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] };
  // Verified as a gateway would: the key comes from the issuer's JWKS URI, over HTTP.
  const remoteKeys = createRemoteJWKSet(new URL(`${base}${API_GATEWAY_JWKS_PATH}`));

  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  async function issue(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (colon < 0 || !users.some((u) => u.username === username && u.password === password)) {
      json(
        res,
        401,
        { error: 'Unknown user or wrong password.' },
        {
          'www-authenticate': 'Basic realm="API Gateway"',
        },
      );
      return;
    }
    let claims: Record<string, unknown> = {};
    if (req.method === 'POST' && body.trim()) {
      try {
        const parsed: unknown = JSON.parse(body);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
        claims = Object.fromEntries(
          Object.entries(parsed).filter(([name]) => !ISSUER_CLAIMS.has(name)),
        );
      } catch {
        json(res, 400, { error: 'The claims are not a JSON object.' });
        return;
      }
    } else if (req.method !== 'GET' && req.method !== 'POST') {
      json(res, 405, { error: 'Use GET, or POST with claims.' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({
      aud: API_GATEWAY_AUDIENCE,
      exp: now + (options.ttlSeconds ?? 600),
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuer)
      .setSubject(username)
      .setIssuedAt(now)
      .setJti(randomBytes(8).toString('hex'))
      .sign(privateKey);
    json(res, 200, { jwt });
  }

  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    try {
      const { payload } = await jwtVerify(token, remoteKeys, {
        issuer,
        audience: API_GATEWAY_AUDIENCE,
        algorithms: ['RS256'],
      });
      json(res, 200, { sub: payload.sub, iss: payload.iss, aud: payload.aud, method: req.method });
    } catch (e) {
      const reason = token ? (e as Error).message.replace(/"/g, "'") : 'no bearer token';
      json(
        res,
        401,
        { error: 'invalid_token', error_description: reason },
        {
          'www-authenticate': `Bearer realm="API Gateway", error="invalid_token", error_description="${reason}"`,
        },
      );
    }
  }

  return {
    issuer,
    tokenUrl: `${base}${API_GATEWAY_TOKEN_PATH}`,
    jwksUrl: `${base}${API_GATEWAY_JWKS_PATH}`,
    apiUrl: `${base}${API_GATEWAY_API_PATH}`,
    /** The routes: true when the request was theirs. */
    async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean> {
      const path = (req.url ?? '').split('?')[0];
      if (path === API_GATEWAY_TOKEN_PATH) await issue(req, res, body);
      else if (path === API_GATEWAY_JWKS_PATH) json(res, 200, jwks);
      else if (path?.startsWith(API_GATEWAY_API_PATH)) await api(req, res);
      else return false;
      return true;
    },
  };
}
