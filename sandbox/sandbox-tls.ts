/**
 * Key material of the sandbox's TLS listener, made once per data folder: a server certificate
 * for 127.0.0.1 (the truststore `sandbox-tls-ca` trusts it) and a client certificate (the
 * keystore `sandbox-mtls-client`) that certificate-bound tokens (RFC 8705) are bound to.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { entryToPem, generateKeyPair } from '../electron/core/index.js';

export const TLS_CLIENT_KEYSTORE = 'sandbox-mtls-client';
export const TLS_TRUSTSTORE = 'sandbox-tls-ca';
export const TLS_CLIENT_PASSPHRASE = 'sandbox-mtls-passphrase';
/** The server's key is kept encrypted too: no private key lies in the data folder in clear. */
const TLS_SERVER_PASSPHRASE = 'sandbox-tls-server-passphrase';

export interface SandboxTlsFiles {
  /** The server's key (decrypted in memory) and certificate, PEM. */
  serverKey: string;
  serverCert: string;
  /** The client certificate alone (the server trusts it as its own issuer). */
  clientCert: string;
  clientKeystorePath: string;
  truststorePath: string;
}

async function readOrMake(path: string, make: () => Promise<string>): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    const text = await make();
    await writeFile(path, text, { mode: 0o600 });
    return text;
  }
}

const CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/;

export async function sandboxTls(dataDir: string): Promise<SandboxTlsFiles> {
  const dir = join(dataDir, 'sandbox');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const serverPem = await readOrMake(join(dir, 'tls-server.pem'), async () =>
    entryToPem(
      await generateKeyPair({
        algorithm: 'EC-P256',
        subject: 'CN=127.0.0.1, O=Tokensmith Sandbox',
        validityDays: 825,
        subjectAltNames: [{ type: 'ip', value: '127.0.0.1' }],
      }),
      TLS_SERVER_PASSPHRASE,
    ),
  );
  const clientKeystorePath = join(dir, 'tls-client.pem');
  const clientPem = await readOrMake(clientKeystorePath, async () =>
    entryToPem(
      await generateKeyPair({
        algorithm: 'EC-P256',
        subject: 'CN=tokensmith-sandbox-client, O=Tokensmith Sandbox',
        validityDays: 825,
      }),
      TLS_CLIENT_PASSPHRASE,
    ),
  );
  const serverCert = CERT.exec(serverPem)?.[0] ?? '';
  const truststorePath = join(dir, 'tls-ca.pem');
  await writeFile(truststorePath, serverCert, { mode: 0o600 });
  return {
    serverKey: createPrivateKey({
      key: serverPem.replace(CERT, ''),
      passphrase: TLS_SERVER_PASSPHRASE,
    }).export({ type: 'pkcs8', format: 'pem' }) as string,
    serverCert,
    clientCert: CERT.exec(clientPem)?.[0] ?? '',
    clientKeystorePath,
    truststorePath,
  };
}
