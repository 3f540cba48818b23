/**
 * The sandbox's protected APIs (the resource server side):
 * - `/api/whoami`: who the token stands for. A Bearer token as it is; a DPoP-bound token only as
 *   `Authorization: DPoP` with a valid proof (RFC 9449 §7); a certificate-bound token only over
 *   the TLS connection that presents its certificate (RFC 8705 §3). An unknown, expired or
 *   revoked token gets 401 with error="invalid_token" (`/api/whoami-plain`: a bare 401).
 * - `/api/whoami-nonce`: also wants a nonce it issued in every proof (§9);
 *   `/api/whoami-nonce-refused` refuses every nonce.
 * - `/api/combined`: the access token and the authentication server's JWT (z/OS seed 000).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { AuthJwtServer } from './auth-jwt-server.js';
import {
  AUTH_JWT_API_HEADER,
  DPOP_NONCE_API_PATH,
  DPOP_NONCE_REFUSED_API_PATH,
  PLAIN_401_API_PATH,
} from './constants.js';
import { DpopVerifier, type NonceMode } from './dpop-verifier.js';
import { findIssuedToken, type IssuedToken } from './issued-tokens.js';

const DPOP_ALGS = 'ES256 ES384 ES512 RS256 PS256 EdDSA';

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function challenge(scheme: 'Bearer' | 'DPoP', error?: string, description?: string): string {
  return [
    `${scheme} realm="sandbox"`,
    ...(scheme === 'DPoP' ? [`algs="${DPOP_ALGS}"`] : []),
    ...(error ? [`error="${error}"`] : []),
    ...(description ? [`error_description="${description}"`] : []),
  ].join(', ');
}

/** The SHA-256 thumbprint of the TLS client certificate, when the request came with one. */
function peerThumbprint(req: IncomingMessage): string | undefined {
  const socket = req.socket as TLSSocket;
  const peer =
    typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  return peer?.raw ? createHash('sha256').update(peer.raw).digest('base64url') : undefined;
}

export interface ResourceServer {
  whoami(req: IncomingMessage, res: ServerResponse): Promise<void>;
  combined(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function resourceServer(options: {
  provider: Provider;
  issuer: string;
  verifyKey: KeyObject;
  authJwt: AuthJwtServer;
}): ResourceServer {
  const { provider, issuer, verifyKey, authJwt } = options;
  const dpop = new DpopVerifier();
  const find = (token: string) => findIssuedToken(provider, verifyKey, token);

  /** Why a known token may not be used on this request, or undefined when it may. */
  async function refusal(
    req: IncomingMessage,
    res: ServerResponse,
    scheme: 'Bearer' | 'DPoP',
    token: string,
    found: IssuedToken,
    path: string,
  ): Promise<boolean> {
    if (found.jkt && scheme !== 'DPoP') {
      json(
        res,
        401,
        { error: 'invalid_token' },
        {
          'www-authenticate': challenge(
            'DPoP',
            'invalid_token',
            'The access token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof',
          ),
        },
      );
      return true;
    }
    if (!found.jkt && scheme === 'DPoP') {
      json(
        res,
        401,
        { error: 'invalid_token' },
        {
          'www-authenticate': challenge(
            'Bearer',
            'invalid_token',
            'The access token is not DPoP-bound',
          ),
        },
      );
      return true;
    }
    if (found.jkt) {
      const nonce: NonceMode =
        path === DPOP_NONCE_API_PATH
          ? 'required'
          : path === DPOP_NONCE_REFUSED_API_PATH
            ? 'refused'
            : 'none';
      const proof = req.headers.dpop;
      const outcome = await dpop.verify(typeof proof === 'string' ? proof : undefined, {
        method: req.method ?? '',
        url: `${issuer}${path}`,
        accessToken: token,
        jkt: found.jkt,
        nonce,
      });
      if (!outcome.ok) {
        json(
          res,
          401,
          { error: outcome.error, error_description: outcome.description },
          {
            'www-authenticate': challenge('DPoP', outcome.error, outcome.description),
            ...(outcome.error === 'use_dpop_nonce' ? { 'dpop-nonce': dpop.issueNonce() } : {}),
          },
        );
        return true;
      }
    }
    if (found.x5tS256 && peerThumbprint(req) !== found.x5tS256) {
      json(
        res,
        401,
        { error: 'invalid_token' },
        {
          'www-authenticate': challenge(
            scheme,
            'invalid_token',
            'The access token is bound to a client certificate (RFC 8705) that this request did not present',
          ),
        },
      );
      return true;
    }
    return false;
  }

  return {
    async whoami(req, res) {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const saysInvalidToken = path !== PLAIN_401_API_PATH;
      const [, rawScheme = '', token = ''] =
        /^(Bearer|DPoP)\s+(.+)$/i.exec(req.headers.authorization ?? '') ?? [];
      const scheme = /^dpop$/i.test(rawScheme) ? 'DPoP' : 'Bearer';
      const found = await find(token);
      if (!found) {
        json(
          res,
          401,
          { error: token ? 'invalid_token' : 'unauthorized' },
          {
            'www-authenticate':
              token && saysInvalidToken
                ? challenge(
                    scheme,
                    'invalid_token',
                    'The access token is expired, revoked or unknown',
                  )
                : challenge('Bearer'),
          },
        );
        return;
      }
      if (await refusal(req, res, scheme, token, found, path)) return;
      json(res, 200, {
        sub: found.accountId ?? null,
        client_id: found.clientId,
        scope: found.scope,
        exp: found.exp,
        method: req.method,
        token_type: scheme,
        ...(found.jkt || found.x5tS256
          ? {
              cnf: {
                ...(found.jkt ? { jkt: found.jkt } : {}),
                ...(found.x5tS256 ? { 'x5t#S256': found.x5tS256 } : {}),
              },
            }
          : {}),
        ...(found.act ? { act: found.act } : {}),
      });
    },

    /** Both tokens: the access token in Authorization, the JWT (Bearer) in JWT-header-name. */
    async combined(req, res) {
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const found = await find(token);
      const header = req.headers[AUTH_JWT_API_HEADER.toLowerCase()];
      const jwt = /^Bearer\s+(.+)$/i.exec(typeof header === 'string' ? header : '')?.[1] ?? '';
      const jwtSub = await authJwt.subjectOf(jwt);
      if (!found || !jwtSub) {
        json(
          res,
          401,
          { error: 'invalid_token' },
          {
            'www-authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${!found ? 'The access token' : `The JWT in ${AUTH_JWT_API_HEADER}`} is missing, expired or unknown"`,
          },
        );
        return;
      }
      json(res, 200, {
        sub: found.accountId ?? null,
        client_id: found.clientId,
        jwt_sub: jwtSub,
      });
    },
  };
}
