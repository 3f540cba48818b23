/**
 * The sandbox's device authorization grant (RFC 8628) on oidc-provider's `features.deviceFlow`:
 * its user-code pages (sandbox-styled, same forms), the `interval` it advertises (§3.2; oidc-
 * provider sends none, so a post-middleware adds it), and polling discipline (§3.5): a poll that
 * comes sooner than the interval is answered `slow_down` and the interval for that code grows by
 * 5 seconds. The client `device-busy` plays a server under load: its first poll gets slow_down.
 */
import type { ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { DEVICE_CODE_GRANT } from './constants.js';
import { DEVICE_BUSY_CLIENT } from './demo-clients.js';

/** RFC 8628 §3.5. */
const SLOW_DOWN_SECONDS = 5;
/** Timers fire a little late or early; a poll this close to the interval is in time. */
const TOLERANCE_MS = 250;

const page = (title: string, body: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28em;margin:3em auto}code{font-size:1.6em}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;

/** `features.deviceFlow` of the sandbox's provider configuration. */
export const deviceFlowFeature = {
  enabled: true,
  charset: 'base-20' as const,
  mask: '****-****',
  async userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out?: unknown, err?: Error) {
    const message = err
      ? '<p role="alert">That code was not accepted (wrong, expired or used). Try again.</p>'
      : '<p>Enter the code shown by Tokensmith.</p>';
    ctx.body = page(
      'Sandbox device sign-in',
      `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
    );
  },
  async userCodeConfirmSource(
    ctx: KoaContextWithOIDC,
    form: string,
    client: { clientId: string },
    _deviceInfo: unknown,
    userCode: string,
  ) {
    ctx.body = page(
      'Confirm the device',
      `<p><strong>${client.clientId}</strong> asks to sign in with the code</p><p><code>${userCode}</code></p>${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Deny</button>`,
    );
  },
  async successSource(ctx: KoaContextWithOIDC) {
    ctx.body = page('Sign-in Success', '<p>The device is signed in; you can close this page.</p>');
  },
};

/** Adds `interval` to every device authorization response (oidc-provider sends none). */
export function advertiseInterval(provider: Provider, intervalSeconds: number): void {
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200 && body?.device_code)
      body.interval = intervalSeconds;
  });
}

/** §3.5: remembers each device code's last poll and its interval. */
export class DevicePolling {
  readonly #last = new Map<string, { at: number; interval: number }>();
  constructor(readonly intervalSeconds: number) {}

  /** Answers a token request that polls too early with slow_down; true when it did. */
  slowDown(form: URLSearchParams, res: ServerResponse, now = Date.now()): boolean {
    if (form.get('grant_type') !== DEVICE_CODE_GRANT) return false;
    for (const [code, last] of this.#last) if (now - last.at > 3600_000) this.#last.delete(code);
    const code = form.get('device_code') ?? '';
    const last = this.#last.get(code);
    let early: boolean;
    if (!last) {
      early = form.get('client_id') === DEVICE_BUSY_CLIENT;
      this.#last.set(code, {
        at: now,
        interval: this.intervalSeconds + (early ? SLOW_DOWN_SECONDS : 0),
      });
    } else {
      early = now - last.at < last.interval * 1000 - TOLERANCE_MS;
      if (early) last.interval += SLOW_DOWN_SECONDS;
      last.at = now;
    }
    if (early) {
      res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(
        JSON.stringify({
          error: 'slow_down',
          error_description: 'polling too quickly: wait 5 more seconds between requests',
        }),
      );
    }
    return early;
  }
}
