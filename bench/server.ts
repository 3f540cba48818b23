/**
 * The bench's authorization server in its own process (`dist/bench/server.mjs`, started by
 * run.ts), so that the server's work runs beside the measured client rather than in its event
 * loop: `authorization-server <signing key PEM>` (oidc-provider alone, a token TTL of an hour)
 * or `sandbox <data dir>` (the sandbox and its connections in that data folder). It prints one
 * JSON line with its URLs, answers `{ count: 'token' }` over IPC with the token requests it
 * has received, and exits when its parent goes.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startAuthorizationServer } from '../sandbox/authorization-server.js';
import { startSandbox } from '../sandbox/sandbox.js';
import { freePort } from '../test/support/ports.js';

const [kind, arg] = process.argv.slice(2);
const server =
  kind === 'sandbox'
    ? (
        await startSandbox({
          dataDir: arg as string,
          port: 0,
          tlsPort: 0,
          jwkPort: await freePort(),
        })
      ).server
    : await startAuthorizationServer({
        signingKey: createPrivateKey(readFileSync(arg as string)),
        accessTokenTtlSeconds: 3600,
      });
process.on('message', () => process.send?.({ tokenRequests: server.tokenRequests().length }));
process.on('disconnect', () => process.exit(0));
process.stdout.write(
  JSON.stringify({
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    apiUrl: server.apiUrl,
  }) + '\n',
);
