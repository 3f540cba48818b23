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
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, jwtVerify, type JWK } from 'jose';
import Provider, { errors, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  form: URLSearchParams;
  /** Subject of the TLS client certificate, when one was presented. */
  clientCertificateSubject?: string;
}

export interface SandboxUser {
  username: string;
  password: string;
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
}

export const SANDBOX_SECRET = 'sandbox-secret-with-enough-entropy-0123456789';
export const SANDBOX_USER: SandboxUser = { username: 'alice', password: 'wonderland' };
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const JWT_BEARER_ISSUER = 'tokensmith-jwt-bearer-client';
export const PROTECTED_API_PATH = '/api/whoami';
/** An API that wants the OAuth access token and the authentication server's JWT (seed 000). */
export const COMBINED_API_PATH = '/api/combined';
/** The JWT authentication server (z/OS `zosconnect_authToken`): credentials and JWT in headers. */
export const AUTH_JWT_HEADER_PATH = '/authjwt/header';
/** The same with the credentials in a JSON body and the JWT at `$.data.jwt` of the answer. */
export const AUTH_JWT_BODY_PATH = '/authjwt/body';
export const AUTH_JWT_REQUEST_HEADER = 'JWTReqAuthorization';
export const AUTH_JWT_RESPONSE_HEADER = 'JWTResAuthorization';
export const AUTH_JWT_API_HEADER = 'JWT-header-name';
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
  /** Requests to the token endpoint only. */
  tokenRequests(): ReceivedRequest[];
  close(): Promise<void>;
}

export async function demoClients(signingKey: KeyObject): Promise<ClientMetadata[]> {
  const publicJwk = await exportJWK(createPublicKey(signingKey));
  // kid = RFC 7638 thumbprint, as Tokensmith's JWKS export and its default `kid` header use.
  const jwk: JWK = {
    ...publicJwk,
    use: 'sig',
    kid: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
  const jwks = { keys: [jwk] };
  const confidential = (
    client_id: string,
    token_endpoint_auth_method: ClientMetadata['token_endpoint_auth_method'],
    grant_types: string[],
  ): ClientMetadata => ({
    client_id,
    client_secret: SANDBOX_SECRET,
    token_endpoint_auth_method,
    grant_types,
    response_types: [],
    redirect_uris: [],
  });
  return [
    confidential('cc-basic', 'client_secret_basic', ['client_credentials']),
    confidential('cc-post', 'client_secret_post', ['client_credentials']),
    confidential('cc-secret-jwt', 'client_secret_jwt', ['client_credentials']),
    {
      client_id: 'cc-private-key-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    confidential('ropc-basic', 'client_secret_basic', ['password', 'refresh_token']),
    confidential('ropc-post', 'client_secret_post', ['password', 'refresh_token']),
    {
      client_id: 'ropc-public',
      token_endpoint_auth_method: 'none',
      grant_types: ['password', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'ropc-private-key-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
      grant_types: ['password', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'jwt-bearer',
      token_endpoint_auth_method: 'none',
      grant_types: [JWT_BEARER_GRANT, 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: 'native-app',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [
        'http://127.0.0.1/callback',
        'http://[::1]/callback',
        'http://localhost/callback',
      ],
    },
    {
      client_id: 'web-app',
      client_secret: SANDBOX_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      application_type: 'native',
    },
  ];
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
  const app: { callback?: (req: IncomingMessage, res: ServerResponse) => void } = {};

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
    if (req.url?.startsWith('/authjwt/')) {
      await authenticationServer(req, res, body);
      return;
    }
    if (req.url?.startsWith(COMBINED_API_PATH)) {
      await combinedApi(req, res);
      return;
    }
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

  async function issueForAccount(ctx: KoaContextWithOIDC, accountId: string, gty: string) {
    const p = provider;
    const client = ctx.oidc.client;
    if (!client) throw new errors.InvalidClient('client not found');
    const requested = String(ctx.oidc.params?.scope ?? '')
      .split(' ')
      .filter(Boolean);
    const allowed = requested.filter((s) =>
      ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'].includes(s),
    );
    const grant = new p.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(['openid', ...allowed].join(' '));
    const grantId = await grant.save();
    const at = new p.AccessToken({
      accountId,
      client,
      grantId,
      scope: allowed.join(' ') || undefined,
      gty,
    });
    const body: Record<string, unknown> = {
      access_token: await at.save(),
      token_type: 'Bearer',
      expires_in: at.expiration,
      scope: at.scope,
    };
    if (client.grantTypeAllowed('refresh_token')) {
      const rt = new p.RefreshToken({
        accountId,
        client,
        grantId,
        scope: ['openid', ...allowed].join(' '),
        gty,
      });
      body.refresh_token = await rt.save();
    }
    ctx.body = body;
  }

  provider.registerGrantType(
    'password',
    async (ctx: KoaContextWithOIDC) => {
      const { username, password } = ctx.oidc.params as { username?: string; password?: string };
      const user = users.find((u) => u.username === username && u.password === password);
      if (!user) throw new errors.InvalidGrant('invalid username or password');
      await issueForAccount(ctx, user.username, 'password');
    },
    ['username', 'password', 'scope'],
  );

  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const assertion = String(ctx.oidc.params?.assertion ?? '');
      const iss = (() => {
        try {
          return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString())
            .iss as string;
        } catch {
          return '';
        }
      })();
      const key = trusted[iss];
      if (!key) throw new errors.InvalidGrant(`unknown assertion issuer ${iss}`);
      let sub: string;
      try {
        const { payload } = await jwtVerify(assertion, key, {
          audience: [`${issuer}/token`, issuer],
          requiredClaims: ['exp', 'sub', 'iat'],
        });
        sub = payload.sub as string;
      } catch (e) {
        throw new errors.InvalidGrant(`assertion rejected: ${(e as Error).message}`);
      }
      await issueForAccount(ctx, sub, 'jwt-bearer');
    },
    ['assertion', 'scope'],
  );

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
      .setExpirationTime(`${options.authJwtTtlSeconds ?? 900}s`)
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
    const found = token
      ? ((await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token)))
      : undefined;
    const header = req.headers[AUTH_JWT_API_HEADER.toLowerCase()];
    const jwt = /^Bearer\s+(.+)$/i.exec(typeof header === 'string' ? header : '')?.[1] ?? '';
    let jwtSub: string | undefined;
    try {
      jwtSub = (await jwtVerify(jwt, authJwtKey, { issuer: authJwtIssuer })).payload.sub;
    } catch {
      jwtSub = undefined;
    }
    if (!found || found.isExpired || !jwtSub) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${!found || found.isExpired ? 'The access token' : `The JWT in ${AUTH_JWT_API_HEADER}`} is missing, expired or unknown"`,
      });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    const record = found as unknown as { accountId?: string; clientId: string };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        sub: record.accountId ?? null,
        client_id: record.clientId,
        jwt_sub: jwtSub,
      }),
    );
  }

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
    received,
    tokenRequests: () => received.filter((r) => r.path === '/token'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
