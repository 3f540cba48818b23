/**
 * Sends a prepared request to an endpoint of the authorization server (token, pushed or device
 * authorization, introspection, revocation) with the connection's network profile — and its
 * DPoP proof (RFC 9449) where one belongs — and validates the answer. Every outcome carries the
 * masked exchange, so the UI can show what was sent and received — also when it failed — and
 * nothing a server echoes back keeps a known secret.
 */
import type { ExchangeRecord, TokenResult } from '../../../shared/token-result.js';
import { maskJson } from '../../../shared/masking.js';
import { scrubDeep, scrubSecrets } from '../../../shared/scrub.js';
import { OAuthError, TokensmithError } from '../errors.js';
import { recordExchange, type HttpRequest, type HttpResponse } from '../http/http-client.js';
import { sendWithDpop } from './dpop.js';
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

export interface SendOptions {
  /** Sign a DPoP proof when the connection has DPoP on (token, refresh, PAR requests). */
  dpop?: boolean;
  /** An empty 2xx body is a success (RFC 7009 revocation answers 200 with nothing). */
  emptyOk?: boolean;
  progress?: {
    step: 'token_request' | 'refresh' | 'pushed_authorization' | 'device';
    message?: string;
  };
}

export interface SentRequest {
  body: Record<string, unknown>;
  /** What was sent and received: a DPoP nonce challenge first, when there was one. */
  exchanges: ExchangeRecord[];
}

/** Sends and checks one request; the JSON object it answered with, and the masked exchange. */
export async function sendOAuthRequest(
  resolved: ResolvedConnection,
  prepared: PreparedTokenRequest,
  ctx: FlowContext,
  label: string,
  options: SendOptions = {},
): Promise<SentRequest> {
  const profile = await resolved.networkProfile();
  const url = prepared.request.url;
  if (options.progress)
    ctx.onProgress?.({
      step: options.progress.step,
      message: options.progress.message ?? `POST ${url}`,
    });
  const prover = options.dpop ? await resolved.dpop() : undefined;
  let request: HttpRequest = prepared.request;
  let res: HttpResponse | undefined;
  const mask = (text: string, type: string) =>
    scrubSecrets(maskResponseBody(text, type), resolved.secrets);
  const earlier: ExchangeRecord[] = [];
  try {
    if (prover) {
      const sent = await sendWithDpop(ctx.http, request, profile, ctx.signal, prover, {
        scope: 'as',
      });
      ({ request, response: res } = sent);
      if (sent.challenged)
        earlier.push(
          recordExchange(label, sent.challenged.request, sent.challenged.response, mask),
        );
      if (sent.nonceRefusedTwice) throw nonceRefusedTwice(res, url);
    } else {
      res = await ctx.http.send(request, profile, ctx.signal);
    }
    const body =
      options.emptyOk && res.status >= 200 && res.status < 300 && res.body.length === 0
        ? {}
        : checkTokenResponse(res, url);
    return {
      body,
      exchanges: [
        ...earlier,
        // The body is parsed already: mask that rather than parsing the text again.
        recordExchange(label, request, res, () => JSON.stringify(maskJson(body), null, 2)),
      ],
    };
  } catch (e) {
    const error = e instanceof TokensmithError ? e : undefined;
    throw scrubError(
      withExchanges(e, [...earlier, recordExchange(label, request, res, mask, error)]),
      resolved.secrets,
    );
  }
}

function nonceRefusedTwice(res: HttpResponse, url: string): OAuthError {
  const error = new OAuthError(
    res.status,
    'use_dpop_nonce',
    'the DPoP nonce was refused twice',
    undefined,
  );
  error.message = `${url} asked for a new DPoP nonce again after Tokensmith retried with the nonce it gave (use_dpop_nonce twice, RFC 9449 §8): its nonces may expire at once or not be shared between its servers.`;
  return error;
}

export async function sendTokenRequest(
  resolved: ResolvedConnection,
  prepared: PreparedTokenRequest,
  ctx: FlowContext,
  label: 'token' | 'refresh' = 'token',
): Promise<TokenResult> {
  const { conn } = resolved;
  const { body, exchanges } = await sendOAuthRequest(resolved, prepared, ctx, label, {
    dpop: true,
    progress: {
      step: label === 'refresh' ? 'refresh' : 'token_request',
      message: `POST ${conn.tokenEndpoint}`,
    },
  });
  return { ...toTokenResult(body, conn.tokenPath, resolved.now()), exchanges };
}
