/**
 * The field schemas every part of the connection model builds on: one-line texts and URLs.
 * Pure TypeScript; imports nothing of the model, so any module of it may use them.
 */
import * as z from 'zod';

// C0 controls and DEL: a value that goes on one line (a name, an ID, a URL) never holds them,
// so an exported comment, shell word or XML attribute can never be broken out of.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The longest name or ID of a connection, keystore or proxy alias (they name files and variables). */
export const NAME_MAX = 200;

/** A one-line text: no line breaks or other control characters. */
export const singleLine = (what = 'This field') =>
  z
    .string()
    .refine((v) => !CONTROL.test(v), `${what} must be a single line without control characters`);

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/** An absolute http(s) URL. */
export const httpUrl = singleLine('A URL')
  .trim()
  .min(1, 'Required')
  .refine(isHttpUrl, 'Enter an absolute http:// or https:// URL');

/** An http(s) URL or nothing. */
export const optionalHttpUrl = singleLine('A URL')
  .trim()
  .refine((v) => v === '' || isHttpUrl(v), 'Enter an absolute http:// or https:// URL')
  .default('');

/** RFC 8707 §2: a resource is an absolute URI without a fragment. */
export const resourceIndicator = singleLine('A resource')
  .trim()
  .refine(
    (v) => URL.canParse(v) && !v.includes('#'),
    'A resource must be an absolute URI without a fragment',
  );

/** The audiences of an Audience field: comma-separated, as a z/OS jwtBuilder's `audiences`. */
export const audienceList = (audience: string): string[] =>
  audience
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
