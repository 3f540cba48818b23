/** `npm run sandbox [-- --port N] [-- --tls-port N] [-- --data-dir DIR]`: runs the sandbox until Ctrl+C. */
import { parseArgs } from 'node:util';
import { defaultDataDir, toErrorData } from '../electron/core/index.js';
import { startSandbox } from './sandbox.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'tls-port': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const dataDir = values['data-dir'] ?? defaultDataDir();
const port = values.port === undefined ? 9400 : Number(values.port);
const tlsPort = values['tls-port'] === undefined ? 9443 : Number(values['tls-port']);

try {
  const sandbox = await startSandbox({ dataDir, port, tlsPort });
  const width = Math.max(...sandbox.connections.map((c) => c.name.length));
  const lines = [
    `Tokensmith sandbox authorization server (oidc-provider) at ${sandbox.server.issuer}`,
    `  discovery:     ${sandbox.server.issuer}/.well-known/openid-configuration`,
    `  protected API: ${sandbox.server.apiUrl}`,
    `  device sign-in: ${sandbox.server.issuer}/device`,
    `  TLS listener:  ${sandbox.tlsServer.issuer} (client certificate: keystore "sandbox-mtls-client")`,
    `  demo keystore: ${sandbox.keystorePath} (stored as "sandbox-demo")`,
    '',
    `Saved ${sandbox.connections.length} connections in ${dataDir}:`,
    ...sandbox.connections.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`),
    '',
    'Try, in another terminal:',
    '  npx tokensmith token sandbox-client-credentials',
    '  npx tokensmith token sandbox-authorization-code      (sign in with any user name)',
    '  npx tokensmith token sandbox-device-code             (enter the code at the /device page)',
    '  npx tokensmith token sandbox-token-exchange-chained --json',
    `  npx tokensmith call sandbox-dpop ${sandbox.server.apiUrl}`,
    '  npx tokensmith introspect sandbox-client-credentials',
    `  curl -H "Authorization: Bearer $(npx tokensmith token sandbox-password)" ${sandbox.server.apiUrl}`,
    `  npx tokensmith call sandbox-api-gateway-jwt ${sandbox.server.apiGateway.apiUrl}`,
    '',
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  const error = toErrorData(e);
  const inUse = /EADDRINUSE/.test(String((e as { code?: string }).code ?? error.message));
  process.stderr.write(
    `sandbox: ${inUse ? `port ${port} or ${tlsPort} is in use: stop the other sandbox or run \`npm run sandbox -- --port 9401 --tls-port 9444\`` : error.message}\n`,
  );
  process.exit(1);
}
