/**
 * Device authorization grant (RFC 8628) end to end against oidc-provider's device flow: the
 * device authorization request, the user code approved (or denied) through the provider's real
 * device pages, polling at the server's interval with slow_down honoured, expiry and cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import {
  DEVICE_BUSY_CLIENT,
  DEVICE_CLIENT,
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, failure, testContext } from '../../support/engine.js';
import { approveDevice } from '../../support/device-driver.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import type { FlowContext } from '../../../electron/core/oauth/flow-context.js';
import type { FlowProgress } from '../../../shared/token-result.js';
import { DEVICE_CODE_GRANT } from '../../../shared/connection.js';

let server: AuthorizationServer;
let shortLived: AuthorizationServer;
/** When the server recorded each request it received (its clock, not the client's). */
const arrivals = new WeakMap<object, number>();

beforeAll(async () => {
  const signingKey = createPrivateKey((await fixtures()).text('rsa.key'));
  server = await startAuthorizationServer({ signingKey, deviceIntervalSeconds: 1 });
  const record = server.received.push.bind(server.received);
  server.received.push = (...items) => {
    for (const item of items) arrivals.set(item, performance.now());
    return record(...items);
  };
  shortLived = await startAuthorizationServer({
    signingKey,
    deviceIntervalSeconds: 1,
    deviceCodeTtlSeconds: 2,
  });
});
afterAll(async () => {
  await server.close();
  await shortLived.close();
});

const deviceConn = (on = server, extra: Record<string, unknown> = {}) =>
  connection({
    type: 'device_code',
    issuer: on.issuer,
    tokenEndpoint: on.tokenEndpoint,
    client: { id: DEVICE_CLIENT },
    params: { scope: 'openid offline_access api:read' },
    ...extra,
  });

/** Runs the flow; `act` plays the person once the code is shown. */
async function run(
  conn: ReturnType<typeof deviceConn>,
  act: (device: NonNullable<FlowProgress['device']>) => Promise<unknown>,
  extra: Partial<FlowContext> = {},
) {
  const ctx = await testContext();
  const progress: FlowProgress[] = [];
  let acting: Promise<unknown> | undefined;
  try {
    const result = requestToken(conn, {
      ...ctx,
      ...extra,
      onProgress: (p) => {
        progress.push(p);
        if (p.step === 'device' && p.device && !acting) acting = act(p.device);
      },
    });
    return { result: await result.finally(() => acting), progress };
  } finally {
    await ctx.http.close();
  }
}

describe('device authorization grant', () => {
  it('shows the code and URIs, polls, and gets the token once the user approves on the device pages', async () => {
    let page = '';
    const before = server.received.length;
    const { result, progress } = await run(deviceConn(), async (device) => {
      page = (await approveDevice(device.verificationUriComplete!, 'bob')).page;
    });
    expect(page).toContain('Sign-in Success');
    const shown = progress.find((p) => p.step === 'device' && p.device)?.device;
    expect(shown?.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(shown?.verificationUri).toBe(`${server.issuer}/device`);
    expect(shown?.verificationUriComplete).toBe(
      `${server.issuer}/device?user_code=${encodeURIComponent(shown!.userCode)}`,
    );
    expect(shown?.intervalSeconds).toBe(1);
    expect(Date.parse(shown!.expiresAt) - Date.now()).toBeGreaterThan(500_000);
    expect(result.accessToken).toBeTruthy();
    expect(result.refreshToken).toBeTruthy();
    expect(result.exchanges.map((e) => e.label)).toEqual(['device_authorization', 'token']);
    // The device code is a credential: masked in the exchange.
    expect(result.exchanges[0]?.response?.body).toMatch(/"device_code": "••••••"/);
    expect(result.exchanges[1]?.request.body).toMatch(/device_code=••••••/);
    // The endpoint came from discovery; the token request is the RFC 8628 §3.4 one.
    const seen = server.received.slice(before);
    expect(seen.some((r) => r.path === '/.well-known/openid-configuration')).toBe(true);
    const auth = seen.find((r) => r.path === '/device/auth')!;
    expect(auth.form.get('client_id')).toBe(DEVICE_CLIENT);
    expect(auth.form.get('scope')).toBe('openid offline_access api:read');
    const polls = seen.filter((r) => r.path === '/token');
    expect(polls.at(-1)?.form.get('grant_type')).toBe(DEVICE_CODE_GRANT);
    expect(polls.at(-1)?.form.get('scope')).toBeNull();
  });

  it('keeps polling while the authorization is pending, at the interval', async () => {
    const before = server.tokenRequests().length;
    const { result, progress } = await run(deviceConn(), async (device) => {
      await new Promise((resolve) => setTimeout(resolve, 2600));
      await approveDevice(device.verificationUriComplete!, 'carol');
    });
    expect(result.accessToken).toBeTruthy();
    expect(progress.filter((p) => p.step === 'polling').length).toBeGreaterThanOrEqual(1);
    const polls = server.tokenRequests().slice(before);
    expect(polls.map((r) => r.form.get('grant_type'))).toEqual(polls.map(() => DEVICE_CODE_GRANT));
    // Pending at about 1 s and 2 s, approved at 2.6 s: at least two polls, each at least the
    // server's interval (1 s) after the one before, as the server saw them arrive.
    expect(polls.length).toBeGreaterThanOrEqual(2);
    const times = polls.map((r) => arrivals.get(r) as number);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it('honours slow_down: 5 seconds more between polls from then on', async () => {
    const before = server.tokenRequests().length;
    const started = Date.now();
    const { result, progress } = await run(
      deviceConn(server, { client: { id: DEVICE_BUSY_CLIENT } }),
      (device) => approveDevice(device.verificationUriComplete!, 'dave'),
    );
    expect(result.accessToken).toBeTruthy();
    const slowed = progress.find((p) => p.step === 'polling' && p.device?.intervalSeconds === 6);
    expect(slowed?.message).toBe('The server asked to poll more slowly: every 6 s now');
    const polls = server.tokenRequests().slice(before);
    expect(polls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(7000);
  }, 20_000);

  it('a denied code is authorization_denied, with a message that says so', async () => {
    const e = await failure(
      run(deviceConn(), async (device) => {
        const denied = await approveDevice(device.verificationUriComplete!, 'eve', { deny: true });
        expect(denied.page).toContain('not accepted');
      }),
    );
    expect(e.code).toBe('authorization_denied');
    expect(e.message).toMatch(
      /^The device authorization was denied \(access_denied\): the user refused the code [A-Z]{4}-[A-Z]{4}/,
    );
  });

  it('a code nobody enters expires: authorization_expired (expired_token or expires_in)', async () => {
    const e = await failure(run(deviceConn(shortLived), async () => undefined));
    expect(e.code).toBe('authorization_expired');
    expect(e.message).toMatch(
      /^The device code [A-Z]{4}-[A-Z]{4} expired before it was approved \((the server answered expired_token|its expires_in has passed)\): get a new code/,
    );
  });

  it('cancelling stops the polling at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const e = await failure(
      run(
        deviceConn(),
        async () => {
          setTimeout(() => controller.abort(), 300);
        },
        { signal: controller.signal },
      ),
    );
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('The device authorization was cancelled.');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('without an endpoint or an issuer it asks for the endpoint', async () => {
    const ctx = await testContext();
    const e = await failure(requestToken(deviceConn(server, { issuer: '' }), ctx));
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('deviceAuthorizationEndpoint');
    expect(e.message).toBe(
      'Enter the Device Authorization Endpoint, or the Issuer to discover it.',
    );
  });

  it('an explicit endpoint is used as it is (no discovery)', async () => {
    const before = server.received.length;
    const { result } = await run(
      deviceConn(server, {
        issuer: '',
        deviceAuthorizationEndpoint: `${server.issuer}/device/auth`,
      }),
      (device) => approveDevice(device.verificationUriComplete!, 'frank'),
    );
    expect(result.accessToken).toBeTruthy();
    expect(server.received.slice(before).some((r) => r.path.startsWith('/.well-known'))).toBe(
      false,
    );
  });
});
