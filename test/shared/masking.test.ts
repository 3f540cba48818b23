import { describe, expect, it } from 'vitest';
import { maskFormBody, maskHeaders, maskJson, maskValue } from '../../shared/masking.js';

describe('masking', () => {
  it('masks credentials and tokens in form bodies, keeping the rest readable', () => {
    const body =
      'grant_type=password&username=alice&password=hunter2&client_secret=s3cr3t-value-long-enough&scope=a+b';
    expect(maskFormBody(body)).toBe(
      'grant_type=password&username=alice&password=••••••&client_secret=s3cr3t…(24 chars)&scope=a b',
    );
  });

  it('masks Authorization headers by scheme', () => {
    expect(maskHeaders({ authorization: 'Basic YTpi', accept: 'application/json' })).toEqual({
      authorization: 'Basic ••••••',
      accept: 'application/json',
    });
    expect(maskHeaders({ Authorization: `Bearer ${'e'.repeat(40)}` }).Authorization).toBe(
      'Bearer eeeeee…(40 chars)',
    );
  });

  it('masks token members at any depth', () => {
    expect(
      maskJson({ access_token: 'x'.repeat(30), nested: { refresh_token: 'short' }, expires_in: 5 }),
    ).toEqual({
      access_token: 'xxxxxx…(30 chars)',
      nested: { refresh_token: '••••••' },
      expires_in: 5,
    });
    expect(maskValue('')).toBe('');
  });
});
