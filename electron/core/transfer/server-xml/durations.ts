/**
 * Liberty durations (seeds 000–002 use them for timeouts, lifetimes and rotation times): one or
 * more number-unit pairs (`600s`, `10m`, `1m30s`, `1h`, `500ms`, `1d`); a bare number is in the
 * attribute's own precision — milliseconds for the zosconnect timeouts, seconds for
 * `expiresInSeconds`, minutes for `jwkRotationTime`, hours for `expiry`.
 */

export type DurationUnit = 'ms' | 's' | 'm' | 'h';

const SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A Liberty duration in seconds, or undefined when it is not one. Negative bare numbers pass. */
export function durationSeconds(value: string, bareUnit: DurationUnit = 'ms'): number | undefined {
  const text = value.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text) * SECONDS[bareUnit];
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(n) * SECONDS[unit as keyof typeof SECONDS];
  }
  return total;
}

/** Seconds as a Liberty duration: whole seconds as `600s`, anything finer in milliseconds. */
export function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** Liberty's default `expiry` of a jwtBuilder: 2 hours. */
export const DEFAULT_BUILDER_EXPIRY_SECONDS = 7200;

/**
 * The lifetime of a jwtBuilder's tokens: `expiresInSeconds` when it is zero or more, else (the
 * default -1, or any negative value) `expiry`, else 2 hours. Undefined when an attribute that
 * decides is not a duration.
 */
export function builderLifetime(attrs: {
  expiresInSeconds?: string;
  expiry?: string;
}): { seconds: number; from: 'expiresInSeconds' | 'expiry' | 'default' } | undefined {
  if (attrs.expiresInSeconds !== undefined) {
    const seconds = durationSeconds(attrs.expiresInSeconds, 's');
    if (seconds === undefined) return undefined;
    if (seconds >= 0) return { seconds, from: 'expiresInSeconds' };
  }
  if (attrs.expiry !== undefined) {
    const seconds = durationSeconds(attrs.expiry, 'h');
    return seconds === undefined || seconds < 0 ? undefined : { seconds, from: 'expiry' };
  }
  return { seconds: DEFAULT_BUILDER_EXPIRY_SECONDS, from: 'default' };
}
