/**
 * The sandbox: a real authorization server on loopback with a demo signing keystore and a demo
 * protected API, and a connection of every type saved in the store, so that a new user can get
 * a token at once (`npm run sandbox`, then `npx tokensmith token sandbox-client-credentials`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
import { startAuthorizationServer, type AuthorizationServer } from './authorization-server.js';
import {
  SANDBOX_BUILDER,
  SANDBOX_JWK_CLIENT,
  SANDBOX_KEYSTORE,
  sandboxConnections,
} from './connections.js';
import {
  TLS_CLIENT_KEYSTORE,
  TLS_CLIENT_PASSPHRASE,
  TLS_TRUSTSTORE,
  sandboxTls,
} from './sandbox-tls.js';

export { SANDBOX_BUILDER, SANDBOX_JWK_CLIENT, SANDBOX_KEYSTORE, sandboxConnections };
const KEYSTORE_PASSPHRASE = 'sandbox-demo-passphrase';

export interface Sandbox {
  server: AuthorizationServer;
  /** The same provider setup behind TLS that asks for a client certificate. */
  tlsServer: AuthorizationServer;
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

export interface SandboxOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string | undefined>;
  /** The JWKS port to record in the data folder's settings (default: what they say, 9480). */
  jwkPort?: number;
  /** The TLS listener for certificate-bound tokens (RFC 8705); default 9443, 0 for any. */
  tlsPort?: number;
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
  const tls = await sandboxTls(options.dataDir);
  const tlsServer = await startAuthorizationServer({
    signingKey,
    // An ephemeral main port (tests) makes the TLS port ephemeral too.
    port: options.tlsPort ?? (options.port === 0 ? 0 : 9443),
    tls: { key: tls.serverKey, cert: tls.serverCert, ca: tls.clientCert, requestCert: true },
  }).catch(async (e: unknown) => {
    await server.close();
    throw e;
  });
  const connections = sandboxConnections(server, tlsServer);
  await workspace.store.update((doc) => {
    // The app and browser mode serve the generated keys the sandbox fetches.
    doc.settings.jwkServerEnabled = true;
    const names = new Set(connections.map((c) => c.name));
    doc.connections = [
      ...doc.connections.filter((c) => !names.has(c.name)),
      ...connections.map(({ description, ...c }) => connectionSchema.parse({ ...c, description })),
    ];
    const ours = new Set([SANDBOX_KEYSTORE, TLS_CLIENT_KEYSTORE, TLS_TRUSTSTORE]);
    doc.keystores = [
      ...doc.keystores.filter((k) => !ours.has(k.name)),
      keystoreEntry.parse({
        name: SANDBOX_KEYSTORE,
        kind: 'pem',
        path: keystore.path,
        password: KEYSTORE_PASSPHRASE,
      }),
      keystoreEntry.parse({
        name: TLS_CLIENT_KEYSTORE,
        kind: 'pem',
        path: tls.clientKeystorePath,
        password: TLS_CLIENT_PASSPHRASE,
      }),
      keystoreEntry.parse({
        name: TLS_TRUSTSTORE,
        purpose: 'truststore',
        kind: 'pem',
        path: tls.truststorePath,
      }),
    ];
  });
  await ensureStoredSigningKeys(workspace.store);
  // Tokens of an earlier sandbox run belong to a server that no longer knows them.
  workspace.cache.clear();
  await workspace.saveCache();
  return {
    server,
    tlsServer,
    workspace,
    keystorePath: keystore.path,
    connections: connections.map((c) => ({ name: c.name, description: c.description })),
    close: async () => {
      await Promise.all([server.close(), tlsServer.close()]);
    },
  };
}
