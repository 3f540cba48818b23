import { describe, expect, it } from 'vitest';
import { SCRUBBED, scrubSecrets } from '../../shared/scrub.js';

const SECRET = `S3cr&t<x>"'`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** HTML escaping as common escapers write it (lodash/escape-html, he/Python, PHP, Go, XML). */
const ESCAPED = [
  'S3cr&amp;t&lt;x&gt;&quot;&#39;', // lodash.escape, escape-html
  'S3cr&amp;t&lt;x&gt;&quot;&#x27;', // he.escape, Python html.escape, React
  'S3cr&amp;t&lt;x&gt;&quot;&apos;', // XML, PHP ENT_HTML5
  'S3cr&amp;t&lt;x&gt;&quot;&#039;', // PHP htmlspecialchars
  'S3cr&amp;t&lt;x&gt;&#34;&#39;', // Go html.EscapeString
  `S3cr&amp;t&lt;x&gt;&quot;'`, // Apache Commons escapeHtml4
  `S3cr&amp;t&lt;x&gt;"'`, // text-only escapers
];

describe('scrubSecrets', () => {
  it.each(ESCAPED)('scrubs the secret HTML-escaped in an error page: %s', (escaped) => {
    const page = `<html><body><h1>500</h1><pre>client_secret=${escaped}&amp;scope=a</pre></body></html>`;
    expect(scrubSecrets(page, [SECRET])).toBe(
      `<html><body><h1>500</h1><pre>client_secret=${SCRUBBED}&amp;scope=a</pre></body></html>`,
    );
  });

  it('scrubs base64 and base64url of the secret, padded or not', () => {
    const secret = 'sécret?>>~value'; // non-ASCII, and bytes whose base64 holds + and /
    const std = b64(secret);
    const url = Buffer.from(secret, 'utf8').toString('base64url');
    expect(std).toMatch(/[+/]/);
    for (const form of [std, url, std.replace(/=+$/, '')])
      expect(scrubSecrets(`echo: ${form}.`, [secret])).toBe(`echo: ${SCRUBBED}.`);
    for (const s of ['abcd', 'abcde', 'abcdef', '\u{1F511}key', 'lone\uD800'])
      expect(scrubSecrets(`[${b64(s)}]`, [s])).toBe(`[${SCRUBBED}]`);
  });

  it('scrubs Basic credentials (RFC 6749 §2.3.1) given with the secrets, in a quoted echo', () => {
    const form = (s: string) => new URLSearchParams([['', s]]).toString().slice(1);
    const credentials = b64(`${form('client')}:${form(SECRET)}`);
    const echo = `{"headers":{"Authorization":"Basic ${credentials}"},"note":"authorization: basic ${credentials}"}`;
    // base64 of `id:secret` holds no form of the secret alone: the caller adds the credentials.
    expect(scrubSecrets(echo, [SECRET])).toContain(credentials);
    expect(scrubSecrets(echo, [SECRET, credentials])).toBe(
      `{"headers":{"Authorization":"Basic ${SCRUBBED}"},"note":"authorization: basic ${SCRUBBED}"}`,
    );
  });

  it('still scrubs raw, percent-, form- and JSON-encoded forms, and leaves values under 4 characters', () => {
    const text = `${SECRET} ${encodeURIComponent(SECRET)} ${new URLSearchParams([['s', SECRET]])} ${JSON.stringify(SECRET)}`;
    expect(scrubSecrets(text, [SECRET])).toBe(
      `${SCRUBBED} ${SCRUBBED} s=${SCRUBBED} "${SCRUBBED}"`,
    );
    expect(scrubSecrets(`a&b ${b64('a&b')} a&amp;b`, ['a&b'])).toBe(`a&b ${b64('a&b')} a&amp;b`);
  });
});
