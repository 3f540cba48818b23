/**
 * `tokensmith` as a child process against the sandbox, for the protocols beyond the seed's
 * flows: the device authorization grant (the code printed on stderr, approved through the
 * provider's device pages, denied, cancelled), token exchange chains, DPoP, pushed authorization
 * requests, certificate-bound tokens, and `introspect` / `revoke`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { approveDevice } from '../support/device-driver.js';
import { completeLogin } from '../support/login-driver.js';
import { freePort } from '../support/ports.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tokensmith.js');
let sandbox: Sandbox;
let dataDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, ...args], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

const DEVICE_LINK = /(http:\/\/127\.0\.0\.1:\d+\/device\?user_code=\S+)/;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-cli-protocols-'));
  sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
});
afterAll(() => sandbox.close());

describe('tokensmith token, device authorization (RFC 8628)', () => {
  it('prints the code and the URIs on stderr, waits for the approval, prints the token', async () => {
    let approval: Promise<unknown> | undefined;
    const run = await cli(['token', 'sandbox-device-code'], (text) => {
      const link = DEVICE_LINK.exec(text)?.[1];
      if (link && !approval) approval = approveDevice(link, 'bob');
    });
    await approval;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]{20,}$/);
    expect(run.stderr).toMatch(
      new RegExp(
        `^To sign in, open ${sandbox.server.issuer}/device on any device and enter the code:\\n  [A-Z]{4}-[A-Z]{4}\\nor open this link, which carries the code:\\n  ${sandbox.server.issuer}/device\\?user_code=[A-Z]{4}-[A-Z]{4}\\nWaiting for the approval until \\d\\d:\\d\\d \\(Ctrl\\+C cancels\\)…`,
      ),
    );
    const api = await fetch(sandbox.server.apiUrl, {
      headers: { authorization: `Bearer ${run.stdout}` },
    });
    expect(await api.json()).toMatchObject({ sub: 'bob' });
  }, 30_000);

  it('a denied code exits 7 with the reason', async () => {
    let denial: Promise<unknown> | undefined;
    const run = await cli(['token', 'sandbox-device-code', '--no-cache'], (text) => {
      const link = DEVICE_LINK.exec(text)?.[1];
      if (link && !denial) denial = approveDevice(link, 'bob', { deny: true });
    });
    await denial;
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(
      /tokensmith: The device authorization was denied \(access_denied\): the user refused the code [A-Z]{4}-[A-Z]{4}/,
    );
  }, 30_000);

  it('Ctrl+C while waiting cancels with exit code 130', async () => {
    let sent = false;
    const run = await cli(['token', 'sandbox-device-code', '--no-cache'], (text, child) => {
      if (!sent && text.includes('Waiting for the approval')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('tokensmith: The device authorization was cancelled.');
  });
});

describe('tokensmith token and call: token exchange, DPoP, PAR, certificate-bound tokens', () => {
  it('a chained exchange lists its hops; the API sees act', async () => {
    const run = await cli(['token', 'sandbox-token-exchange-chained', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      issuedTokenType: string;
      chain: Array<{ connection?: string; role: string; claims?: Record<string, unknown> }>;
      token: string;
    };
    expect(result.issuedTokenType).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(result.chain.map((h) => [h.connection, h.role])).toEqual([
      ['sandbox-password', 'subject'],
      ['sandbox-client-credentials', 'actor'],
      ['sandbox-token-exchange', 'subject'],
      ['sandbox-token-exchange-chained', 'issued'],
    ]);
    expect(result.chain[2]?.claims).toMatchObject({ sub: 'alice', act: { sub: 'cc-basic' } });
    expect(decodeJwt(result.token)).toMatchObject({
      sub: 'alice',
      aud: 'https://reports.sandbox.test',
    });
    const plain = await cli(['token', 'sandbox-token-exchange']);
    expect(plain.stderr.split('\n')).toEqual([
      'Getting the token of "sandbox-password"',
      'Getting the token of "sandbox-client-credentials"',
      expect.stringMatching(
        /^Bearer from the cache, expires in \d+ min \(issued_token_type urn:ietf:params:oauth:token-type:access_token\)\.$/,
      ),
    ]);
    const call = await cli(['call', 'sandbox-token-exchange', sandbox.server.apiUrl]);
    expect(call.code).toBe(0);
    expect(JSON.parse(call.stdout)).toMatchObject({ sub: 'alice', act: { sub: 'cc-basic' } });
  });

  it('DPoP: a bound token, checked; call sends DPoP with a proof, also where the API wants a nonce', async () => {
    const run = await cli(['token', 'sandbox-dpop']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^DPoP from the authorization server, expires in 60 min\.\ncheck: cnf\.jkt matches the DPoP proof key \(by introspection\)\.$/,
    );
    const call = await cli(['call', 'sandbox-dpop', sandbox.server.apiUrl, '--json']);
    expect(call.code).toBe(0);
    const view = JSON.parse(call.stdout) as { authorizationScheme: string; body: string };
    expect(view.authorizationScheme).toBe('DPoP');
    expect(JSON.parse(view.body)).toMatchObject({ token_type: 'DPoP', client_id: 'dpop-client' });
    const nonce = await cli(['call', 'sandbox-dpop-nonce', sandbox.server.nonceApiUrl]);
    expect(nonce.code, nonce.stderr).toBe(0);
    expect(nonce.stderr).toMatch(/^HTTP 200 in/);
  });

  it('PAR: the browser URL carries only client_id and request_uri', async () => {
    let login: Promise<unknown> | undefined;
    let url = '';
    const run = await cli(['token', 'sandbox-par', '--json', '--no-browser'], (text) => {
      url = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(text)?.[1] ?? '';
      if (url && !login) login = completeLogin(url, 'carol');
    });
    await login;
    expect(run.code, run.stderr).toBe(0);
    expect([...new URL(url).searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const result = JSON.parse(run.stdout) as { exchanges: Array<{ label: string }> };
    expect(result.exchanges.map((e) => e.label)).toEqual(['pushed_authorization', 'token']);
  });

  it('certificate-bound: the token checked against the client certificate, and call presents it', async () => {
    const run = await cli(['token', 'sandbox-certificate-bound', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { bindings: Array<{ kind: string; ok: boolean }> };
    expect(result.bindings).toEqual([expect.objectContaining({ kind: 'mtls', ok: true })]);
    const call = await cli(['call', 'sandbox-certificate-bound', sandbox.tlsServer.apiUrl]);
    expect(call.code, call.stderr).toBe(0);
    expect(JSON.parse(call.stdout)).toMatchObject({
      client_id: 'mtls-bound',
      cnf: { 'x5t#S256': expect.any(String) },
    });
  });
});

describe('tokensmith introspect and revoke', () => {
  it('introspect prints what the server says; revoke clears the cache; the next call gets a new token', async () => {
    const token = await cli(['token', 'sandbox-client-credentials']);
    expect(token.code).toBe(0);
    const active = await cli(['introspect', 'sandbox-client-credentials']);
    expect(active.code, active.stderr).toBe(0);
    expect(JSON.parse(active.stdout)).toMatchObject({ active: true, client_id: 'cc-basic' });
    expect(active.stderr).toBe('The access token is active.');

    const revoked = await cli(['revoke', 'sandbox-client-credentials']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toBe(
      'Revoked the access token of "sandbox-client-credentials"; its cached token was cleared.',
    );
    const old = await fetch(sandbox.server.apiUrl, {
      headers: { authorization: `Bearer ${token.stdout}` },
    });
    expect(old.status).toBe(401);

    const nothing = await cli(['introspect', 'sandbox-client-credentials']);
    expect(nothing.code).toBe(3);
    expect(nothing.stderr).toBe(
      'tokensmith: There is no current token of "sandbox-client-credentials" to introspect: get one first (Generate Access Token, or tokensmith token sandbox-client-credentials).',
    );
    const call = await cli(['call', 'sandbox-client-credentials', sandbox.server.apiUrl]);
    expect(call.code).toBe(0);
  });

  it('the refresh token of a password connection; a bad hint is a usage error', async () => {
    expect((await cli(['token', 'sandbox-password'])).code).toBe(0);
    const refresh = await cli([
      'introspect',
      'sandbox-password',
      '--token-type-hint',
      'refresh_token',
      '--json',
    ]);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(JSON.parse(refresh.stdout)).toMatchObject({
      active: true,
      tokenTypeHint: 'refresh_token',
    });
    for (const command of ['introspect', 'revoke']) {
      const help = await cli([command, '--help']);
      expect(help.stdout).toMatch(new RegExp(`^Usage: tokensmith ${command} <connection>`));
    }
    const bad = await cli(['revoke', 'sandbox-password', '--token-type-hint', 'id_token']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tokensmith: --token-type-hint is access_token or refresh_token\./);
  });
});
