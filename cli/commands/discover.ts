import { connectionByName, discoverEndpoints } from '../../electron/core/index.js';
import { connectionSchema } from '../../shared/connection.js';
import type { Command } from '../command.js';
import { need, withSession } from '../io.js';

const usage = `Usage: tokensmith discover <issuer URL | connection> [--json]

Reads the issuer's OpenID Connect / RFC 8414 metadata and prints its endpoints, with the same
warnings as the app's Discover: a connection's client authentication, algorithm or grant that
the server does not advertise. Given a URL, it checks a client-credentials connection with
default settings against it.`;

export const discover: Command = {
  usage,
  async run(input) {
    need(input, 1, 'the issuer or a connection', usage);
    const target = input.args[0] as string;
    const { io } = input;
    const found = await withSession(input, async (session) => {
      const conn = URL.canParse(target)
        ? connectionSchema.parse({
            id: 'discover',
            name: 'discover',
            type: 'client_credentials',
            issuer: target,
          })
        : connectionByName(await session.workspace.store.read(), target);
      return discoverEndpoints(session, conn);
    });
    if (input.json) {
      io.out(JSON.stringify(found, null, 2));
      return;
    }
    io.out(`metadata               ${found.metadataUrl}`);
    if (found.tokenEndpoint) io.out(`token endpoint         ${found.tokenEndpoint}`);
    if (found.authorizationEndpoint)
      io.out(`authorization endpoint ${found.authorizationEndpoint}`);
    const list = (key: string) => {
      const v = found.metadata[key];
      return Array.isArray(v) ? v.join(', ') : '';
    };
    for (const [label, key] of [
      ['grant types', 'grant_types_supported'],
      ['client auth methods', 'token_endpoint_auth_methods_supported'],
      ['scopes', 'scopes_supported'],
    ] as const)
      if (list(key)) io.out(`${label.padEnd(23)}${list(key)}`);
    for (const w of found.warnings) io.err(`warning: ${w}`);
  },
};
