/**
 * Validates a token endpoint response (RFC 6749 §5.1/§5.2) and picks the token by the token
 * path. Leniencies for real providers are named where they are applied.
 */
import { maskJson } from '../../../shared/masking.js';
import type { TokenResult } from '../../../shared/token-result.js';
import { HttpStatusError, OAuthError, TokensmithError } from '../errors.js';
import type { HttpResponse } from '../http/http-client.js';

const EXCERPT_BYTES = 2048;

/** The segments of the token paths in use (a connection's path is the same on every request). */
const PATHS = new Map<string, Array<string | undefined>>();

/** Resolves `$.a.b` / `$['a-b']` member paths (the only form the model accepts). */
export function selectPath(value: unknown, path: string): unknown {
  let segments = PATHS.get(path);
  if (!segments) {
    segments = [...path.matchAll(/\.([A-Za-z_][\w-]*)|\['([^']+)'\]/g)].map((m) => m[1] ?? m[2]);
    if (PATHS.size >= 64) PATHS.clear();
    PATHS.set(path, segments);
  }
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment as string];
  }
  return current;
}

function bodyExcerpt(res: HttpResponse): string {
  return res.body.subarray(0, EXCERPT_BYTES).toString('utf8');
}

function parseBody(res: HttpResponse): Record<string, unknown> | undefined {
  const contentType = res.headers['content-type'] ?? '';
  const text = res.body.toString('utf8');
  if (contentType.includes('application/x-www-form-urlencoded')) {
    // GitHub OAuth apps answer in a form unless asked for JSON; accept either.
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Throws the error an unsuccessful response stands for; returns the JSON body otherwise. */
export function checkTokenResponse(res: HttpResponse, url: string): Record<string, unknown> {
  const body = parseBody(res);
  if (body && typeof body.error === 'string') {
    // RFC 6749 §5.2 says 400/401, but some servers send their error with 200 (GitHub) or 500.
    throw new OAuthError(
      res.status,
      body.error,
      typeof body.error_description === 'string' ? body.error_description : undefined,
      typeof body.error_uri === 'string' ? body.error_uri : undefined,
    );
  }
  if (res.status < 200 || res.status >= 300 || !body) {
    if (res.status >= 200 && res.status < 300) {
      throw new TokensmithError(
        'invalid_response',
        `${url} answered ${res.status} but not with a JSON object` +
          ` (${(res.headers['content-type'] ?? 'no content type').split(';')[0]}): ${bodyExcerpt(res).replace(/\s+/g, ' ').slice(0, 200)}`,
        {
          detail: {
            status: res.status,
            contentType: res.headers['content-type'] ?? '',
            body: bodyExcerpt(res),
          },
        },
      );
    }
    throw new HttpStatusError(res.status, res.headers['content-type'] ?? '', bodyExcerpt(res), url);
  }
  return body;
}

/** A successful token response as a TokenResult (without the exchange trace). */
export function toTokenResult(
  body: Record<string, unknown>,
  tokenPath: string,
  now: number,
): Omit<TokenResult, 'exchanges'> {
  const warnings: string[] = [];
  const selected = selectPath(body, tokenPath);
  if (typeof selected !== 'string' || selected === '') {
    const present = Object.keys(body).join(', ') || 'none';
    throw new TokensmithError(
      'missing_token',
      `The response has no ${tokenPath.replace(/^\$\.?/, '') || 'token'} (token path ${tokenPath}); it has: ${present}.`,
      { field: 'tokenPath', detail: { fields: maskJson(body) } },
    );
  }
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const tokenType = str('token_type');
  if (tokenType === undefined) warnings.push('The response has no token_type; Bearer is assumed.');
  else if (!/^(bearer|dpop|n_a|mac)$/i.test(tokenType)) {
    warnings.push(
      `Unexpected token_type "${tokenType}"; the token is still used as a Bearer token.`,
    );
  }
  // Some servers (older Entra ID v1 endpoints) send expires_in as a string.
  const rawExpires = body.expires_in;
  const expiresIn =
    typeof rawExpires === 'number'
      ? rawExpires
      : typeof rawExpires === 'string' && /^\d+$/.test(rawExpires)
        ? Number(rawExpires)
        : undefined;
  if (rawExpires !== undefined && expiresIn === undefined) {
    warnings.push(
      `expires_in is not a number (${JSON.stringify(rawExpires)}); the expiry is unknown.`,
    );
  }
  const result: Omit<TokenResult, 'exchanges'> = {
    token: selected,
    tokenPath,
    fields: body,
    obtainedAt: new Date(now).toISOString(),
    warnings,
  };
  if (tokenType !== undefined) result.tokenType = tokenType;
  const access = str('access_token');
  if (access !== undefined) result.accessToken = access;
  const refresh = str('refresh_token');
  if (refresh !== undefined) result.refreshToken = refresh;
  const id = str('id_token');
  if (id !== undefined) result.idToken = id;
  const scope = str('scope');
  if (scope !== undefined) result.scope = scope;
  if (expiresIn !== undefined) {
    result.expiresIn = expiresIn;
    result.expiresAt = new Date(now + expiresIn * 1000).toISOString();
  }
  return result;
}

/** A token response body for display: tokens masked. */
export function maskResponseBody(text: string, contentType: string): string {
  if (!contentType.includes('json')) return text.slice(0, EXCERPT_BYTES);
  try {
    return JSON.stringify(maskJson(JSON.parse(text)), null, 2);
  } catch {
    return text.slice(0, EXCERPT_BYTES);
  }
}
