/**
 * A real OpenID provider (oidc-provider) on loopback with a client for every connection type and
 * client-authentication variant. The tests use it, and so does `npm run sandbox`.
 *
 * Beside oidc-provider's own grants and features (device flow, DPoP with nonces, PAR,
 * introspection, revocation, certificate-bound tokens over TLS): the resource owner password
 * grant, the JWT bearer grant (RFC 7523 §2.1) and token exchange (RFC 8693), registered on the
 * provider; the protected APIs (`./resource-server.ts`) and the z/OS JWT authentication server.
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
import {
  X509Certificate,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { apiGateway } from './api-gateway.js';
import { authJwtServer } from './auth-jwt-server.js';
import {
  AUTH_JWT_BODY_PATH,
  AUTH_JWT_HEADER_PATH,
  COMBINED_API_PATH,
  DPOP_NONCE_API_PATH,
  JWT_BEARER_ISSUER,
  PROTECTED_API_PATH,
  SANDBOX_SCOPES,
  SANDBOX_USER,
} from './constants.js';
import { registerJwtBearerGrant, registerPasswordGrant, type GrantUser } from './custom-grants.js';
import { DPOP_NONCE_CLIENT, demoClients } from './demo-clients.js';
import { DevicePolling, advertiseInterval, deviceFlowFeature } from './device-flow.js';
import { resourceServer } from './resource-server.js';
import { registerTokenExchange } from './token-exchange.js';

export * from './constants.js';
export * from './demo-clients.js';
export {
  API_GATEWAY_AUDIENCE,
  API_GATEWAY_API_PATH,
  API_GATEWAY_JWKS_PATH,
  API_GATEWAY_TOKEN_PATH,
} from './api-gateway.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  form: URLSearchParams;
  /** Subject of the TLS client certificate, when one was presented. */
  clientCertificateSubject?: string;
}

export type SandboxUser = GrantUser;

export interface AuthorizationServerOptions {
  /** Public key (or certificate's key) that signs private_key_jwt assertions and JWT bearer grants. */
  signingKey: KeyObject;
  /** Extra JWT-bearer issuers: iss → verification key (a private key's public half, or a public key). */
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
  /** RFC 8628: the polling interval advertised (default 5 s) and the device codes' lifetime. */
  deviceIntervalSeconds?: number;
  deviceCodeTtlSeconds?: number;
  /** RFC 9126 §5: every client must push its authorization requests (discovery says so). */
  requirePushedAuthorizationRequests?: boolean;
  /** More clients beside the demo ones (a test's own secret, say). */
  extraClients?: ClientMetadata[];
}

export interface AuthorizationServer {
  issuer: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  port: number;
  provider: Provider;
  received: ReceivedRequest[];
  /** The demo protected API. */
  apiUrl: string;
  /** The protected API that wants a DPoP nonce it issued in every proof. */
  nonceApiUrl: string;
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

/** The certificate of the TLS peer (RFC 8705 §3: what certificate-bound tokens bind to). */
function peerCertificate(socket: unknown): X509Certificate | undefined {
  const tls = socket as TLSSocket;
  const peer = typeof tls.getPeerCertificate === 'function' ? tls.getPeerCertificate() : undefined;
  return peer?.raw ? new X509Certificate(peer.raw) : undefined;
}

export async function startAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<AuthorizationServer> {
  const users = options.users ?? [SANDBOX_USER];
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const received: ReceivedRequest[] = [];
  const polling = new DevicePolling(options.deviceIntervalSeconds ?? 5);
  // Set once the listener is up: the issuer URL needs the port first.
  const routes: {
    oidc?: (req: IncomingMessage, res: ServerResponse) => void;
    api?: ReturnType<typeof resourceServer>;
    authJwt?: ReturnType<typeof authJwtServer>;
    gateway?: Awaited<ReturnType<typeof apiGateway>>;
  } = {};

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    // Read and record the raw body; oidc-provider then uses the already-read body (req.body).
    const body = await readBody(req);
    const peer = peerCertificate(req.socket);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const form = new URLSearchParams(body);
    received.push({
      method: req.method ?? '',
      path,
      headers: { ...req.headers },
      body,
      form,
      ...(peer ? { clientCertificateSubject: /CN=([^\n,]+)/.exec(peer.subject)?.[1] ?? '' } : {}),
    });
    (req as IncomingMessage & { body?: string }).body = body;
    if (options.closeConnections) res.setHeader('connection', 'close');
    if (path.startsWith(PROTECTED_API_PATH)) return routes.api?.whoami(req, res);
    if (path.startsWith('/authjwt/')) return routes.authJwt?.handle(req, res, body);
    if (await routes.gateway?.handle(req, res, body)) return;
    if (path.startsWith(COMBINED_API_PATH)) return routes.api?.combined(req, res);
    if (path === '/token' && polling.slowDown(form, res)) return;
    routes.oidc?.(req, res);
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
      // A public key is taken as it is (a key on a PKCS#11 token has no private half here).
      Object.entries(options.trustedIssuers ?? {}).map(([iss, key]) => [
        iss,
        key.type === 'public' ? key : createPublicKey(key),
      ]),
    ),
  };
  // The provider's own signing key (ID tokens, JWT access tokens), known here so the resource
  // server and the token exchange can verify the JWTs it issues.
  const { privateKey: providerKey, publicKey: providerPublicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const providerJwk = await exportJWK(providerKey);

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
    jwks: {
      keys: [
        {
          ...providerJwk,
          kid: await calculateJwkThumbprint(providerJwk, 'sha256'),
          alg: 'RS256',
          use: 'sig',
        },
      ],
    },
    cookies: { keys: ['tokensmith-sandbox-cookie-key'] },
    scopes: SANDBOX_SCOPES,
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      RefreshToken: 14 * 24 * 3600,
      IdToken: 3600,
      Grant: 14 * 24 * 3600,
      Session: 24 * 3600,
      Interaction: 3600,
      AuthorizationCode: 60,
      DeviceCode: options.deviceCodeTtlSeconds ?? 600,
      PushedAuthorizationRequest: 60,
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: deviceFlowFeature,
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: (ctx) => ctx.oidc.client?.clientId === DPOP_NONCE_CLIENT,
      },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: options.requirePushedAuthorizationRequests ?? false,
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        getCertificate: (ctx) => peerCertificate(ctx.socket),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          scope: 'api:read api:write',
          audience: resourceIndicator,
          accessTokenTTL: ttl,
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
      dPoPSigningAlgValues: ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA'],
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Claims a grant set on the token (the token exchange's `act`) stay in it.
    extraTokenClaims: async (_ctx, token) => (token as { extra?: Record<string, unknown> }).extra,
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub, email: `${sub}@sandbox.test` }),
    }),
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>${out.error}</h1><p>${out.error_description ?? ''}</p>`;
    },
  });
  advertiseInterval(provider, polling.intervalSeconds);
  registerPasswordGrant(provider, users);
  registerJwtBearerGrant(provider, trusted);
  registerTokenExchange(provider, providerPublicKey, ttl);

  routes.authJwt = authJwtServer(issuer, users, options.authJwtTtlSeconds ?? 900);
  routes.api = resourceServer({
    provider,
    issuer,
    verifyKey: providerPublicKey,
    authJwt: routes.authJwt,
  });
  const gateway = await apiGateway({ base: issuer, users });
  routes.gateway = gateway;
  routes.oidc = provider.callback();
  return {
    issuer,
    port,
    provider,
    tokenEndpoint: `${issuer}/token`,
    authorizationEndpoint: `${issuer}/auth`,
    apiUrl: `${issuer}${PROTECTED_API_PATH}`,
    nonceApiUrl: `${issuer}${DPOP_NONCE_API_PATH}`,
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
