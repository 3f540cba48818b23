/**
 * A JWT from an authentication server that is not OAuth 2.0 (z/OS Connect `zosconnect_authToken`,
 * seed 000; API Gateway's JWT endpoint, seed 003): the user's credentials travel as
 * `Basic base64(user:password)` (RFC 7617) in a named request header, or in a body template;
 * optional claims go as a JSON body; the JWT comes back in a named response header or in the body
 * (JSON at a path, or the whole text). The exchange shown to the user has every credential and
 * the JWT masked.
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { AuthTokenSettings, Connection } from '../../shared/connection.js';
import { maskValue } from '../../shared/masking.js';
import type { ExchangeRecord, TokenResult } from '../../shared/token-result.js';
import { HttpStatusError, TokensmithError } from './errors.js';
import type { HttpRequest, HttpResponse } from './http/http-client.js';
import { nowOf, type FlowContext } from './oauth/flow-context.js';
import { selectPath } from './oauth/token-response.js';
import { withExchanges } from './oauth/send.js';
import { networkProfileFor } from './resources.js';
import type { TokenCache } from './cache/token-cache.js';

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Cache key of the authentication-server JWT: every input of its request, secrets hashed. */
export function authTokenCacheKey(settings: AuthTokenSettings): string {
  const { password, requestBody, ...rest } = settings;
  return `authToken:${hash(JSON.stringify({ ...rest, password: hash(password), body: hash(requestBody) }))}`;
}

/** `${userid}` / `${password}` in the body template, escaped for JSON or a form. */
export function fillRequestBody(template: string, username: string, password: string): string {
  const json = /^\s*[[{]/.test(template);
  const escape = (v: string) => (json ? JSON.stringify(v).slice(1, -1) : encodeURIComponent(v));
  return template
    .replaceAll('${userid}', escape(username))
    .replaceAll('${password}', escape(password));
}

/** The request settings of a JWT from an authentication server, and optional claims (seed 003). */
export type JwtRequestSettings = Omit<AuthTokenSettings, 'enabled'> & { claims?: string };

/** RFC 7617 Basic credentials: `user:password` in UTF-8, base64 (not form-encoded: not OAuth). */
export function basicUserCredentials(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** The JWT request as it is sent. */
export function jwtRequestFor(settings: JwtRequestSettings): HttpRequest {
  const headers: Record<string, string> = {
    accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
    'user-agent': 'Tokensmith',
  };
  const req: HttpRequest = { method: settings.requestMethod, url: settings.tokenEndpoint, headers };
  if (settings.credentialLocation === 'header') {
    headers[settings.requestHeader] = basicUserCredentials(settings.username, settings.password);
    if (settings.claims?.trim()) {
      headers['content-type'] = 'application/json';
      req.body = settings.claims.trim();
    }
  } else {
    const body = fillRequestBody(settings.requestBody, settings.username, settings.password);
    headers['content-type'] = /^\s*[[{]/.test(settings.requestBody)
      ? 'application/json'
      : 'application/x-www-form-urlencoded';
    req.body = body;
  }
  return req;
}

/** The exchange as shown: credentials, the JWT and the named headers masked. */
function record(
  label: string,
  settings: JwtRequestSettings,
  req: HttpRequest,
  res: HttpResponse | undefined,
  token: string | undefined,
  error?: TokensmithError,
): ExchangeRecord {
  const secretHeaders = new Set(
    [settings.requestHeader, settings.responseHeader, 'authorization', 'set-cookie', 'cookie'].map(
      (h) => h.toLowerCase(),
    ),
  );
  const maskHeaders = (headers: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(headers).map(([k, v]) => {
        if (!secretHeaders.has(k.toLowerCase())) return [k, v];
        const m = /^(\w+) (.*)$/.exec(v);
        if (m)
          return [k, `${m[1]} ${/^basic$/i.test(m[1] ?? '') ? '••••••' : maskValue(m[2] ?? '')}`];
        return [k, maskValue(v)];
      }),
    );
  const maskText = (text: string) => {
    let out = text;
    for (const secret of [settings.password, token]) {
      if (secret) out = out.split(secret).join(maskValue(secret));
    }
    if (settings.password) {
      const escaped = JSON.stringify(settings.password).slice(1, -1);
      out = out.split(escaped).join('••••••');
      out = out.split(encodeURIComponent(settings.password)).join('••••••');
    }
    return out;
  };
  const out: ExchangeRecord = {
    label,
    request: {
      method: req.method,
      url: req.url,
      headers: maskHeaders(req.headers),
      ...(req.body !== undefined ? { body: maskText(req.body) } : {}),
    },
  };
  if (res) {
    out.response = {
      status: res.status,
      headers: maskHeaders(res.headers),
      body: maskText(res.body.subarray(0, 64 * 1024).toString('utf8')),
    };
    out.durationMs = Math.round(res.durationMs * 10) / 10;
  }
  if (error) out.error = error.message;
  return out;
}

function tokenFrom(settings: JwtRequestSettings, res: HttpResponse): string {
  const where =
    settings.tokenLocation === 'header'
      ? `the ${settings.responseHeader} response header`
      : settings.responseFormat === 'Text'
        ? 'the response body'
        : `the response body at ${settings.tokenPath}`;
  let value: unknown;
  if (settings.tokenLocation === 'header') {
    value = res.headers[settings.responseHeader.toLowerCase()];
  } else if (settings.responseFormat === 'Text') {
    value = res.body.toString('utf8').trim();
  } else {
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new TokensmithError(
        'invalid_response',
        `The authentication server answered ${res.status} but its body is not JSON (${(res.headers['content-type'] ?? 'no content type').split(';')[0]}); expected the JWT at ${settings.tokenPath}.`,
        { field: 'authToken.tokenPath' },
      );
    }
    value = selectPath(json, settings.tokenPath);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TokensmithError(
      'missing_token',
      `The authentication server's answer has no JWT in ${where}.`,
      {
        field:
          settings.tokenLocation === 'header' ? 'authToken.responseHeader' : 'authToken.tokenPath',
      },
    );
  }
  // A header may carry a scheme: "Bearer eyJ…".
  return value.trim().replace(/^bearer\s+/i, '');
}

/** A JWT as a token result: its expiry from `exp`, a warning when it is not a JWT or never expires. */
export function jwtResult(
  token: string,
  tokenPath: string,
  now: number,
  exchanges: ExchangeRecord[],
): TokenResult {
  const result: TokenResult = {
    token,
    tokenPath,
    tokenType: 'JWT',
    obtainedAt: new Date(now).toISOString(),
    fields: {},
    warnings: [],
    exchanges,
  };
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number') {
      result.expiresAt = new Date(exp * 1000).toISOString();
      result.expiresIn = Math.max(0, Math.round(exp - now / 1000));
    }
  } catch {
    result.warnings.push('The token is not a JWT.');
  }
  if (!result.expiresAt) result.warnings.push('The token has no expiry: it is not cached.');
  return result;
}

/**
 * Requests a JWT with these settings over the connection's network profile. `req`: the request
 * as prepared (the JWT grant's), else made from the settings.
 */
export async function requestIssuedJwt(
  conn: Connection,
  settings: JwtRequestSettings,
  ctx: FlowContext,
  options: { label?: string; field?: string; request?: HttpRequest } = {},
): Promise<TokenResult> {
  const label = options.label ?? 'authentication server';
  if (!settings.tokenEndpoint) {
    throw new TokensmithError('invalid_input', `Enter the URL of the ${label}.`, {
      field: options.field ?? 'authToken.tokenEndpoint',
    });
  }
  const profile = await networkProfileFor(conn, ctx.resources, nowOf(ctx));
  const req = options.request ?? jwtRequestFor(settings);
  ctx.onProgress?.({
    step: 'token_request',
    message: `${req.method} ${settings.tokenEndpoint} (${label})`,
  });
  let res: HttpResponse | undefined;
  let token: string | undefined;
  try {
    res = await ctx.http.send(req, profile, ctx.signal);
    if (res.status < 200 || res.status >= 300) {
      throw new HttpStatusError(
        res.status,
        res.headers['content-type'] ?? '',
        res.body.subarray(0, 2048).toString('utf8'),
        settings.tokenEndpoint,
      );
    }
    token = tokenFrom(settings, res);
  } catch (e) {
    const error = e instanceof TokensmithError ? e : undefined;
    throw withExchanges(e, [record(label, settings, req, res, token, error)]);
  }
  const tokenPath =
    settings.tokenLocation === 'header'
      ? `header ${settings.responseHeader}`
      : settings.responseFormat === 'Text'
        ? 'body'
        : settings.tokenPath;
  return jwtResult(token, tokenPath, nowOf(ctx), [record(label, settings, req, res, token)]);
}

/** Requests the JWT from the authentication server of the connection (z/OS `zosconnect_authToken`). */
export function requestAuthToken(conn: Connection, ctx: FlowContext): Promise<TokenResult> {
  return requestIssuedJwt(conn, conn.authToken, ctx);
}

/** The connection's authentication-server JWT, from the cache while it is good. */
export async function obtainAuthToken(
  conn: Connection,
  ctx: FlowContext,
  options: { cache?: TokenCache; readCache?: boolean } = {},
): Promise<{ result: TokenResult; source: 'cache' | 'network' }> {
  const key = authTokenCacheKey(conn.authToken);
  if (options.cache && options.readCache !== false) {
    const hit = options.cache.get(key);
    if (hit) return { result: { ...hit.result, exchanges: [] }, source: 'cache' };
  }
  const result = await requestAuthToken(conn, ctx);
  if (options.cache && result.expiresAt) {
    options.cache.set(key, { id: conn.id, name: `${conn.name} (authentication server)` }, result);
  }
  return { result, source: 'network' };
}

/** The API request header that carries the JWT. */
export function authTokenHeader(settings: AuthTokenSettings, jwt: string): [string, string] {
  return [settings.header, settings.useBearerScheme ? `Bearer ${jwt}` : jwt];
}
