/** RFC 8252 loopback redirect: one callback, state checked, errors, timeout, cancel, port released. */
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { Agent, request } from 'undici';
import {
  MISSING_STATE_NOTICE,
  WRONG_STATE_NOTICE,
  startLoopbackRedirect,
  type LoopbackOptions,
} from '../../../electron/core/oauth/loopback-redirect.js';
import { TokensmithError } from '../../../electron/core/errors.js';

const base: LoopbackOptions = {
  host: '127.0.0.1',
  port: 0,
  path: '/callback',
  https: false,
  timeoutMs: 5000,
  state: 'expected-state',
};

async function settle(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => v,
    (e: unknown) => e,
  );
}

async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
      .once('error', () => resolve(false))
      .listen(port, host, () => s.close(() => resolve(true)));
  });
}

describe('loopback redirect', () => {
  it('takes the callback with the right state, answers the browser, and closes its port', async () => {
    const lb = await startLoopbackRedirect(base);
    expect(lb.redirectUri).toBe(`http://127.0.0.1:${lb.port}/callback`);
    const res = await fetch(
      `${lb.redirectUri}?code=abc&state=expected-state&iss=https%3A%2F%2Fidp.test`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You can close this window');
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expect(lb.callback).resolves.toMatchObject({
      code: 'abc',
      params: { iss: 'https://idp.test' },
    });
    await lb.close();
    expect(await portIsFree(lb.port)).toBe(true);
  });

  it('writes nothing to the console or the process output: no code, no state', async () => {
    const written: string[] = [];
    const restore: Array<() => void> = [];
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = original));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method];
      console[method] = (...args: unknown[]) => void written.push(args.map(String).join(' '));
      restore.push(() => (console[method] = original));
    }
    try {
      const lb = await startLoopbackRedirect(base);
      await fetch(`${lb.redirectUri}?code=secret-code-4471&state=expected-state`);
      await lb.callback;
      const bad = await startLoopbackRedirect({ ...base, timeoutMs: 200 });
      await fetch(`${bad.redirectUri}?code=other-code-5582&state=forged`);
      await settle(bad.callback);
    } finally {
      for (const r of restore) r();
    }
    const all = written.join('\n');
    expect(all).not.toContain('secret-code-4471');
    expect(all).not.toContain('other-code-5582');
    expect(all).not.toContain('expected-state');
  });

  it('listens on 127.0.0.1 only', async () => {
    const lb = await startLoopbackRedirect(base);
    const other = await fetch(`http://[::1]:${lb.port}/callback`).then(
      () => 'reachable',
      () => 'refused',
    );
    expect(other).toBe('refused');
    await lb.close();
  });

  it('ignores other paths and methods', async () => {
    const lb = await startLoopbackRedirect(base);
    expect((await fetch(`http://127.0.0.1:${lb.port}/favicon.ico`)).status).toBe(404);
    expect(
      (await fetch(`${lb.redirectUri}?code=a&state=expected-state`, { method: 'POST' })).status,
    ).toBe(404);
    await fetch(`${lb.redirectUri}?code=ok&state=expected-state`);
    await expect(lb.callback).resolves.toMatchObject({ code: 'ok' });
  });

  it.each([
    [
      'access_denied',
      '?error=access_denied&error_description=User%20said%20no&state=expected-state',
      'authorization_denied',
      /access_denied: User said no/,
    ],
    [
      'another OAuth error',
      '?error=invalid_scope&state=expected-state',
      'oauth_error',
      /invalid_scope/,
    ],
    ['no code', '?state=expected-state', 'invalid_response', /no code/],
    [
      'a repeated code',
      '?code=a&code=b&state=expected-state',
      'invalid_response',
      /repeats the code parameter/,
    ],
  ])('%s is refused with a clear message', async (_label, query, code, message) => {
    const lb = await startLoopbackRedirect(base);
    const res = await fetch(`${lb.redirectUri}${query}`);
    expect(await res.text()).toMatch(/Sign-in (failed|not accepted)/);
    const e = (await settle(lb.callback)) as TokensmithError;
    expect(e).toBeInstanceOf(TokensmithError);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(await portIsFree(lb.port)).toBe(true);
  });

  it('times out and releases the port', async () => {
    const lb = await startLoopbackRedirect({ ...base, timeoutMs: 200 });
    const e = (await settle(lb.callback)) as TokensmithError;
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/No sign-in arrived within 0 s|No sign-in arrived/);
    expect(await portIsFree(lb.port)).toBe(true);
  });

  it('is cancellable, releases the port and leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const controller = new AbortController();
    const lb = await startLoopbackRedirect({
      ...base,
      timeoutMs: 300_000,
      signal: controller.signal,
    });
    expect(timers()).toBe(before + 1);
    controller.abort();
    const e = (await settle(lb.callback)) as TokensmithError;
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('The sign-in was cancelled.');
    expect(await portIsFree(lb.port)).toBe(true);
    expect(timers()).toBe(before);
  });

  it('a port in use is port_in_use, naming the port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const e = (await settle(startLoopbackRedirect({ ...base, port }))) as TokensmithError;
    blocker.close();
    expect(e.code).toBe('port_in_use');
    expect(e.message).toContain(`Port ${port} on 127.0.0.1 is in use`);
    expect(e.field).toBe('redirect.port');
  });

  it('serves HTTPS with a generated self-signed certificate', async () => {
    const lb = await startLoopbackRedirect({ ...base, https: true, host: 'localhost' });
    expect(lb.redirectUri).toMatch(/^https:\/\/localhost:\d+\/callback$/);
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    const res = await request(
      `https://127.0.0.1:${lb.port}/callback?code=tls&state=expected-state`,
      { dispatcher },
    );
    expect(res.statusCode).toBe(200);
    await res.body.text();
    await expect(lb.callback).resolves.toMatchObject({ code: 'tls' });
    await dispatcher.close();
  });

  it('callbacks with a wrong, missing or repeated state are answered, ignored and logged; the right one still signs in', async () => {
    const notices: string[] = [];
    const lb = await startLoopbackRedirect({ ...base, onNotice: (m) => notices.push(m) });
    for (const query of [
      '?code=forged&state=forged',
      '?error=access_denied&state=forged',
      '?code=forged',
      '?code=forged&state=expected-state&state=expected-state',
    ]) {
      const res = await fetch(`${lb.redirectUri}${query}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('it was ignored');
    }
    expect(notices).toEqual([
      WRONG_STATE_NOTICE,
      WRONG_STATE_NOTICE,
      MISSING_STATE_NOTICE,
      WRONG_STATE_NOTICE,
    ]);
    expect(
      await Promise.race([
        settle(lb.callback),
        new Promise((r) => setTimeout(() => r('waiting'), 50)),
      ]),
    ).toBe('waiting');
    const res = await fetch(`${lb.redirectUri}?code=genuine&state=expected-state`);
    expect(res.status).toBe(200);
    await expect(lb.callback).resolves.toMatchObject({ code: 'genuine' });
    expect(await portIsFree(lb.port)).toBe(true);
  });

  it('a wrong state alone leaves the sign-in waiting until its timeout', async () => {
    const lb = await startLoopbackRedirect({ ...base, timeoutMs: 300 });
    expect((await fetch(`${lb.redirectUri}?code=x&state=forged`)).status).toBe(400);
    const e = (await settle(lb.callback)) as TokensmithError;
    expect(e.code).toBe('timeout');
    expect(await portIsFree(lb.port)).toBe(true);
  });

  it('localhost listens on 127.0.0.1 and [::1], same port; either address reaches it', async () => {
    const notices: string[] = [];
    const lb = await startLoopbackRedirect({
      ...base,
      host: 'localhost',
      onNotice: (m) => notices.push(m),
    });
    expect(lb.addresses).toEqual(['127.0.0.1', '::1']);
    expect(lb.redirectUri).toBe(`http://localhost:${lb.port}/callback`);
    expect(notices).toEqual([]);
    // Nobody else can take either family of the port now.
    expect(await portIsFree(lb.port, '127.0.0.1')).toBe(false);
    expect(await portIsFree(lb.port, '::1')).toBe(false);
    const v6 = await fetch(`http://[::1]:${lb.port}/callback?code=x&state=forged`);
    expect(v6.status).toBe(400);
    const v4 = await fetch(`http://127.0.0.1:${lb.port}/callback?code=via-v4&state=expected-state`);
    expect(v4.status).toBe(200);
    await expect(lb.callback).resolves.toMatchObject({ code: 'via-v4' });
    expect(await portIsFree(lb.port, '127.0.0.1')).toBe(true);
    expect(await portIsFree(lb.port, '::1')).toBe(true);
  });

  it('localhost: a callback through [::1] signs in too', async () => {
    const lb = await startLoopbackRedirect({ ...base, host: 'localhost' });
    const res = await fetch(`http://[::1]:${lb.port}/callback?code=via-v6&state=expected-state`);
    expect(res.status).toBe(200);
    await expect(lb.callback).resolves.toMatchObject({ code: 'via-v6' });
  });

  it('localhost on a fixed port whose [::1] side another program holds is port_in_use, naming [::1]', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '::1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const e = (await settle(
        startLoopbackRedirect({ ...base, host: 'localhost', port }),
      )) as TokensmithError;
      expect(e.code).toBe('port_in_use');
      expect(e.message).toContain(`Port ${port} on [::1] is in use`);
      // The 127.0.0.1 side it had taken is released again.
      expect(await portIsFree(port, '127.0.0.1')).toBe(true);
    } finally {
      blocker.close();
    }
  });
});
