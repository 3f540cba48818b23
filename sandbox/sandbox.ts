/**
 * The sandbox: a real authorization server on loopback with a demo signing keystore and a demo
 * protected API, and a connection of every type saved in the store, so that a new user can get
 * a token at once (`npm run sandbox`, then `npx tokensmith token sandbox-client-credentials`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionInput } from '../shared/connection.js';
import { connectionSchema } from '../shared/connection.js';
import { keystoreEntry } from '../shared/resources.js';
import {
  builderJwksUrl,
  ensureStoredSigningKeys,
  entryToPem,
  generateKeyPair,
  loadKeystore,
  openWorkspace,
  requirePrivateKey,
  type Workspace,
} from '../electron/core/index.js';
import {
  startAuthorizationServer,
  JWT_BEARER_ISSUER,
  SANDBOX_SECRET,
  SANDBOX_USER,
  AUTH_JWT_API_HEADER,
  AUTH_JWT_REQUEST_HEADER,
  AUTH_JWT_RESPONSE_HEADER,
  type AuthorizationServer,
} from './authorization-server.js';

export const SANDBOX_KEYSTORE = 'sandbox-demo';
const KEYSTORE_PASSPHRASE = 'sandbox-demo-passphrase';

export interface Sandbox {
  server: AuthorizationServer;
  workspace: Workspace;
  connections: Array<{ name: string; description: string }>;
  keystorePath: string;
  close(): Promise<void>;
}

async function demoKeystore(dir: string): Promise<{ path: string; pem: Buffer }> {
  const path = join(dir, 'sandbox', 'demo-signing.pem');
  try {
    return { path, pem: await readFile(path) };
  } catch {
    await mkdir(join(dir, 'sandbox'), { recursive: true, mode: 0o700 });
    const entry = await generateKeyPair({
      algorithm: 'RSA-2048',
      subject: 'CN=tokensmith-sandbox-signing, O=Tokensmith Sandbox',
      validityDays: 825,
    });
    const pem = Buffer.from(entryToPem(entry, KEYSTORE_PASSPHRASE));
    await writeFile(path, pem, { mode: 0o600 });
    return { path, pem };
  }
}

export const SANDBOX_BUILDER = 'sandbox-builder';
export const SANDBOX_JWK_CLIENT = 'zos-jwk';

export function sandboxConnections(server: {
  issuer: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  authJwtHeaderUrl: string;
  combinedApiUrl: string;
  apiUrl: string;
  apiGateway: { tokenUrl: string; apiUrl: string };
}): Array<ConnectionInput & { description: string }> {
  const base = { issuer: server.issuer, tokenEndpoint: server.tokenEndpoint };
  const signing = { signing: { keystore: SANDBOX_KEYSTORE, alias: 'key' } };
  const id = (name: string) => name;
  return [
    {
      ...base,
      id: id('sandbox-client-credentials'),
      name: 'sandbox-client-credentials',
      type: 'client_credentials',
      description: 'Client credentials, basic client authentication',
      client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      params: { scope: 'api:read' },
    },
    {
      ...base,
      id: id('sandbox-client-secret-post'),
      name: 'sandbox-client-secret-post',
      type: 'client_credentials',
      description: 'Client credentials, ID and secret in the body',
      client: { id: 'cc-post', secret: SANDBOX_SECRET, authMethod: 'client_secret_post' },
      params: { scope: 'api:read' },
    },
    {
      ...base,
      id: id('sandbox-private-key-jwt'),
      name: 'sandbox-private-key-jwt',
      type: 'client_credentials',
      description: 'Client credentials, private_key_jwt signed by the demo keystore',
      client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
      params: { scope: 'api:read' },
      jwt: { ...signing, header: { includeKid: true } },
    },
    {
      ...base,
      id: id('sandbox-password'),
      name: 'sandbox-password',
      type: 'password',
      description: `Resource owner password grant as ${SANDBOX_USER.username} (password: see the README)`,
      client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
      username: SANDBOX_USER.username,
      password: SANDBOX_USER.password,
      params: { scope: 'openid offline_access api:read' },
    },
    {
      ...base,
      id: id('sandbox-jwt-bearer'),
      name: 'sandbox-jwt-bearer',
      type: 'jwt_bearer',
      description: 'JWT bearer grant (RFC 7523), assertion signed by the demo keystore',
      client: { id: 'jwt-bearer' },
      params: { scope: 'api:read' },
      jwt: { ...signing, claims: { issuer: JWT_BEARER_ISSUER, subject: SANDBOX_USER.username } },
    },
    {
      ...base,
      id: id('sandbox-client-assertion'),
      name: 'sandbox-client-assertion',
      type: 'jwt_client_assertion',
      description: 'JWT client assertion flow (x5t header), Generate JWT Token then Submit Request',
      client: { id: 'cc-private-key-jwt' },
      params: { scope: 'api:read' },
      jwt: { ...signing, header: { includeKid: true } },
    },
    {
      ...base,
      id: id('sandbox-authorization-code'),
      name: 'sandbox-authorization-code',
      type: 'authorization_code',
      description: 'Authorization code + PKCE, loopback redirect (sign in with any user name)',
      authorizationEndpoint: server.authorizationEndpoint,
      client: { id: 'native-app' },
      params: {
        scope: 'openid offline_access api:read',
        authorizationParams: [{ name: 'prompt', value: 'consent' }],
      },
    },
    {
      ...base,
      id: id('sandbox-zos-combined'),
      name: 'sandbox-zos-combined',
      type: 'password',
      description:
        'z/OS Connect: OAuth password grant + JWT from an authentication server in JWT-header-name',
      client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
      username: SANDBOX_USER.username,
      password: SANDBOX_USER.password,
      params: { scope: 'api:read' },
      api: { baseUrl: server.combinedApiUrl },
      authToken: {
        enabled: true,
        tokenEndpoint: server.authJwtHeaderUrl,
        requestMethod: 'GET',
        username: SANDBOX_USER.username,
        password: SANDBOX_USER.password,
        credentialLocation: 'header',
        requestHeader: AUTH_JWT_REQUEST_HEADER,
        tokenLocation: 'header',
        responseHeader: AUTH_JWT_RESPONSE_HEADER,
        header: AUTH_JWT_API_HEADER,
      },
    },
    {
      ...base,
      id: id('sandbox-zos-jwk'),
      name: 'sandbox-zos-jwk',
      type: 'client_credentials',
      description:
        "z/OS Connect jwkEnabled: private_key_jwt with a generated key the sandbox fetches from Tokensmith's JWKS",
      client: { id: SANDBOX_JWK_CLIENT, authMethod: 'private_key_jwt' },
      params: { scope: 'api:read' },
      api: { baseUrl: server.apiUrl },
      jwt: {
        signing: { jwkEnabled: true, builderId: SANDBOX_BUILDER },
        // oidc-provider wants iss = client_id (RFC 7523 §3), not the builder's default issuer.
        claims: { issuer: SANDBOX_JWK_CLIENT },
      },
    },
    {
      id: id('sandbox-api-gateway-jwt'),
      name: 'sandbox-api-gateway-jwt',
      type: 'jwt',
      description: `API Gateway JWT: getJsonWebToken with ${SANDBOX_USER.username}'s Basic credentials, sent as Authorization: Bearer`,
      tokenEndpoint: server.apiGateway.tokenUrl,
      jwtIssuer: { username: SANDBOX_USER.username, password: SANDBOX_USER.password },
      api: { baseUrl: server.apiGateway.apiUrl },
    },
  ];
}

export interface SandboxOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string | undefined>;
  /** The JWKS port to record in the data folder's settings (default: what they say, 9480). */
  jwkPort?: number;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const keystore = await demoKeystore(options.dataDir);
  const loaded = loadKeystore({
    kind: 'pem',
    data: keystore.pem,
    password: KEYSTORE_PASSPHRASE,
    label: 'the sandbox keystore',
  });
  const signingKey = requirePrivateKey(loaded.entries[0]!, 'the sandbox keystore');
  const workspace = await openWorkspace(options.dataDir, options.env ?? process.env);
  if (options.jwkPort !== undefined) {
    const jwkPort = options.jwkPort;
    await workspace.store.update((doc) => {
      doc.settings.jwkServerPort = jwkPort;
    });
  }
  const { jwkServerPort } = (await workspace.store.read()).settings;
  const server = await startAuthorizationServer({
    signingKey,
    port: options.port ?? 9400,
    jwksUriClients: [
      {
        clientId: SANDBOX_JWK_CLIENT,
        jwksUri: builderJwksUrl(`http://127.0.0.1:${jwkServerPort}`, SANDBOX_BUILDER),
      },
    ],
  });
  const connections = sandboxConnections(server);
  await workspace.store.update((doc) => {
    // The app and browser mode serve the generated keys the sandbox fetches.
    doc.settings.jwkServerEnabled = true;
    const names = new Set(connections.map((c) => c.name));
    doc.connections = [
      ...doc.connections.filter((c) => !names.has(c.name)),
      ...connections.map(({ description, ...c }) => connectionSchema.parse({ ...c, description })),
    ];
    doc.keystores = [
      ...doc.keystores.filter((k) => k.name !== SANDBOX_KEYSTORE),
      keystoreEntry.parse({
        name: SANDBOX_KEYSTORE,
        kind: 'pem',
        path: keystore.path,
        password: KEYSTORE_PASSPHRASE,
      }),
    ];
  });
  await ensureStoredSigningKeys(workspace.store);
  // Tokens of an earlier sandbox run belong to a server that no longer knows them.
  workspace.cache.clear();
  await workspace.saveCache();
  return {
    server,
    workspace,
    keystorePath: keystore.path,
    connections: connections.map((c) => ({ name: c.name, description: c.description })),
    close: () => server.close(),
  };
}
