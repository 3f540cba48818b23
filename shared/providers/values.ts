/** Value specs several profiles share. Pure TypeScript. */
import type { ProviderValueSpec } from './profile.js';

/** A DNS host name, or an https:// URL (a custom domain, a proxy path) that replaces the origin. */
export const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?|https?:\/\/[^\s?#]+)$/;

export const domainValue = (
  label: string,
  help: string,
  example: string,
  defaultValue?: string,
): ProviderValueSpec => ({
  label,
  help,
  required: defaultValue === undefined,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  example,
  pattern: HOST,
  patternMessage: 'a host name such as example.com, or an https:// URL',
});

/** A name that goes into a URL path segment. */
export const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
