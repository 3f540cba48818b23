/**
 * The `tokensmith` CLI end to end, as a child process, against the sandbox: every demo
 * connection (Authorization Code through its login form), the cache, export/import, exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET } from '../../sandbox/authorization-server.js';
import { completeLogin } from '../support/login-driver.js';
import { fixtures, opensslThumbprint } from '../support/fixtures.js';
import { runBash } from '../support/shell.js';
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
  options: {
    env?: Record<string, string>;
    onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

function importFile(connections: unknown[]): string {
  const path = join(dataDir, `import-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({ format: 'tokensmith.connections', version: 1, connections }),
  );
  return path;
}

let jwkPort: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-cli-'));
  jwkPort = await freePort();
  sandbox = await startSandbox({ dataDir, port: 0, jwkPort });
});
afterAll(() => sandbox.close());

describe('tokensmith token, for every demo connection', () => {
  it.each([
    'sandbox-client-credentials',
    'sandbox-client-secret-post',
    'sandbox-private-key-jwt',
    'sandbox-password',
    'sandbox-jwt-bearer',
    'sandbox-client-assertion',
  ])('%s prints a token the demo API accepts, then serves it from the cache', async (name) => {
    const first = await cli(['token', name]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^[\w-]{20,}$/);
    expect(first.stderr).toMatch(/^Bearer from the authorization server, expires in 60 min\.$/);
    const api = await fetch(sandbox.server.apiUrl, {
      headers: { authorization: `Bearer ${first.stdout}` },
    });
    expect(api.status).toBe(200);

    const requests = sandbox.server.tokenRequests().length;
    const second = await cli(['token', name, '--json']);
    expect(second.code).toBe(0);
    const json = JSON.parse(second.stdout) as { source: string; token: string };
    expect(json.source).toBe('cache');
    expect(json.token).toBe(first.stdout);
    expect(sandbox.server.tokenRequests().length).toBe(requests);
  });

  it('sandbox-authorization-code prints the URL, waits for the loopback callback, then the token', async () => {
    let login: Promise<unknown> | undefined;
    const run = await cli(['token', 'sandbox-authorization-code', '--json', '--no-browser'], {
      onStderr: (text) => {
        const url = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(text)?.[1];
        if (url && !login) login = completeLogin(url, 'bob');
      },
    });
    await login;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Sign in to continue. Open this URL in a browser:');
    const json = JSON.parse(run.stdout) as {
      source: string;
      idToken: string;
      refreshToken: string;
      exchanges: Array<{ request: { body: string } }>;
    };
    expect(json.source).toBe('network');
    expect(decodeJwt(json.idToken).sub).toBe('bob');
    expect(json.refreshToken).toBeTruthy();
    expect(json.exchanges[0]?.request.body).toMatch(/code_verifier=••••••(&|$)/);
  });

  it('Ctrl+C while waiting for the sign-in cancels with exit code 130', async () => {
    let sent = false;
    const run = await cli(['token', 'sandbox-authorization-code', '--no-cache', '--no-browser'], {
      onStderr: (text, child) => {
        if (!sent && text.includes('Waiting for the sign-in')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('tokensmith: The sign-in was cancelled.');
  });
});

describe('other commands', () => {
  it('list', async () => {
    const run = await cli(['list']);
    expect(run.code).toBe(0);
    // The whole output; only the sandbox's ports vary from run to run.
    const { port } = new URL(sandbox.server.tokenEndpoint);
    const normalised = run.stdout
      .replaceAll(`127.0.0.1:${port}/`, '127.0.0.1:<port>/')
      .replace(/https:\/\/127\.0\.0\.1:\d+\//, 'https://127.0.0.1:<tls-port>/');
    expect(normalised.split('\n')).toEqual([
      'sandbox-client-credentials      OAuth 2.0 Client Credentials  http://127.0.0.1:<port>/token',
      'sandbox-client-secret-post      OAuth 2.0 Client Credentials  http://127.0.0.1:<port>/token',
      'sandbox-private-key-jwt         OAuth 2.0 Client Credentials  http://127.0.0.1:<port>/token',
      'sandbox-password                OAuth 2.0 Password (Resource Owner)  http://127.0.0.1:<port>/token',
      'sandbox-jwt-bearer              OAuth 2.0 JWT Flow  http://127.0.0.1:<port>/token',
      'sandbox-client-assertion        OAuth v2.0 (JWT Client Assertion)  http://127.0.0.1:<port>/token',
      'sandbox-authorization-code      OAuth 2.0 Authorization Code Flow  http://127.0.0.1:<port>/token',
      'sandbox-zos-combined            OAuth 2.0 Password (Resource Owner)  http://127.0.0.1:<port>/token',
      'sandbox-zos-jwk                 OAuth 2.0 Client Credentials  http://127.0.0.1:<port>/token',
      'sandbox-api-gateway-jwt         JWT (API Gateway)  http://127.0.0.1:<port>/rest/pub/apigateway/jwt/getJsonWebToken',
      'sandbox-device-code             OAuth 2.0 Device Authorization  http://127.0.0.1:<port>/token',
      'sandbox-token-exchange          OAuth 2.0 Token Exchange  http://127.0.0.1:<port>/token',
      'sandbox-token-exchange-chained  OAuth 2.0 Token Exchange  http://127.0.0.1:<port>/token',
      'sandbox-dpop                    OAuth 2.0 Client Credentials  http://127.0.0.1:<port>/token',
      'sandbox-dpop-nonce              OAuth 2.0 Client Credentials  http://127.0.0.1:<port>/token',
      'sandbox-par                     OAuth 2.0 Authorization Code Flow  http://127.0.0.1:<port>/token',
      'sandbox-certificate-bound       OAuth 2.0 Client Credentials  https://127.0.0.1:<tls-port>/token',
    ]);
  });

  it('assertion + jwt decode', async () => {
    const run = await cli(['assertion', 'sandbox-client-assertion']);
    expect(run.code).toBe(0);
    const decoded = await cli(['jwt', 'decode', run.stdout]);
    const json = JSON.parse(decoded.stdout) as {
      header: Record<string, string>;
      payload: Record<string, unknown>;
      times: Record<string, string>;
    };
    expect(json.header.x5t).toBe(opensslThumbprint(sandbox.keystorePath, 'sha1').base64url);
    expect(json.payload).toMatchObject({
      sub: 'cc-private-key-jwt',
      aud: sandbox.server.tokenEndpoint,
    });
    expect(json.times.exp).toMatch(/^\d{4}-/);
  });

  it('jwt verify: JWKS URI, certificate (PEM, DER), PEM key, shared secret; refusals exit 3', async () => {
    const f = await fixtures();
    const rsa = createPrivateKey(f.text('rsa.key'));
    const now = Math.floor(Date.now() / 1000);
    const sign = (key: Parameters<SignJWT['sign']>[0], alg: string, claims = {}) =>
      new SignJWT({ aud: 'my-api', exp: now + 300, ...claims })
        .setProtectedHeader({ alg })
        .setIssuer('https://issuer.example')
        .sign(key);
    const token = await sign(rsa, 'RS256');
    const pub = join(dataDir, 'verify-pub.pem');
    writeFileSync(pub, createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string);
    const ok = async (args: string[], env: Record<string, string> = {}) => {
      const run = await cli(['jwt', 'verify', ...args], { env });
      return [run.code, run.stderr] as const;
    };
    for (const key of [
      ['--cert', f.path('rsa.crt')],
      ['--cert', f.path('rsa.der')],
      ['--key', pub],
    ]) {
      expect(await ok([token, ...key, '--audience', 'my-api'])).toEqual([0, 'The JWT is valid.']);
    }
    const hs = await sign(new TextEncoder().encode('s3cret-s3cret-s3cret-s3cret-s3cret'), 'HS256');
    expect(
      await ok([hs, '--secret-env', 'S'], { S: 's3cret-s3cret-s3cret-s3cret-s3cret' }),
    ).toEqual([0, 'The JWT is valid.']);
    // The sandbox's API Gateway JWT, checked with its issuer's JWKS URI.
    const gateway = await cli(['token', 'sandbox-api-gateway-jwt']);
    expect(gateway.code, gateway.stderr).toBe(0);
    const jwks = ['--jwks-uri', sandbox.server.apiGateway.jwksUrl];
    const checked = await cli([
      'jwt',
      'verify',
      gateway.stdout,
      ...jwks,
      '--issuer',
      sandbox.server.apiGateway.issuer,
      '--json',
    ]);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ valid: true });
    // Refusals: wrong key, wrong audience, expired, alg none.
    expect((await ok([token, '--cert', f.path('ec.crt')]))[0]).toBe(3);
    const audience = await cli(['jwt', 'verify', gateway.stdout, ...jwks, '--audience', 'other']);
    expect([audience.code, audience.stdout]).toEqual([
      3,
      expect.stringMatching(/FAIL {2}aud: aud is/),
    ]);
    expect((await ok([await sign(rsa, 'RS256', { exp: now - 600 }), '--key', pub]))[0]).toBe(3);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    const unsigned = await cli(['jwt', 'verify', none, '--key', pub]);
    expect([unsigned.code, unsigned.stdout]).toEqual([
      3,
      expect.stringMatching(/FAIL {2}signature: .*alg is none/),
    ]);
    expect((await cli(['jwt', 'verify', token])).code).toBe(2);
  }, 90_000);

  it('a JWT connection: token prints the issuer’s JWT, call sends it as Authorization: Bearer', async () => {
    const token = await cli(['token', 'sandbox-api-gateway-jwt', '--no-cache']);
    expect(token.code, token.stderr).toBe(0);
    expect(decodeJwt(token.stdout)).toMatchObject({ sub: 'alice' });
    const call = await cli(['call', 'sandbox-api-gateway-jwt', sandbox.server.apiGateway.apiUrl]);
    expect(call.code, call.stderr).toBe(0);
    expect(JSON.parse(call.stdout)).toMatchObject({ sub: 'alice', aud: 'sandbox-gateway-api' });
  });

  it('x5t equals openssl', async () => {
    const run = await cli(['x5t', sandbox.keystorePath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `x5t       ${opensslThumbprint(sandbox.keystorePath, 'sha1').base64url}\nx5t#S256  ${opensslThumbprint(sandbox.keystorePath, 'sha256').base64url}`,
    );
  });

  it('cache list and cache clear, one connection or all', async () => {
    await cli(['token', 'sandbox-client-credentials']);
    const list = await cli(['cache', 'list', '--json']);
    const rows = JSON.parse(list.stdout) as Array<{ connection: string; secondsLeft: number }>;
    expect(
      rows.find((r) => r.connection === 'sandbox-client-credentials')?.secondsLeft,
    ).toBeGreaterThan(3000);
    expect((await cli(['cache', 'clear', 'sandbox-client-credentials'])).stderr).toBe(
      'Cleared 1 cached token of "sandbox-client-credentials".',
    );
    const after = JSON.parse((await cli(['cache', 'list', '--json'])).stdout) as Array<{
      connection: string;
    }>;
    expect(after.some((r) => r.connection === 'sandbox-client-credentials')).toBe(false);
    expect((await cli(['cache', 'clear'])).stderr).toMatch(/^Cleared \d+ cached tokens?\.$/);
    expect((await cli(['cache', 'list'])).stderr).toBe('The token cache is empty.');
  });

  it('call --no-cache neither uses nor stores a cached token, like token --no-cache', async () => {
    const name = 'sandbox-client-credentials';
    // A cached token the calls must not use.
    expect((await cli(['token', name])).code).toBe(0);
    const cacheFile = join(dataDir, 'token-cache.json');
    const cacheBefore = readFileSync(cacheFile, 'utf8');
    const tokenRequests = sandbox.server.tokenRequests().length;
    const apiRequests = sandbox.server.received.length;
    for (let i = 0; i < 2; i++) {
      const run = await cli(['call', name, sandbox.server.apiUrl, '--no-cache', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 200, tokenSource: 'network' });
    }
    expect(sandbox.server.tokenRequests().length).toBe(tokenRequests + 2);
    const bearers = sandbox.server.received
      .slice(apiRequests)
      .filter((r) => r.path.startsWith('/api/whoami'))
      .map((r) => r.headers.authorization);
    expect(bearers).toHaveLength(2);
    expect(bearers[0]).not.toBe(bearers[1]);
    // Nothing stored: the cache file is byte for byte what it was (a rewrite re-seals it).
    expect(existsSync(cacheFile) && readFileSync(cacheFile, 'utf8')).toBe(cacheBefore);
    expect((await cli(['help', 'call'])).stdout).toMatch(/--no-cache/);
  });

  it('export with a passphrase (over an existing 0644 file, which ends up 0600), import into a fresh data folder, and get a token there', async () => {
    const file = join(dataDir, 'export.json');
    writeFileSync(file, 'old content', { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const exported = await cli(
      [
        'export',
        'sandbox-private-key-jwt',
        'sandbox-password',
        '--passphrase-env',
        'PASS',
        '-o',
        file,
      ],
      { env: { PASS: 'correct horse battery staple' } },
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      format: 'tokensmith.connections',
    });
    const other = mkdtempSync(join(tmpdir(), 'tokensmith-cli-import-'));
    const imported = await new Promise<Run>((resolve) => {
      const child = spawn(
        process.execPath,
        [bin, '--data-dir', other, 'import', file, '--passphrase-env', 'PASS', '--allow-bind'],
        { env: { PATH: process.env.PATH ?? '', PASS: 'correct horse battery staple' } },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout: '', stderr }));
    });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      'Imported 2 connection(s), 1 keystore(s), 0 proxy alias(es).',
    );
    // The file's keystore reads a file on this machine: confirmed by --allow-bind, and said so.
    expect(imported.stderr).toMatch(
      /Confirmed:\n {2}- file \S+demo-signing\.pem: read as the file of keystore "sandbox-demo"\./,
    );
    const token = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, [bin, '--data-dir', other, 'token', 'sandbox-password'], {
        stdio: 'ignore',
      }).on('exit', resolve);
    });
    expect(token).toBe(0);
  });

  it('export as curl and env file', async () => {
    const curl = await cli(['export', 'sandbox-client-credentials', '--format', 'curl']);
    expect(curl.stdout).toContain('form_urlencode');
    expect(curl.stdout).not.toContain(SANDBOX_SECRET);
    // The exported command gets a token from the sandbox with the secret from the environment.
    const ran = await runBash(curl.stdout, {
      SANDBOX_CLIENT_CREDENTIALS_CLIENT_SECRET: SANDBOX_SECRET,
    });
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).access_token).toBeTruthy();
    const env = await cli(['export', 'sandbox-client-credentials', '--format', 'env']);
    expect(env.stdout).toContain(
      '# SANDBOX_CLIENT_CREDENTIALS_CLIENT_SECRET: a secret; set it in the environment, never in this file',
    );
    expect(env.stdout).toContain("SANDBOX_CLIENT_CREDENTIALS_CLIENT_ID='cc-basic'");
  });

  it('every command has --help', async () => {
    for (const command of [
      'token',
      'list',
      'assertion',
      'x5t',
      'jwt',
      'cache',
      'export',
      'import',
      'settings',
      'authtoken',
      'keys',
      'jwks',
    ]) {
      const run = await cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: tokensmith ${command}`));
    }
  });
});

describe('z/OS Connect commands', () => {
  it("authtoken prints the authentication server's JWT; call sends it with the access token", async () => {
    const jwt = await cli(['authtoken', 'sandbox-zos-combined']);
    expect(jwt.code, jwt.stderr).toBe(0);
    expect(decodeJwt(jwt.stdout).sub).toBe('alice');
    expect(jwt.stderr).toMatch(/send it in JWT-header-name/);
    const call = await cli(['call', 'sandbox-zos-combined', sandbox.server.combinedApiUrl]);
    expect(call.code, call.stderr).toBe(0);
    expect(JSON.parse(call.stdout)).toEqual({
      sub: 'alice',
      client_id: 'ropc-basic',
      jwt_sub: 'alice',
    });
    const none = await cli(['authtoken', 'sandbox-password']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/has no authentication server JWT configured/);
  });

  it('keys show / rotate, and jwks serve lets the sandbox verify the generated key', async () => {
    const shown = await cli(['keys', 'show', 'sandbox-zos-jwk', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const view = JSON.parse(shown.stdout) as { keys: Array<{ kid: string }>; jwksUrl: string };
    expect(view.keys).toHaveLength(1);
    expect(view.jwksUrl).toBe(`http://127.0.0.1:${jwkPort}/jwt/ibm/api/sandbox-builder/jwk`);

    const rotated = await cli(['keys', 'rotate', 'sandbox-builder']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stderr).toMatch(/New signing key .* 1 previous key\(s\) still published/);

    let serve: ReturnType<typeof spawn> | undefined;
    const served = cli(['jwks', 'serve'], {
      onStderr: (_text, child) => {
        serve = child;
      },
    });
    for (let i = 0; i < 100 && !serve; i++) await new Promise((r) => setTimeout(r, 50));
    let jwks: { keys: Array<{ kid: string }> } | undefined;
    for (let i = 0; i < 100 && !jwks; i++) {
      jwks = await fetch(view.jwksUrl)
        .then((r) => (r.ok ? (r.json() as Promise<{ keys: Array<{ kid: string }> }>) : undefined))
        .catch(() => undefined);
      if (!jwks) await new Promise((r) => setTimeout(r, 50));
    }
    expect(jwks?.keys).toHaveLength(2);
    const token = await cli(['token', 'sandbox-zos-jwk', '--json']);
    expect(token.code, token.stderr).toBe(0);
    const sent = sandbox.server.tokenRequests().at(-1)!.form.get('client_assertion')!;
    expect(decodeProtectedHeader(sent).kid).toBe(jwks?.keys[0]?.kid);
    serve?.kill('SIGINT');
    expect((await served).code).toBe(0);
  });

  it('keys show publishes a keystore-signed builder’s alias key; keys rotate refuses it', async () => {
    const imported = await cli([
      'import',
      importFile([
        {
          id: 'keystore-builder',
          name: 'keystore-builder',
          type: 'client_credentials',
          tokenEndpoint: sandbox.server.tokenEndpoint,
          client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
          jwt: { signing: { keystore: 'sandbox-demo', alias: 'key', builderId: 'ks-builder' } },
        },
      ]),
      '--allow-bind',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const shown = await cli(['keys', 'show', 'keystore-builder']);
    expect(shown.code, shown.stderr).toBe(0);
    const jwks = JSON.parse(shown.stdout) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(shown.stderr).toMatch(
      /keystore sandbox-demo, alias key \(connection keystore-builder\)/,
    );
    expect(shown.stderr).toMatch(
      /Served at http:\/\/127\.0\.0\.1:\d+\/jwt\/ibm\/api\/ks-builder\/jwk/,
    );
    const rotate = await cli(['keys', 'rotate', 'ks-builder']);
    expect(rotate.code).toBe(3);
    expect(rotate.stderr).toMatch(/signs with a keystore alias, not a generated key/);
  });

  it('export --format server.xml, then import it into a fresh data folder', async () => {
    const out = await cli([
      'export',
      'sandbox-zos-combined',
      'sandbox-zos-jwk',
      '--format',
      'server.xml',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('<zosconnect_authToken id="sandbox-zos-combined-jwt"');
    expect(out.stdout).toContain('jwkEnabled="true"');
    expect(out.stdout).not.toContain(SANDBOX_SECRET);
    expect(out.stdout).not.toContain('wonderland');
    expect(out.stderr).toMatch(/note: .*user name and password come from the z\/OS application/);
    expect(out.stderr).toMatch(/Set these Liberty variables/);
    const file = join(dataDir, 'server.xml');
    writeFileSync(file, out.stdout);
    const fresh = mkdtempSync(join(tmpdir(), 'tokensmith-cli-xml-'));
    const imported = await cli(['--data-dir', fresh, 'import', file, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as {
      imported: { connections: string[] };
      notes: string[];
    };
    expect(report.imported.connections).toEqual(['sandbox-zos-combined', 'sandbox-zos-jwk']);
    expect(report.notes.join('\n')).toMatch(/password is the Liberty variable/);
    const keys = await cli(['--data-dir', fresh, 'keys', 'show', 'sandbox-builder', '--json']);
    expect((JSON.parse(keys.stdout) as { keys: unknown[] }).keys).toHaveLength(1);
  });
});

describe('exit codes and messages', () => {
  it('usage: 2', async () => {
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['frobnicate']);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      2,
      'tokensmith: Unknown command "frobnicate".',
    ]);
    expect((await cli(['token'])).stderr).toMatch(/^tokensmith: Missing the connection name\./);
    expect((await cli(['token', 'x', '--bogus'])).code).toBe(2);
  });

  it('unknown connection: 3, naming the known ones', async () => {
    const run = await cli(['token', 'nope']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^tokensmith: No connection named "nope"\. Known: sandbox-client-credentials, /,
    );
  });

  it('an unset ${env:NAME}: 3; set: the token', async () => {
    const file = importFile([
      {
        id: 'env1',
        name: 'env-secret',
        type: 'client_credentials',
        tokenEndpoint: sandbox.server.tokenEndpoint,
        client: { id: 'cc-basic', secret: '${env:SB_SECRET}' },
      },
    ]);
    const refused = await cli(['import', file]);
    expect([refused.code, refused.stderr]).toEqual([
      3,
      `tokensmith: Nothing was imported: the file would use 1 thing of yours, which you must confirm first:\n  - environment variable SB_SECRET: its value is the client secret of "env-secret", used in its requests to ${sandbox.server.tokenEndpoint}.\nRun the import at a terminal to confirm each, or with --allow-bind to confirm them all.`,
    ]);
    expect((await cli(['import', file, '--allow-bind'])).code).toBe(0);
    const unset = await cli(['token', 'env-secret']);
    expect([unset.code, unset.stderr]).toEqual([
      3,
      'tokensmith: client.secret of connection "env-secret" refers to the environment variable SB_SECRET, which is not set.',
    ]);
    expect((await cli(['token', 'env-secret'], { env: { SB_SECRET: SANDBOX_SECRET } })).code).toBe(
      0,
    );
  });

  it("server down: 4; refused client: 5 with the server's error; wrong keystore password: 6", async () => {
    const file = importFile([
      {
        id: 'down',
        name: 'down',
        type: 'client_credentials',
        tokenEndpoint: 'http://127.0.0.1:9/token',
        client: { id: 'a', secret: 'b' },
      },
      {
        id: 'bad-secret',
        name: 'bad-secret',
        type: 'client_credentials',
        tokenEndpoint: sandbox.server.tokenEndpoint,
        client: { id: 'cc-basic', secret: 'wrong' },
      },
    ]);
    expect((await cli(['import', file])).code).toBe(0);
    const down = await cli(['token', 'down']);
    expect([down.code, down.stderr]).toEqual([
      4,
      'tokensmith: Connection refused by 127.0.0.1:9: is the server running and the port right?',
    ]);
    const bad = await cli(['token', 'bad-secret', '--json']);
    expect(bad.code).toBe(5);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: 'oauth_error' });
    expect(bad.stderr).toMatch(/invalid_client/);

    const exported = JSON.parse((await cli(['export', 'sandbox-jwt-bearer'])).stdout) as {
      keystores: Array<{ name: string; password: string }>;
      connections: Array<Record<string, unknown>>;
    };
    exported.keystores[0]!.name = 'wrong-pass';
    exported.keystores[0]!.password = 'not-the-passphrase';
    exported.connections[0]!.name = 'wrong-keystore-pass';
    exported.connections[0]!.id = 'wkp';
    (exported.connections[0]!.jwt as { signing: { keystore: string } }).signing.keystore =
      'wrong-pass';
    const path = join(dataDir, 'wrong-pass.json');
    writeFileSync(path, JSON.stringify(exported));
    expect((await cli(['import', path, '--allow-bind'])).code).toBe(0);
    const wrong = await cli(['token', 'wrong-keystore-pass']);
    expect(wrong.code).toBe(6);
    expect(wrong.stderr).toBe(
      'tokensmith: Wrong passphrase for the private key in keystore "wrong-pass".',
    );
  });

  it('a broken import file: 3, each problem with its pointer, nothing imported', async () => {
    const before = (await cli(['list', '--json'])).stdout;
    const path = join(dataDir, 'broken.json');
    writeFileSync(
      path,
      JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [
          {
            id: 'x',
            name: 'ok',
            type: 'client_credentials',
            tokenEndpoint: 'https://a.test/token',
          },
          { id: 'y', name: 'bad', type: 'client_credentials', tokenEndpoint: 'nope' },
        ],
      }),
    );
    const run = await cli(['import', path]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Nothing was imported: 1 problem in the file.');
    expect(run.stderr).toContain(
      '/connections/1/tokenEndpoint: Enter an absolute http:// or https:// URL',
    );
    expect((await cli(['list', '--json'])).stdout).toBe(before);
  });
});
