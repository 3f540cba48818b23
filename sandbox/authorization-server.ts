/**
 * A real OpenID provider (oidc-provider) on loopback with a client for every connection type and
 * client-authentication variant. The tests use it, and so will `npm run sandbox`.
 *
 * Registered on top of oidc-provider's own grants: the resource owner password grant and the
 * JWT bearer grant (RFC 7523 §2.1), both issuing access and refresh tokens for a saved Grant.
 * Every request is recorded as received — method, path, headers, raw body, TLS client
 * certificate — so tests can check what the server actually got.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createPublicKey, type KeyObject } from 'node:crypto';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { apiGateway } from './api-gateway.js';
import { registerSandboxGrants } from './sandbox-grants.js';
import { JWT_BEARER_ISSUER, SANDBOX_USER, demoClients, type SandboxUser } from './demo-clients.js';
import {
  AUTH_JWT_BODY_PATH,
  AUTH_JWT_HEADER_PATH,
  COMBINED_API_PATH,
  zosAuthJwt,
} from './zos-auth-jwt.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  form: URLSearchParams;
  /** Subject of the TLS client certificate, when one was presented. */
  clientCertificateSubject?: string;
}

export interface AuthorizationServerOptions {
  /** Public key (or certificate's key) that signs private_key_jwt assertions and JWT bearer grants. */
  signingKey: KeyObject;
  /** Extra JWT-bearer issuers: iss → verification key. */
  trustedIssuers?: Record<string, KeyObject>;
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
  accessTokenTtlSeconds?: number;
  port?: number;
  users?: SandboxUser[];
  /** Answer every request with `Connection: close`, so each request opens a new connection. */
  closeConnections?: boolean;
  /** Lifetime of the authentication server's JWTs. */
  authJwtTtlSeconds?: number;
  /** private_key_jwt clients whose keys oidc-provider fetches from a JWKS URL (Tokensmith's). */
  jwksUriClients?: Array<{ clientId: string; jwksUri: string }>;
  /** More clients beside the demo ones (a test's own secret, say). */
  extraClients?: ClientMetadata[];
}

export {
  SANDBOX_SECRET,
  SANDBOX_USER,
  JWT_BEARER_GRANT,
  JWT_BEARER_ISSUER,
  demoClients,
  type SandboxUser,
} from './demo-clients.js';
export {
  API_GATEWAY_AUDIENCE,
  API_GATEWAY_API_PATH,
  API_GATEWAY_JWKS_PATH,
  API_GATEWAY_TOKEN_PATH,
} from './api-gateway.js';
export {
  COMBINED_API_PATH,
  AUTH_JWT_HEADER_PATH,
  AUTH_JWT_BODY_PATH,
  AUTH_JWT_REQUEST_HEADER,
  AUTH_JWT_RESPONSE_HEADER,
  AUTH_JWT_API_HEADER,
} from './zos-auth-jwt.js';
export const PROTECTED_API_PATH = '/api/whoami';
export const PLAIN_401_API_PATH = '/api/whoami-plain';

export interface AuthorizationServer {
  issuer: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  port: number;
  provider: Provider;
  received: ReceivedRequest[];
  /** The demo protected API. */
  apiUrl: string;
  /** The JWT authentication server's header and body variants, and the API that wants both tokens. */
  authJwtHeaderUrl: string;
  authJwtBodyUrl: string;
  combinedApiUrl: string;
  /** API Gateway's JWT (seed 003): its issuer, JWT URL, JWKS and an API that wants its JWTs. */
  apiGateway: { issuer: string; tokenUrl: string; jwksUrl: string; apiUrl: string };
  /** Requests to the token endpoint only. */
  tokenRequests(): ReceivedRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<AuthorizationServer> {
  const users = options.users ?? [SANDBOX_USER];
  const received: ReceivedRequest[] = [];
  // Set once the listener is up: the issuer URL needs the port first.
  const app: {
    callback?: (req: IncomingMessage, res: ServerResponse) => void;
    routes?: Array<(req: IncomingMessage, res: ServerResponse, body: string) => Promise<boolean>>;
  } = {};

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    // Read and record the raw body; oidc-provider then uses the already-read body (req.body).
    const body = await readBody(req);
    const socket = req.socket as TLSSocket;
    const peer =
      typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    received.push({
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      headers: { ...req.headers },
      body,
      form: new URLSearchParams(body),
      ...(peer && peer.subject ? { clientCertificateSubject: String(peer.subject.CN ?? '') } : {}),
    });
    (req as IncomingMessage & { body?: string }).body = body;
    if (options.closeConnections) res.setHeader('connection', 'close');
    if (req.url?.startsWith(PROTECTED_API_PATH)) {
      await protectedApi(req, res);
      return;
    }
    for (const route of app.routes ?? []) if (await route(req, res, body)) return;
    app.callback?.(req, res);
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false,
        },
        (req, res) => void handler(req, res),
      )
    : createHttpServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const trusted: Record<string, KeyObject> = {
    [JWT_BEARER_ISSUER]: createPublicKey(options.signingKey),
    ...Object.fromEntries(
      Object.entries(options.trustedIssuers ?? {}).map(([iss, key]) => [iss, createPublicKey(key)]),
    ),
  };

  const provider = new Provider(issuer, {
    clients: [
      ...(await demoClients(options.signingKey)),
      ...(options.extraClients ?? []),
      ...(options.jwksUriClients ?? []).map(({ clientId, jwksUri }): ClientMetadata => ({
        client_id: clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: jwksUri,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    cookies: { keys: ['tokensmith-sandbox-cookie-key'] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      ClientCredentials: options.accessTokenTtlSeconds ?? 3600,
      RefreshToken: 14 * 24 * 3600,
      IdToken: 3600,
      Grant: 14 * 24 * 3600,
      Session: 24 * 3600,
      Interaction: 3600,
      AuthorizationCode: 60,
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          scope: 'api:read api:write',
          audience: resourceIndicator,
          accessTokenTTL: options.accessTokenTtlSeconds ?? 3600,
          accessTokenFormat: 'jwt',
        }),
      },
    },
    pkce: { required: () => false },
    // oidc-provider refuses to fetch from loopback addresses (SSRF protection). The sandbox runs
    // beside Tokensmith on 127.0.0.1 and must fetch its JWKS (jwksUriClients), so the plain
    // dispatcher is used. A production provider keeps the protection.
    fetch: (url, init) => globalThis.fetch(url, { ...init, dispatcher: undefined } as RequestInit),
    clientAuthMethods: [
      'none',
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
    ],
    enabledJWA: {
      clientAuthSigningAlgValues: ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'],
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub, email: `${sub}@sandbox.test` }),
    }),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>${out.error}</h1><p>${out.error_description ?? ''}</p>`;
    },
  });

  registerSandboxGrants(provider, { issuer, users, trusted });

  /**
   * The demo protected API: who the bearer token stands for, or 401 with error="invalid_token".
   * Under PLAIN_401_API_PATH it answers a bad token with a bare 401, as some APIs do.
   */
  async function protectedApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const saysInvalidToken = !req.url?.startsWith(PLAIN_401_API_PATH);
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const found = token
      ? ((await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token)))
      : undefined;
    if (!found || found.isExpired) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate':
          token && saysInvalidToken
            ? 'Bearer realm="sandbox", error="invalid_token", error_description="The access token is expired or unknown"'
            : 'Bearer realm="sandbox"',
      });
      res.end(JSON.stringify({ error: token ? 'invalid_token' : 'unauthorized' }));
      return;
    }
    const record = found as unknown as {
      accountId?: string;
      clientId: string;
      scope?: string;
      exp?: number;
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        sub: record.accountId ?? null,
        client_id: record.clientId,
        scope: record.scope ?? '',
        exp: record.exp,
        method: req.method,
      }),
    );
  }

  const findAccessToken = async (token: string) => {
    const found =
      (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
    return found && !found.isExpired
      ? (found as unknown as { accountId?: string; clientId: string })
      : undefined;
  };
  const gateway = await apiGateway({ base: issuer, users });
  app.routes = [
    zosAuthJwt({ issuer, users, findAccessToken, ttlSeconds: options.authJwtTtlSeconds ?? 900 }),
    (req, res, body) => gateway.handle(req, res, body),
  ];
  app.callback = provider.callback();
  return {
    issuer,
    port,
    provider,
    tokenEndpoint: `${issuer}/token`,
    authorizationEndpoint: `${issuer}/auth`,
    apiUrl: `${issuer}${PROTECTED_API_PATH}`,
    authJwtHeaderUrl: `${issuer}${AUTH_JWT_HEADER_PATH}`,
    authJwtBodyUrl: `${issuer}${AUTH_JWT_BODY_PATH}`,
    combinedApiUrl: `${issuer}${COMBINED_API_PATH}`,
    apiGateway: {
      issuer: gateway.issuer,
      tokenUrl: gateway.tokenUrl,
      jwksUrl: gateway.jwksUrl,
      apiUrl: gateway.apiUrl,
    },
    received,
    tokenRequests: () => received.filter((r) => r.path === '/token'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
