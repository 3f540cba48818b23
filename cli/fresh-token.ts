/**
 * A token handed to another program (`exec`, `credential`): from the cache while it has at least
 * the asked-for lifetime left, else renewed first (refreshed when the connection uses refresh
 * tokens and has one, else obtained anew). The other program keeps the token it got, so what
 * counts is the time left when it is handed over.
 */
import {
  connectionByName,
  getToken,
  TokensmithError,
  type Session,
} from '../electron/core/index.js';
import type { TokenResult } from '../shared/token-result.js';
import { formatSeconds, UsageError, withSession, type CommandInput } from './io.js';
import { tokenProgress } from './token-progress.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `90`, `90s`, `5m`, `1h` → seconds. */
export function durationSeconds(text: string, option: string): number {
  const m = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  if (!m) throw new UsageError(`${option} is a duration such as 90, 90s, 5m or 1h, not "${text}".`);
  return Number(m[1]) * (UNITS[m[2] || 's'] as number);
}

/** Milliseconds the token has left; Infinity when the server did not say. */
export function msLeft(result: TokenResult): number {
  return result.expiresAt ? Date.parse(result.expiresAt) - Date.now() : Infinity;
}

/**
 * `--min-valid` is this run's minimum remaining lifetime: a cached token with less left is then
 * what the engine makes of one under the connection's own minimum — refreshed (when the
 * connection uses refresh tokens) or requested anew — and the new token is cached.
 */
async function tokenWithAtLeast(
  input: CommandInput,
  session: Session,
  name: string,
  minValidSeconds: number,
): Promise<TokenResult> {
  const doc = await session.workspace.store.read();
  const conn = connectionByName(doc, name);
  const own = conn.cache.minRemainingSeconds ?? doc.settings.cacheMinRemainingSeconds;
  const minRemainingSeconds = Math.max(own, minValidSeconds);
  const flow = { signal: input.signal, onProgress: tokenProgress(input.io) };
  return (await getToken(session, { ...conn, cache: { ...conn.cache, minRemainingSeconds } }, flow))
    .result;
}

export interface FreshTokenOptions {
  /** The least lifetime the token is to have when handed over. */
  minValidSeconds: number;
  /** Say on stderr when even a new token lasts less (the other program will outlive it). */
  warnShort?: boolean;
}

/** The connection's token with at least `minValidSeconds` left (when the server allows it). */
export async function freshToken(
  input: CommandInput,
  name: string,
  options: FreshTokenOptions,
): Promise<TokenResult> {
  const minValidMs = options.minValidSeconds * 1000;
  const result = await withSession(input, (session) =>
    tokenWithAtLeast(input, session, name, options.minValidSeconds),
  );
  const { io } = input;
  if (/[\r\n\0]/.test(result.token))
    throw new TokensmithError(
      'invalid_response',
      `The token of "${name}" holds a line break or NUL: it cannot be passed on.`,
    );
  if (result.tokenType?.toLowerCase() === 'dpop')
    io.err(
      `tokensmith: warning: the token of "${name}" is DPoP-bound (RFC 9449): a program sending it as a Bearer token is refused.`,
    );
  const left = msLeft(result);
  if (options.warnShort && left < minValidMs)
    io.err(
      `tokensmith: warning: the new token of "${name}" lasts ${formatSeconds(left / 1000)}, less than --min-valid ${formatSeconds(options.minValidSeconds)}: a command running longer keeps a token that has expired.`,
    );
  for (const w of result.warnings) io.err(`tokensmith: warning: ${w}`);
  return result;
}
