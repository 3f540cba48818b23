/**
 * A JWT authentication server that is not OAuth (z/OS Connect `zosconnect_authToken`, seed 000):
 * Basic credentials in JWTReqAuthorization (GET) or `{"username","password"}` in a JSON body
 * (POST); the JWT back in JWTResAuthorization or at `$.data.jwt`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, jwtVerify } from 'jose';
import {
  AUTH_JWT_HEADER_PATH,
  AUTH_JWT_REQUEST_HEADER,
  AUTH_JWT_RESPONSE_HEADER,
} from './constants.js';
import type { GrantUser } from './custom-grants.js';

export interface AuthJwtServer {
  handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void>;
  /** The subject of a JWT this server issued, or undefined. */
  subjectOf(jwt: string): Promise<string | undefined>;
}

export function authJwtServer(
  issuer: string,
  users: GrantUser[],
  ttlSeconds: number,
): AuthJwtServer {
  /** HS256 key of the authentication server's JWTs. */
  const key = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const jwtIssuer = `${issuer}/authjwt`;
  return {
    async handle(req, res, body) {
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
        .setIssuer(jwtIssuer)
        .setSubject(username)
        .setIssuedAt()
        .setJti(randomBytes(8).toString('hex'))
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
      if (inHeader) {
        res.writeHead(200, { [AUTH_JWT_RESPONSE_HEADER]: jwt, 'content-type': 'text/plain' });
        res.end('Authenticated.');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { jwt, user: username } }));
      }
    },
    async subjectOf(jwt) {
      try {
        return (await jwtVerify(jwt, key, { issuer: jwtIssuer })).payload.sub;
      } catch {
        return undefined;
      }
    },
  };
}
