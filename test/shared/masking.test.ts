import { describe, expect, it } from 'vitest';
import {
  MASK,
  maskFormBody,
  maskHeaders,
  maskJson,
  maskToken,
  maskValue,
} from '../../shared/masking.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('masking', () => {
  it('masks credentials and tokens in form bodies, keeping the rest readable', () => {
    const body =
      'grant_type=password&username=alice&password=hunter2&client_secret=s3cr3t-value-long-enough&scope=a+b';
    expect(maskFormBody(body)).toBe(
      'grant_type=password&username=alice&password=••••••&client_secret=••••••&scope=a b',
    );
    expect(maskFormBody(`grant_type=jwt&assertion=${JWT}&code=abc123`)).toBe(
      'grant_type=jwt&assertion=eyJhbG…&code=••••••',
    );
  });

  it('masks Authorization headers by scheme', () => {
    expect(maskHeaders({ authorization: 'Basic YTpi', accept: 'application/json' })).toEqual({
      authorization: 'Basic ••••••',
      accept: 'application/json',
    });
    expect(maskHeaders({ Authorization: `Bearer ${JWT}` }).Authorization).toBe('Bearer eyJhbG…');
    expect(maskHeaders({ Authorization: `Bearer ${'e'.repeat(40)}` }).Authorization).toBe(
      'Bearer ••••••',
    );
    expect(maskHeaders({ cookie: 'session=abcdef' }).cookie).toBe('••••••');
  });

  it('masks token members at any depth', () => {
    expect(
      maskJson({ access_token: 'x'.repeat(30), nested: { refresh_token: 'short' }, expires_in: 5 }),
    ).toEqual({
      access_token: '••••••',
      nested: { refresh_token: '••••••' },
      expires_in: 5,
    });
    expect((maskJson({ id_token: JWT }) as { id_token: string }).id_token).toBe('eyJhbG…');
    expect(maskValue('')).toBe('');
    expect(maskToken('')).toBe('');
  });

  it('a mask tells neither the length nor the first characters of a secret or opaque token', () => {
    for (let n = 1; n <= 64; n++) {
      const secret = 'S'.repeat(n);
      expect(maskValue(secret)).toBe(MASK);
      expect(maskToken(secret)).toBe(MASK);
      expect(maskFormBody(`client_secret=${secret}`)).toBe(`client_secret=${MASK}`);
      expect(maskFormBody(`refresh_token=${secret}`)).toBe(`refresh_token=${MASK}`);
    }
    // JWTs keep the start of their (public) header and nothing that varies with the rest.
    expect(maskToken(`${JWT}${'x'.repeat(500)}`)).toBe(maskToken(JWT));
    expect(maskToken('eyJ.secret-part')).toBe('eyJ…');
    expect(maskToken('eyJhbGciOiJ!.x')).toBe(MASK);
  });

  it('masks the polling handles and hints of the newer grants (device code, CIBA auth_req_id, ID token hints)', () => {
    const body =
      'grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=1c266114-a1be-4252&device_code=GmRhmhcxhwAzkoEqiMEg&id_token_hint=eyJhbGciOiJSUzI1NiJ9.e30.sig';
    const masked = maskFormBody(body);
    for (const secret of ['1c266114-a1be-4252', 'GmRhmhcxhwAzkoEqiMEg', 'e30.sig'])
      expect(masked).not.toContain(secret);
    expect(masked).toContain('grant_type=');
  });
});
