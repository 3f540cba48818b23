/**
 * An enumerable property computed when it is first read, then kept as a plain value: JSON,
 * structured clone (IPC), spread and destructuring read it like any other property. For what a
 * result carries for the user to look at (masked exchanges, the assertion check), which most
 * results never show: the work is done only for those that do.
 */
export function lazyProperty(target: object, key: string, compute: () => unknown): void {
  const keep = (value: unknown) =>
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = compute();
      keep(value);
      return value;
    },
    set: keep,
  });
}

/** A copy of `source` without the `left` properties, none of which is read (nor computed). */
export function without<T extends object, K extends keyof T>(
  source: T,
  left: readonly K[],
): Omit<T, K> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source))
    if (!(left as readonly string[]).includes(key))
      out[key] = (source as Record<string, unknown>)[key];
  return out as Omit<T, K>;
}
