/**
 * A provider profile as plain JSON (its patterns as their source text), for `tokensmith
 * providers --json` and the app's "From a provider…" dialog. Pure TypeScript.
 */
import type { ProviderProfile, ProviderValueSpec } from './profile.js';

type Json<T> = T extends RegExp
  ? string
  : T extends ReadonlyArray<infer U>
    ? Array<Json<U>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type ProviderView = Json<ProviderProfile>;
export type ProviderValueView = Json<ProviderValueSpec>;

/** Every RegExp inside a profile replaced by its source. */
function plain(value: unknown): unknown {
  if (value instanceof RegExp) return value.source;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export function providerView(profile: ProviderProfile): ProviderView {
  return plain(profile) as ProviderView;
}
