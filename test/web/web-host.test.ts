/** Browser mode's host: the per-launch token, the Host check, the contract over HTTP, masking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { openWorkspace } from '../../electron/core/workspace.js';
import { createAppService, type AppService } from '../../electron/core/app-service.js';
import { startWebHost, CONTENT_SECURITY_POLICY, type WebHost } from '../../web/server.js';
import { SECRET_MASK } from '../../shared/contract.js';

let host: WebHost;
let workspace: Awaited<ReturnType<typeof openWorkspace>>;
let service: AppService;
let base: string;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-web-'));
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tokensmith</title>');
  workspace = await openWorkspace(dataDir, {});
  service = createAppService({
    workspace,
    env: {},
    mode: 'browser',
    version: 'test',
    emit: (e) => host.emit(e),
  });
  host = await startWebHost({ dispatch: service.dispatch, staticDir });
  base = `http://127.0.0.1:${host.port}`;
});
afterAll(async () => {
  await host.close();
  await service.close();
});

const post = async (
  channel: string,
  body: unknown,
  headers: Record<string, string> = { 'x-tokensmith-token': host.token },
) => {
  const res = await request(`${base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    body: (await res.body.json()) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string; field?: string };
    },
  };
};

describe('browser-mode host', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses API requests without the token or with a wrong one', async () => {
    expect((await post('connections:list', {}, {})).status).toBe(401);
    expect(
      (await post('connections:list', {}, { 'x-tokensmith-token': 'x'.repeat(32) })).status,
    ).toBe(401);
    expect((await post('connections:list', {})).body).toEqual({ ok: true, value: [] });
  });

  it('refuses another Host (DNS rebinding) and another Origin', async () => {
    const rebinding = await request(`${base}/api/connections:list`, {
      method: 'POST',
      headers: { host: `evil.test:${host.port}`, 'x-tokensmith-token': host.token },
      body: '{}',
    });
    expect(rebinding.statusCode).toBe(421);
    await rebinding.body.dump();
    const cross = await post(
      'connections:list',
      {},
      { 'x-tokensmith-token': host.token, origin: 'http://evil.test' },
    );
    expect(cross.status).toBe(403);
  });

  it('serves the page with a strict CSP', async () => {
    const res = await request(`${base}/`);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(await res.body.text()).toContain('<title>Tokensmith</title>');
  });

  it('validates requests with the contract and names the field', async () => {
    const res = await post('connections:save', {
      connection: { id: 'a', name: 'x', type: 'client_credentials', tokenEndpoint: 'nope' },
    });
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatchObject({
      code: 'invalid_input',
      field: 'tokenEndpoint',
      message: 'tokenEndpoint: Enter an absolute http:// or https:// URL',
    });
    expect((await post('no:such', {})).body.error?.code).toBe('not_found');
  });

  it('sends secrets to the page masked and keeps them when the mask comes back', async () => {
    const saved = await post('connections:save', {
      connection: {
        id: 'c1',
        name: 'graph',
        type: 'client_credentials',
        tokenEndpoint: 'https://a.test/token',
        client: { id: 'app', secret: 'the-real-secret' },
      },
    });
    expect((saved.body.value as { client: { secret: string } }).client.secret).toBe(SECRET_MASK);
    const got = (await post('connections:get', { id: 'c1' })).body.value as {
      client: { secret: string };
      params: { scope: string };
    };
    expect(got.client.secret).toBe(SECRET_MASK);
    await post('connections:save', {
      connection: { ...got, params: { ...got.params, scope: 'changed' } },
    });
    const doc = await workspace.store.read();
    expect(doc.connections[0]?.client.secret).toBe('the-real-secret');
    expect(doc.connections[0]?.params.scope).toBe('changed');
  });

  it("pushes the contract's events to open pages as named Server-Sent Events", async () => {
    const res = await request(`${base}/api/events?token=${host.token}`);
    expect(res.headers['content-type']).toBe('text/event-stream');
    const stream = res.body[Symbol.asyncIterator]();
    let text = ((await stream.next()).value as Buffer).toString(); // ": connected"
    /** Reads the stream up to the progress event of `requestId` (bounded). */
    const readUntil = async (requestId: string) => {
      for (let i = 0; i < 20 && !text.includes(`"requestId":"${requestId}"`); i++)
        text += ((await stream.next()).value as Buffer).toString();
    };
    const progress = (requestId: string) => ({
      requestId,
      progress: { step: 'token_request' as const, message: 'POST x' },
    });
    host.emit(progress('r1'));
    // An import through the API tells every open page (another tab may show the list)...
    const imported = await post('transfer:import', {
      content: JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [
          {
            id: 'from-file',
            name: 'from file',
            type: 'client_credentials',
            tokenEndpoint: 'https://a.test/token',
            client: { id: 'app' },
          },
        ],
      }),
    });
    expect(imported.body.ok).toBe(true);
    // ...a refused one tells no one.
    expect((await post('transfer:import', { content: '{}' })).body.ok).toBe(false);
    host.emit(progress('r2'));
    await readUntil('r2');
    res.body.destroy();
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => {
        const [name, data] = block.split('\n');
        return {
          name: name?.slice('event: '.length),
          data: JSON.parse(data!.slice('data: '.length)) as unknown,
        };
      });
    expect(events).toEqual([
      { name: 'tokens:progress', data: progress('r1') },
      { name: 'connections:changed', data: { reason: 'import' } },
      { name: 'tokens:progress', data: progress('r2') },
    ]);
  });
});
