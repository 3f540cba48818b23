/**
 * Credentials in headers the user names (a JWT connection's credentials and response headers, an
 * API key) are redacted from a HAR like Authorization: by their scheme or by their name, whatever
 * the length of the user name before the password (base64 of `user:password` does not contain
 * base64 of the password unless the user name happens to be a multiple of three bytes).
 */
import { describe, expect, it } from 'vitest';
import { harOf } from '../../../electron/core/http/har.js';
import type { TraceLeg } from '../../../electron/core/http/trace.js';

const PASSWORD = 'S3cretPass';
const OPAQUE = 'opaque-session-token-9f8e7d6c5b4a';

function leg(user: string): TraceLeg {
  return {
    startedAt: Date.now(),
    request: {
      method: 'GET',
      url: 'https://auth.example/jwt',
      headers: {
        'X-Credentials': `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`,
        'X-Api-Key': 'k-1234567890abcdef',
      },
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [
        ['JWTResAuthorization', OPAQUE],
        ['WWW-Authenticate', 'Bearer realm="api"'],
      ],
      body: Buffer.from('{}'),
    },
    waitMs: 1,
    receiveMs: 1,
    durationMs: 2,
  } as TraceLeg;
}

describe('HAR: credentials in headers the user names', () => {
  it.each(['bob', 'bobby', 'alice'])(
    'user %s: the password, the API key and the opaque token are gone',
    (user) => {
      const text = JSON.stringify(harOf([leg(user)], [], 'test'));
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(`${user}:${PASSWORD}`).toString('base64'));
      expect(text).not.toContain('k-1234567890abcdef');
      expect(text).not.toContain(OPAQUE);
      // What helps whoever reads the trace stays.
      expect(text).toContain('Bearer realm=\\"api\\"');
    },
  );
});
