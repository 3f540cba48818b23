/**
 * Device Authorization Grant (RFC 8628): the device authorization request (§3.1) with the
 * connection's client authentication; the user code and verification URI reported as progress
 * (§3.3) while the token endpoint is polled at the server's interval (§3.4, §3.5): on
 * `authorization_pending` again, on `slow_down` 5 seconds slower from then on, until the user
 * approves (a token), denies (`access_denied`), the code expires (`expired_token`, or its
 * `expires_in` passes) or the flow is cancelled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DEVICE_CODE_GRANT, type DeviceCodeConnection } from '../../../shared/connection.js';
import type { DeviceAuthorizationView, ExchangeRecord } from '../../../shared/token-result.js';
import { CancelledError, OAuthError, TokensmithError } from '../errors.js';
import type { FlowContext } from '../oauth/flow-context.js';
import type { ResolvedConnection } from '../oauth/resolve.js';
import { sendOAuthRequest } from '../oauth/send.js';
import { endpointOf } from '../oauth/server-metadata.js';
import { prepareEndpointRequest, prepareTokenRequest } from '../oauth/token-request.js';
import type { Grant } from './grant.js';
import { runPrepared } from './run.js';

/** What stands for the device code in an exported request. */
export const EXPORTED_DEVICE_CODE = '\u0000var:DEVICE_CODE\u0000';

/** RFC 8628 §3.2: the interval when the server gives none; §3.5: what slow_down adds. */
export const DEFAULT_INTERVAL_SECONDS = 5;
export const SLOW_DOWN_SECONDS = 5;

interface DeviceAuthorization {
  deviceCode: string;
  view: DeviceAuthorizationView;
  /** Milliseconds since the epoch (wall clock: the polling waits in real time). */
  deadline: number;
  exchanges: ExchangeRecord[];
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** §3.1 request, §3.2 response. */
async function authorizeDevice(
  resolved: ResolvedConnection<DeviceCodeConnection>,
  ctx: FlowContext,
): Promise<DeviceAuthorization> {
  const { conn } = resolved;
  const endpoint = await endpointOf(
    resolved,
    ctx,
    conn.deviceAuthorizationEndpoint,
    'device_authorization_endpoint',
    'Device Authorization Endpoint',
    'deviceAuthorizationEndpoint',
  );
  if (resolved.clientAuth === 'omitted')
    throw new TokensmithError('invalid_input', 'Client ID is required (RFC 8628 §3.1).', {
      field: 'client.id',
    });
  const prepared = await prepareEndpointRequest(resolved, endpoint, [], 'authorization');
  const { body, exchanges } = await sendOAuthRequest(
    resolved,
    prepared,
    ctx,
    'device_authorization',
    {
      progress: { step: 'device', message: `POST ${endpoint}` },
    },
  );
  const deviceCode = text(body.device_code);
  const userCode = text(body.user_code);
  // Google's older endpoint says verification_url; RFC 8628 says verification_uri.
  const verificationUri = text(body.verification_uri) ?? text(body.verification_url);
  if (!deviceCode || !userCode || !verificationUri) {
    const missing = ['device_code', 'user_code', 'verification_uri'].filter((m) => !text(body[m]));
    throw new TokensmithError(
      'invalid_response',
      `${endpoint} did not answer as a device authorization endpoint: ${missing.join(', ')} missing (RFC 8628 §3.2).`,
      { detail: { exchanges } },
    );
  }
  resolved.secrets.push(deviceCode);
  const expiresIn =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 600;
  const interval =
    typeof body.interval === 'number' && body.interval > 0
      ? body.interval
      : DEFAULT_INTERVAL_SECONDS;
  const deadline = Date.now() + expiresIn * 1000;
  const complete = text(body.verification_uri_complete);
  return {
    deviceCode,
    deadline,
    exchanges,
    view: {
      userCode,
      verificationUri,
      ...(complete ? { verificationUriComplete: complete } : {}),
      expiresAt: new Date(deadline).toISOString(),
      intervalSeconds: interval,
    },
  };
}

function expired(view: DeviceAuthorizationView, why: string): TokensmithError {
  return new TokensmithError(
    'authorization_expired',
    `The device code ${view.userCode} expired before it was approved (${why}): get a new code and enter it within the time shown.`,
  );
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (e) {
    if (signal?.aborted) throw new CancelledError('The device authorization was cancelled.');
    throw e;
  }
}

/** §3.4–3.5: polls until a token, a denial, expiry or cancel. */
async function poll(
  resolved: ResolvedConnection<DeviceCodeConnection>,
  device: DeviceAuthorization,
  ctx: FlowContext,
) {
  const view = { ...device.view };
  for (;;) {
    const left = device.deadline - Date.now();
    if (left <= 0) throw expired(view, 'its expires_in has passed');
    await wait(Math.min(view.intervalSeconds * 1000, left), ctx.signal);
    if (Date.now() >= device.deadline) throw expired(view, 'its expires_in has passed');
    try {
      return await runPrepared(
        resolved,
        deviceCode.prepare(resolved, { deviceCode: device.deviceCode }),
        ctx,
      );
    } catch (e) {
      if (ctx.signal?.aborted) throw new CancelledError('The device authorization was cancelled.');
      if (!(e instanceof OAuthError)) throw e;
      if (e.error === 'authorization_pending') {
        ctx.onProgress?.({
          step: 'polling',
          message: `Waiting for the code ${view.userCode} to be entered at ${view.verificationUri}`,
          url: view.verificationUriComplete ?? view.verificationUri,
          device: { ...view },
        });
      } else if (e.error === 'slow_down') {
        view.intervalSeconds += SLOW_DOWN_SECONDS;
        ctx.onProgress?.({
          step: 'polling',
          message: `The server asked to poll more slowly: every ${view.intervalSeconds} s now`,
          url: view.verificationUriComplete ?? view.verificationUri,
          device: { ...view },
        });
      } else if (e.error === 'expired_token') {
        throw expired(view, 'the server answered expired_token');
      } else if (e.error === 'access_denied') {
        throw new TokensmithError(
          'authorization_denied',
          `The device authorization was denied (access_denied): the user refused the code ${view.userCode}${e.errorDescription ? ` (${e.errorDescription})` : ''}.`,
          { detail: e.detail ?? {} },
        );
      } else {
        throw e;
      }
    }
  }
}

export const deviceCode: Grant<DeviceCodeConnection, { deviceCode: string }> = {
  // §3.4: the scope went with the device authorization request.
  prepare: (resolved, input) =>
    prepareTokenRequest(
      resolved,
      [
        ['grant_type', DEVICE_CODE_GRANT],
        ['device_code', input.deviceCode],
      ],
      'token-without-scope',
    ),
  async run(resolved, ctx) {
    const device = await authorizeDevice(resolved, ctx);
    const { view } = device;
    ctx.onProgress?.({
      step: 'device',
      message: `Open ${view.verificationUri} and enter the code ${view.userCode}`,
      url: view.verificationUriComplete ?? view.verificationUri,
      device: view,
    });
    const result = await poll(resolved, device, ctx);
    return { ...result, exchanges: [...device.exchanges, ...result.exchanges] };
  },
  exportInput: () => ({ deviceCode: EXPORTED_DEVICE_CODE }),
};
