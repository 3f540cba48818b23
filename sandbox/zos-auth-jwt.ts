/**
 * The z/OS Connect side of the sandbox (seed 000): a JWT authentication server that is not OAuth
 * — Basic credentials in JWTReqAuthorization (GET) or `{"username","password"}` in a JSON body
 * (POST); the JWT in JWTResAuthorization or at `$.data.jwt` — and an API that wants both the
 * OAuth access token (Authorization) and that JWT (JWT-header-name).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { SandboxUser } from './demo-clients.js';

/** An API that wants the OAuth access token and the authentication server's JWT (seed 000). */
export const COMBINED_API_PATH = '/api/combined';
/** The JWT authentication server (z/OS `zosconnect_authToken`): credentials and JWT in headers. */
export const AUTH_JWT_HEADER_PATH = '/authjwt/header';
/** The same with the credentials in a JSON body and the JWT at `$.data.jwt` of the answer. */
export const AUTH_JWT_BODY_PATH = '/authjwt/body';
export const AUTH_JWT_REQUEST_HEADER = 'JWTReqAuthorization';
export const AUTH_JWT_RESPONSE_HEADER = 'JWTResAuthorization';
export const AUTH_JWT_API_HEADER = 'JWT-header-name';

export interface ZosAuthJwtOptions {
  issuer: string;
  users: SandboxUser[];
  ttlSeconds?: number;
  /** The OAuth access token's record, if the authorization server issued it and it is valid. */
  findAccessToken(token: string): Promise<{ accountId?: string; clientId: string } | undefined>;
}

/** The routes: true when the request was theirs. */
export function zosAuthJwt(options: ZosAuthJwtOptions) {
  const { issuer, users } = options;
  /** HS256 key of the authentication server's JWTs. */
  const authJwtKey = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const authJwtIssuer = `${issuer}/authjwt`;

  /**
   * A JWT authentication server that is not OAuth: Basic credentials in JWTReqAuthorization
   * (GET) or `{"username","password"}` in a JSON body (POST); the JWT in JWTResAuthorization or
   * at `$.data.jwt`.
   */
  async function authenticationServer(
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
  ): Promise<void> {
    const inHeader = req.url?.startsWith(AUTH_JWT_HEADER_PATH) ?? false;
    let username = '';
    let password = '';
    if (inHeader) {
      const value = req.headers[AUTH_JWT_REQUEST_HEADER.toLowerCase()];
      const basic = /^Basic\s+(.+)$/i.exec(typeof value === 'string' ? value : '')?.[1];
      const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
      username = decoded.slice(0, decoded.indexOf(':'));
      password = decoded.slice(decoded.indexOf(':') + 1);
    } else {
      try {
        ({ username = '', password = '' } = JSON.parse(body) as Record<string, string>);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('The body is not JSON.');
        return;
      }
    }
    if (inHeader !== (req.method === 'GET')) {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('Wrong method.');
      return;
    }
    if (!users.some((u) => u.username === username && u.password === password)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Unknown user or wrong password.');
      return;
    }
    const jwt = await new SignJWT({ auth: 'sandbox' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(authJwtIssuer)
      .setSubject(username)
      .setIssuedAt()
      .setJti(randomBytes(8).toString('hex'))
      .setExpirationTime(`${options.ttlSeconds ?? 900}s`)
      .sign(authJwtKey);
    if (inHeader) {
      res.writeHead(200, { [AUTH_JWT_RESPONSE_HEADER]: jwt, 'content-type': 'text/plain' });
      res.end('Authenticated.');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { jwt, user: username } }));
    }
  }

  /** Both tokens: the access token in Authorization, the JWT (Bearer) in JWT-header-name. */
  async function combinedApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const found = token ? await options.findAccessToken(token) : undefined;
    const header = req.headers[AUTH_JWT_API_HEADER.toLowerCase()];
    const jwt = /^Bearer\s+(.+)$/i.exec(typeof header === 'string' ? header : '')?.[1] ?? '';
    let jwtSub: string | undefined;
    try {
      jwtSub = (await jwtVerify(jwt, authJwtKey, { issuer: authJwtIssuer })).payload.sub;
    } catch {
      jwtSub = undefined;
    }
    if (!found || !jwtSub) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${!found ? 'The access token' : `The JWT in ${AUTH_JWT_API_HEADER}`} is missing, expired or unknown"`,
      });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    const record = found;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        sub: record.accountId ?? null,
        client_id: record.clientId,
        jwt_sub: jwtSub,
      }),
    );
  }

  return async (req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean> => {
    if (req.url?.startsWith('/authjwt/')) await authenticationServer(req, res, body);
    else if (req.url?.startsWith(COMBINED_API_PATH)) await combinedApi(req, res);
    else return false;
    return true;
  };
}
