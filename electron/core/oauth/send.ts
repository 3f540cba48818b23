/**
 * Sends a prepared token request with the connection's network profile and validates the
 * answer. Every outcome carries the masked exchange, so the UI can show what was sent and
 * received — also when it failed — and nothing a server echoes back keeps a known secret.
 */
import type { ExchangeRecord, TokenResult } from '../../../shared/token-result.js';
import { maskJson } from '../../../shared/masking.js';
import { scrubDeep, scrubSecrets } from '../../../shared/scrub.js';
import { TokensmithError } from '../errors.js';
import { recordExchange, type HttpResponse } from '../http/http-client.js';
import type { FlowContext } from './flow-context.js';
import type { ResolvedConnection } from './resolve.js';
import { checkTokenResponse, maskResponseBody, toTokenResult } from './token-response.js';
import type { PreparedTokenRequest } from './token-request.js';

/** Adds the exchange trace to an error's detail without losing its class. */
export function withExchanges(e: unknown, exchanges: ExchangeRecord[]): unknown {
  if (e instanceof TokensmithError) {
    const detail = e.detail ?? {};
    (e as { detail: Record<string, unknown> }).detail = { ...detail, exchanges };
  }
  return e;
}

/** Removes known secrets from an error's message and detail (RFC 6749 §5.2 text, HTML bodies). */
export function scrubError(e: unknown, secrets: readonly string[]): unknown {
  if (e instanceof TokensmithError && secrets.length) {
    e.message = scrubSecrets(e.message, secrets);
    if (e.detail) (e as { detail: Record<string, unknown> }).detail = scrubDeep(e.detail, secrets);
  }
  return e;
}

export async function sendTokenRequest(
  resolved: ResolvedConnection,
  prepared: PreparedTokenRequest,
  ctx: FlowContext,
  label: 'token' | 'refresh' = 'token',
): Promise<TokenResult> {
  const { conn } = resolved;
  const profile = await resolved.networkProfile();
  ctx.onProgress?.({
    step: label === 'refresh' ? 'refresh' : 'token_request',
    message: `POST ${conn.tokenEndpoint}`,
  });
  let res: HttpResponse | undefined;
  try {
    res = await ctx.http.send(prepared.request, profile, ctx.signal);
    const body = checkTokenResponse(res, conn.tokenEndpoint);
    const result = toTokenResult(body, conn.tokenPath, resolved.now());
    return {
      ...result,
      // The body is parsed already: mask that rather than parsing the text again.
      exchanges: [
        recordExchange(label, prepared.request, res, () => JSON.stringify(maskJson(body), null, 2)),
      ],
    };
  } catch (e) {
    const error = e instanceof TokensmithError ? e : undefined;
    const mask = (text: string, type: string) =>
      scrubSecrets(maskResponseBody(text, type), resolved.secrets);
    throw scrubError(
      withExchanges(e, [recordExchange(label, prepared.request, res, mask, error)]),
      resolved.secrets,
    );
  }
}
