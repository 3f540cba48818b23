import {
  connectionByName,
  introspect as introspectUseCase,
  revoke as revokeUseCase,
  type TokenTypeHint,
} from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { EXIT_CODES, need, UsageError, withSession, type CommandInput } from '../io.js';

const HINTS = ['access_token', 'refresh_token'] as const;

function hintOf(input: CommandInput, usage: string): TokenTypeHint {
  const given = input.values['token-type-hint'];
  if (given === undefined) return 'access_token';
  if (typeof given !== 'string' || !(HINTS as readonly string[]).includes(given))
    throw new UsageError(`--token-type-hint is access_token or refresh_token.\n\n${usage}`);
  return given as TokenTypeHint;
}

const options = { 'token-type-hint': { type: 'string' } } as const;

const introspectUsage = `Usage: tokensmith introspect <connection> [--token-type-hint access_token|refresh_token] [--json]

Asks the authorization server about the connection's current (cached) token (RFC 7662), with the
connection's client authentication, at its Introspection Endpoint (or the issuer's
introspection_endpoint). Prints what the server says (active, scope, client_id, sub, exp, cnf…)
as JSON on stdout; exits 0 when the token is active, 5 when the server says it is not.
  --token-type-hint   Which token: access_token (default) or refresh_token`;

export const introspect: Command = {
  usage: introspectUsage,
  options,
  async run(input) {
    need(input, 1, 'the connection name', introspectUsage);
    const hint = hintOf(input, introspectUsage);
    const result = await withSession(input, async (session) =>
      introspectUseCase(
        session,
        connectionByName(await session.workspace.store.read(), input.args[0] as string),
        { signal: input.signal, tokenTypeHint: hint },
      ),
    );
    input.io.out(JSON.stringify(input.json ? result : result.fields, null, 2));
    input.io.err(
      result.active
        ? `The ${hint.replace('_', ' ')} is active.`
        : `The ${hint.replace('_', ' ')} is not active (expired, revoked or unknown to the server).`,
    );
    return result.active ? EXIT_CODES.ok : EXIT_CODES.server;
  },
};

const revokeUsage = `Usage: tokensmith revoke <connection> [--token-type-hint access_token|refresh_token] [--json]

Revokes the connection's current (cached) token (RFC 7009), with the connection's client
authentication, at its Revocation Endpoint (or the issuer's revocation_endpoint), and clears it
from the token cache: the next use gets a new token.
  --token-type-hint   Which token: access_token (default) or refresh_token`;

export const revoke: Command = {
  usage: revokeUsage,
  options,
  async run(input) {
    need(input, 1, 'the connection name', revokeUsage);
    const hint = hintOf(input, revokeUsage);
    const name = input.args[0] as string;
    const result = await withSession(input, async (session) =>
      revokeUseCase(session, connectionByName(await session.workspace.store.read(), name), {
        signal: input.signal,
        tokenTypeHint: hint,
      }),
    );
    if (input.json) input.io.out(JSON.stringify(result, null, 2));
    input.io.err(
      `Revoked the ${hint.replace('_', ' ')} of "${name}"${result.cacheCleared ? '; its cached token was cleared' : ''}.`,
    );
  },
};
