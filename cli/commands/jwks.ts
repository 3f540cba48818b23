import {
  builderJwksUrl,
  jwksProvider,
  publishingBuilders,
  startJwkServer,
} from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { UsageError, withSession } from '../io.js';

const usage = `Usage: tokensmith jwks serve [--port N]

Serves every builder's keys (generated, or the public key of its keystore alias) at
http://127.0.0.1:{port}/jwt/ibm/api/{builderId}/jwk until Ctrl+C (default port: the Settings' JWKS port, 9480). Loopback only.`;

export const jwks: Command = {
  usage,
  options: { port: { type: 'string' } },
  async run(input) {
    if (input.args[0] !== 'serve') throw new UsageError(usage);
    const { io, signal } = input;
    await withSession(input, async (session) => {
      const doc = await session.workspace.store.read();
      const given = input.values.port;
      const port = given !== undefined ? Number(given) : doc.settings.jwkServerPort;
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new UsageError(`--port must be 1 to 65535, not "${String(given)}".`);
      const server = await startJwkServer(port, jwksProvider(session));
      const builders = publishingBuilders(doc).map(
        (id) => `  ${builderJwksUrl(server.baseUrl, id)}`,
      );
      io.err(
        `Serving JWKS on ${server.baseUrl} (Ctrl+C stops)${builders.length ? `:\n${builders.join('\n')}` : '; no builder has keys yet.'}`,
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
    });
  },
};
