/** `npm run sandbox [-- --port N] [-- --data-dir DIR]`: runs the sandbox until Ctrl+C. */
import { parseArgs } from 'node:util';
import { defaultDataDir, toErrorData } from '../electron/core/index.js';
import { startSandbox } from './sandbox.js';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
});
const dataDir = values['data-dir'] ?? defaultDataDir();
const port = values.port === undefined ? 9400 : Number(values.port);

try {
  const sandbox = await startSandbox({ dataDir, port });
  const width = Math.max(...sandbox.connections.map((c) => c.name.length));
  const lines = [
    `Tokensmith sandbox authorization server (oidc-provider) at ${sandbox.server.issuer}`,
    `  discovery:     ${sandbox.server.issuer}/.well-known/openid-configuration`,
    `  protected API: ${sandbox.server.apiUrl}`,
    `  demo keystore: ${sandbox.keystorePath} (stored as "sandbox-demo")`,
    '',
    `Saved ${sandbox.connections.length} connections in ${dataDir}:`,
    ...sandbox.connections.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`),
    '',
    'Try, in another terminal:',
    '  npx tokensmith token sandbox-client-credentials',
    '  npx tokensmith token sandbox-authorization-code      (sign in with any user name)',
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
    `sandbox: ${inUse ? `port ${port} is in use: stop the other sandbox or run \`npm run sandbox -- --port 9401\`` : error.message}\n`,
  );
  process.exit(1);
}
