/** Liberty durations (seeds 000–002 use them for timeouts, lifetimes and rotation times). */

/**
 * A Liberty duration in seconds: one or more number-unit pairs (`30s`, `500ms`, `1m30s`, `12h`,
 * `1d`); a bare number is in `bareUnit` (milliseconds, or the attribute's own precision).
 */
export function durationSeconds(
  value: string,
  bareUnit: 'ms' | 'm' | 'h' = 'ms',
): number | undefined {
  const text = value.trim();
  const seconds = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 } as const;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * seconds[bareUnit];
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(n) * seconds[unit as keyof typeof seconds];
  }
  return total;
}
