/**
 * Sends a prepared token request with the connection's network profile and validates the
 * answer. Every outcome carries the masked exchange, so the UI can show what was sent and
 * received — also when it failed.
 */
import type { Connection } from '../../../shared/connection.js';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import type { ExchangeRecord, TokenResult } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import { recordExchange, type HttpResponse } from '../http/http-client.js';
import { checkAssertion } from '../jwt/assertion-check.js';
import type { BuiltJwt, SigningKey } from '../jwt/jwt-builder.js';
import { networkProfileFor } from '../resources.js';
import { nowOf, type FlowContext } from './flow-context.js';
import { checkTokenResponse, maskResponseBody, toTokenResult } from './token-response.js';
import { maskJson } from '../../../shared/masking.js';
import type { PreparedTokenRequest } from './token-request.js';

/** Adds the exchange trace to an error's detail without losing its class. */
export function withExchanges(e: unknown, exchanges: ExchangeRecord[]): unknown {
  if (e instanceof TokensmithError) {
    const detail = e.detail ?? {};
    (e as { detail: Record<string, unknown> }).detail = { ...detail, exchanges };
  }
  return e;
}

export async function callTokenEndpoint(
  conn: Connection,
  prepared: PreparedTokenRequest,
  ctx: FlowContext,
  label: 'token' | 'refresh' = 'token',
): Promise<TokenResult> {
  const profile = await networkProfileFor(conn, ctx.resources, nowOf(ctx));
  ctx.onProgress?.({
    step: label === 'refresh' ? 'refresh' : 'token_request',
    message: `POST ${conn.tokenEndpoint}`,
  });
  let res: HttpResponse | undefined;
  try {
    res = await ctx.http.send(prepared.request, profile, ctx.signal);
    const body = checkTokenResponse(res, conn.tokenEndpoint);
    const result = toTokenResult(body, conn.tokenPath, nowOf(ctx));
    return {
      ...result,
      // The body is parsed already: mask that rather than parsing the text again.
      exchanges: [
        recordExchange(label, prepared.request, res, () => JSON.stringify(maskJson(body), null, 2)),
      ],
    };
  } catch (e) {
    const error = e instanceof TokensmithError ? e : undefined;
    throw withExchanges(e, [recordExchange(label, prepared.request, res, maskResponseBody, error)]);
  }
}

/** The pre-send check of an assertion signed with a keystore key (or a secret). */
export async function checkBuiltAssertion(
  conn: Connection,
  built: BuiltJwt,
  key: SigningKey | undefined,
  ctx: FlowContext,
  clientId?: string,
): Promise<AssertionCheck> {
  return checkAssertion(built.jwt, {
    tokenEndpoint: conn.tokenEndpoint,
    ...(conn.issuer ? { issuer: conn.issuer } : {}),
    ...(clientId ? { clientId } : {}),
    // The certificate's public key checks that the keystore's key and certificate belong
    // together; a key without a certificate signed it just now, so there is nothing to add.
    ...(key?.kind === 'private' && key.chain[0] ? { certificate: key.chain[0] } : {}),
    now: nowOf(ctx),
  });
}
