/**
 * The core loads undici's agents module by module (electron/core/http/undici-parts.ts) instead of
 * its index: they must be undici's own classes, set up as its index sets them up, so that an
 * upgrade of undici that moves a file fails here rather than in a request.
 */
import { describe, expect, it } from 'vitest';
import * as undici from 'undici';
import { Agent, EnvHttpProxyAgent } from '../../../electron/core/http/undici-parts.js';
import undiciErrors from 'undici/lib/core/errors.js';

describe('undici, the parts the core sends with', () => {
  it('are the classes undici exports, with the request API its index adds', () => {
    expect(Agent).toBe(undici.Agent);
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
    expect(undiciErrors).toBe(undici.errors);
    const agent = new Agent();
    expect(typeof agent.request).toBe('function');
    expect(typeof agent.connect).toBe('function');
    void agent.close();
  });
});
