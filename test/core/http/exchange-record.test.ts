/**
 * An exchange record masks its headers and bodies when it is first read (electron/core/http/
 * http-client.ts): every way a record leaves the engine — JSON (`--json`, the cache file),
 * structured clone (the window's IPC), spread — reads it masked, and nothing unmasked is
 * reachable from it.
 */
import { describe, expect, it } from 'vitest';
import { recordExchange } from '../../../electron/core/http/http-client.js';
import { maskJson } from '../../../shared/masking.js';

const SECRET = 'client-secret-value-0123456789';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVlLWxvbmc';

function record() {
  const body = { access_token: TOKEN, token_type: 'Bearer', expires_in: 60 };
  const req = {
    method: 'POST' as const,
    url: 'https://as.example/token',
    headers: {
      authorization: `Basic ${Buffer.from(`app:${SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials&client_secret=${SECRET}`,
  };
  const res = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
    durationMs: 1.23,
  };
  const rec = recordExchange('token', req, res, () => JSON.stringify(maskJson(body), null, 2));
  // Changing the request afterwards does not change what was recorded.
  req.headers.authorization = 'Basic changed';
  return rec;
}

const basic = Buffer.from(`app:${SECRET}`).toString('base64');

describe('an exchange record', () => {
  it('reads masked however it is read', () => {
    for (const text of [
      JSON.stringify(record()),
      JSON.stringify(structuredClone(record())),
      JSON.stringify({ ...record(), request: { ...record().request } }),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(basic);
      expect(text).not.toContain(TOKEN);
      expect(text).toContain('grant_type=client_credentials');
    }
  });

  it('keeps the order and shape of its members, and one value once read', () => {
    const rec = record();
    expect(Object.keys(rec)).toEqual(['label', 'request', 'response', 'durationMs']);
    expect(Object.keys(rec.request)).toEqual(['method', 'url', 'headers', 'body']);
    expect(Object.keys(rec.response ?? {})).toEqual(['status', 'headers', 'body']);
    expect(rec.request.headers).toBe(rec.request.headers);
    expect(rec.request.headers.authorization).toMatch(/^Basic \S+$/);
    expect(rec.request.headers.authorization).not.toContain('changed');
    expect(structuredClone(rec)).toEqual(JSON.parse(JSON.stringify(rec)));
  });
});
