/**
 * Token Exchange (RFC 8693 §2.1): the subject token (and an actor token, if any) — another
 * connection's current token, obtained, cached or refreshed as that connection does (through
 * `FlowContext.tokenOf`), or a pasted one — exchanged at the token endpoint with the connection's
 * client authentication. The result carries `issued_token_type` (§2.2.1) and the chain of hops
 * with the claims each token states.
 */
import { decodeJwt } from 'jose';
import { TOKEN_EXCHANGE_GRANT, type TokenExchangeConnection } from '../../../shared/connection.js';
import type { TokenChainHop, TokenResult } from '../../../shared/token-result.js';
import { OAuthError, TokensmithError } from '../errors.js';
import type { FlowContext } from '../oauth/flow-context.js';
import { prepareTokenRequest, type FormParams } from '../oauth/token-request.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';

type C = TokenExchangeConnection;
type Role = 'subject' | 'actor';

export interface ExchangeInput {
  subjectToken: string;
  actorToken?: string;
}

/** Placeholders of an exported exchange: the user sets them (the preamble says how). */
export const EXPORTED_SUBJECT_TOKEN = '\u0000var:SUBJECT_TOKEN\u0000';
export const EXPORTED_ACTOR_TOKEN = '\u0000var:ACTOR_TOKEN\u0000';

/** A JWT's claims, or nothing for an opaque token. */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

interface Obtained {
  token: string;
  hops: TokenChainHop[];
}

/** The subject or actor token, and the hops that led to it. */
async function tokenFor(conn: C, role: Role, ctx: FlowContext): Promise<Obtained> {
  const source = role === 'subject' ? conn.subjectToken : conn.actorToken;
  const field = `${role}Token`;
  const label = role === 'subject' ? 'Subject token' : 'Actor token';
  if (source.source === 'value') {
    if (!source.value)
      throw new TokensmithError('invalid_input', `Enter the ${label.toLowerCase()} to exchange.`, {
        field: `${field}.value`,
      });
    const claims = claimsOf(source.value);
    return {
      token: source.value,
      hops: [
        { role, tokenType: source.tokenType, source: 'pasted', ...(claims ? { claims } : {}) },
      ],
    };
  }
  const name = source.connection;
  if (!name)
    throw new TokensmithError(
      'invalid_input',
      `Choose the connection whose token is the ${label.toLowerCase()}.`,
      {
        field: `${field}.connection`,
      },
    );
  if (name === conn.name)
    throw new TokensmithError(
      'invalid_input',
      `The ${label.toLowerCase()} cannot come from "${name}" itself.`,
      {
        field: `${field}.connection`,
      },
    );
  if (!ctx.tokenOf)
    throw new TokensmithError(
      'unsupported',
      `A chained ${label.toLowerCase()} needs the saved connections: run it from the app or the CLI.`,
    );
  const got = await ctx.tokenOf(name);
  const token = got.result.token;
  const claims = claimsOf(token);
  // An upstream exchange brings its own chain; its last hop is the token used here.
  const upstream = got.result.chain?.slice(0, -1) ?? [];
  return {
    token,
    hops: [
      ...upstream,
      {
        connection: name,
        role,
        tokenType: source.tokenType,
        source: got.source,
        ...(claims ? { claims } : {}),
      },
    ],
  };
}

/** §2.1 parameters, then the connection's scope, resource, audience and custom parameters. */
function grantForm(conn: C, input: ExchangeInput): FormParams {
  const form: FormParams = [
    ['grant_type', TOKEN_EXCHANGE_GRANT],
    ['subject_token', input.subjectToken],
    ['subject_token_type', conn.subjectToken.tokenType],
  ];
  if (input.actorToken !== undefined)
    form.push(['actor_token', input.actorToken], ['actor_token_type', conn.actorToken.tokenType]);
  if (conn.requestedTokenType) form.push(['requested_token_type', conn.requestedTokenType]);
  return form;
}

function refused(e: unknown): unknown {
  if (e instanceof OAuthError)
    e.message = `The authorization server refused the token exchange: ${e.error}${e.errorDescription ? ` (${e.errorDescription})` : ''}.`;
  return e;
}

export const tokenExchange: Grant<C, ExchangeInput> = {
  prepare: (resolved, input) =>
    prepareTokenRequest(resolved, grantForm(resolved.conn, input), 'token'),
  async run(resolved, ctx) {
    const { conn } = resolved;
    const subject = await tokenFor(conn, 'subject', ctx);
    const actor =
      conn.actorToken.source === 'none' ? undefined : await tokenFor(conn, 'actor', ctx);
    resolved.secrets.push(subject.token, ...(actor ? [actor.token] : []));
    ctx.onProgress?.({
      step: 'token_request',
      message: `Exchanging the subject token at ${conn.tokenEndpoint}`,
    });
    let result: TokenResult;
    try {
      result = await runPrepared(
        resolved,
        tokenExchange.prepare(resolved, {
          subjectToken: subject.token,
          ...(actor ? { actorToken: actor.token } : {}),
        }),
        ctx,
      );
    } catch (e) {
      throw refused(e);
    }
    const issued =
      typeof result.fields.issued_token_type === 'string'
        ? result.fields.issued_token_type
        : undefined;
    const claims = claimsOf(result.token);
    return {
      ...result,
      ...(issued ? { issuedTokenType: issued } : {}),
      warnings: issued
        ? result.warnings
        : [
            ...result.warnings,
            'The response has no issued_token_type (RFC 8693 §2.2.1 requires it).',
          ],
      chain: [
        ...subject.hops,
        ...(actor?.hops ?? []),
        {
          connection: conn.name,
          role: 'issued',
          ...(issued ? { tokenType: issued } : {}),
          source: 'network',
          ...(claims ? { claims } : {}),
        },
      ],
    };
  },
  exportInput: (resolved) => ({
    subjectToken:
      resolved.conn.subjectToken.source === 'value'
        ? resolved.conn.subjectToken.value
        : EXPORTED_SUBJECT_TOKEN,
    ...(resolved.conn.actorToken.source === 'none'
      ? {}
      : {
          actorToken:
            resolved.conn.actorToken.source === 'value'
              ? resolved.conn.actorToken.value
              : EXPORTED_ACTOR_TOKEN,
        }),
  }),
  // The chained tokens filled in: two subjects (or two tokens of one) never share a cached token.
  async keyed(conn, ctx) {
    const fill = async (role: Role) => {
      const source = role === 'subject' ? conn.subjectToken : conn.actorToken;
      return source.source === 'connection'
        ? { ...source, value: (await tokenFor(conn, role, ctx)).token }
        : source;
    };
    return { ...conn, subjectToken: await fill('subject'), actorToken: await fill('actor') } as C;
  },
};
