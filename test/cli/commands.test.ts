/**
 * The CLI's configuration commands against the sandbox, each as a user runs it (a child process,
 * secrets on stdin): connection add|edit|show|list|rm with flags derived from the descriptors,
 * --from-discovery, secret set, per-connection cache settings, keystore import|list|aliases|rm
 * (a wrong password saves nothing), proxy add|list|rm, discover, schema, --browser CMD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET } from '../../sandbox/authorization-server.js';
import { fixtures, type Fixtures } from '../support/fixtures.js';
import { runCli, type CliOptions } from '../support/cli-run.js';
import { freePort } from '../support/ports.js';
import { CONNECTION_TYPES } from '../../shared/connection.js';

let sandbox: Sandbox;
let dataDir: string;
let files: Fixtures;
const cli = (args: string[], options: CliOptions = {}) =>
  runCli(['--data-dir', dataDir, '--no-workspace', ...args], options);

beforeAll(async () => {
  files = await fixtures();
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-commands-'));
  sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
});
afterAll(() => sandbox?.close());

describe('tokensmith connection', () => {
  it('add --from-discovery, secret set, token; edit; show; list; rm', async () => {
    const add = await cli([
      'connection',
      'add',
      'graph',
      '--type',
      'client_credentials',
      '--from-discovery',
      sandbox.server.issuer,
      '--client-id',
      'cc-basic',
      '--client-authentication',
      'client_secret_post',
      '--scope',
      'api:read',
      '--json',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout) as {
      tokenEndpoint: string;
      issuer: string;
      client: { authMethod: string };
    };
    expect(added.tokenEndpoint).toBe(sandbox.server.tokenEndpoint);
    expect(added.client.authMethod).toBe('client_secret_post');
    const secret = await cli(['secret', 'set', 'graph', 'client-secret'], {
      stdin: SANDBOX_SECRET + '\n',
    });
    expect(secret.code, secret.stderr).toBe(0);
    expect(secret.stderr).toBe('Set the Client Secret of "graph".');
    const edit = await cli([
      'connection',
      'edit',
      'graph',
      '--client-authentication',
      'client_secret_basic',
      '--description',
      'Graph API',
    ]);
    expect(edit.code, edit.stderr).toBe(0);
    const token = await cli(['token', 'graph']);
    expect(token.code, token.stderr).toBe(0);
    const api = await fetch(sandbox.server.apiUrl, {
      headers: { authorization: `Bearer ${token.stdout}` },
    });
    expect(api.status).toBe(200);

    const show = await cli(['connection', 'show', 'graph']);
    expect(show.code).toBe(0);
    expect(show.stdout.split('\n')).toEqual([
      'graph',
      '  --type client_credentials',
      "  --description 'Graph API'",
      `  --token-endpoint ${sandbox.server.tokenEndpoint}`,
      `  --issuer ${sandbox.server.issuer}`,
      '  --client-id cc-basic',
      "  --client-secret '••••••••'",
      '  --scope api:read',
      '  --client-authentication client_secret_basic',
    ]);
    expect(show.stdout).not.toContain(SANDBOX_SECRET);
    const json = JSON.parse((await cli(['connection', 'show', 'graph', '--json'])).stdout) as {
      client: { secret: string };
    };
    expect(json.client.secret).toBe('••••••••');

    // An edit that points the connection elsewhere does not take the secret along.
    const moved = await cli([
      'connection',
      'edit',
      'graph',
      '--token-endpoint',
      'http://127.0.0.1:9/elsewhere',
    ]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toBe(
      `note: tokenEndpoint changed from ${sandbox.server.tokenEndpoint} to http://127.0.0.1:9/elsewhere: your client.secret entered for the old one is not sent there. Set it again: tokensmith secret set graph client.secret.\nSaved "graph" (OAuth 2.0 Client Credentials).`,
    );
    const refused = await cli(['token', 'graph', '--no-cache']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('needs a Client Secret');

    const list = await cli(['connection', 'list', '--json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((c) => c.name)).toContain(
      'graph',
    );
    const rm = await cli(['connection', 'rm', 'graph']);
    expect(rm.code).toBe(0);
    expect((await cli(['connection', 'show', 'graph'])).code).toBe(3);
  }, 120_000);

  it('refuses a secret value on the command line, a field the type lacks, an unknown choice', async () => {
    const secret = await cli([
      'connection',
      'add',
      'x',
      '--type',
      'client_credentials',
      '--token-endpoint',
      'https://a.example/token',
      '--client-secret',
      'hunter2',
    ]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('--client-secret takes a reference such as ${env:NAME}');
    expect(secret.stderr).toContain('tokensmith secret set <connection> client-secret');
    const pkce = await cli(['connection', 'add', 'x', '--type', 'client_credentials', '--no-pkce']);
    expect(pkce.code).toBe(2);
    expect(pkce.stderr).toContain(
      '--pkce (PKCE (S256)) is not a field of OAuth 2.0 Client Credentials connections.',
    );
    const auth = await cli([
      'connection',
      'add',
      'x',
      '--type',
      'password',
      '--client-authentication',
      'magic',
    ]);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toContain('--client-authentication is one of auto, client_secret_basic');
    const none = await cli(['connection', 'add', 'x', '--type', 'client_credentials']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('Enter the Token Endpoint, or the Issuer to discover it from');
    expect((await cli(['list', '--json'])).stdout).not.toContain('"x"');
  }, 60_000);

  it('cache settings per connection: a minimum remaining lifetime the cached token lacks means a new token', async () => {
    const base = [
      '--type',
      'client_credentials',
      '--issuer',
      sandbox.server.issuer,
      '--client-id',
      'cc-basic',
      '--client-secret',
      '${env:CC_SECRET}',
      '--scope',
      'api:read',
    ];
    const env = { CC_SECRET: SANDBOX_SECRET };
    expect(
      (await cli(['connection', 'add', 'strict', ...base, '--minimum-remaining-lifetime', '3600']))
        .code,
    ).toBe(0);
    const first = await cli(['token', 'strict', '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const second = JSON.parse((await cli(['token', 'strict', '--json'], { env })).stdout) as {
      source: string;
    };
    // The token lives 3600 s: less than that is left a moment later.
    expect(second.source).toBe('network');
    expect(
      (await cli(['connection', 'edit', 'strict', '--minimum-remaining-lifetime', ''])).code,
    ).toBe(0);
    const third = JSON.parse((await cli(['token', 'strict', '--json'], { env })).stdout) as {
      source: string;
    };
    expect(third.source).toBe('cache');
    const shown = await cli(['connection', 'edit', 'strict', '--refresh-before', '120', '--json']);
    expect((JSON.parse(shown.stdout) as { cache: unknown }).cache).toEqual({
      refreshBeforeSeconds: 120,
      minRemainingSeconds: null,
      useRefreshToken: true,
    });
  }, 60_000);

  it('token --browser CMD opens the sign-in with the given program', async () => {
    const login = join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      'support',
      'login-browser.ts',
    );
    const run = await cli([
      'token',
      'sandbox-authorization-code',
      '--no-cache',
      '--json',
      '--browser',
      `${process.execPath} --import tsx ${login}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(decodeJwt((JSON.parse(run.stdout) as { idToken: string }).idToken).sub).toBe('carol');
  }, 60_000);
});

describe('tokensmith keystore, proxy, discover, schema', () => {
  it('keystore import refuses a wrong password before saving anything, then imports, lists, shows aliases, removes', async () => {
    const p12 = files.path('rsa.p12');
    const wrong = await cli(['keystore', 'import', p12, '--name', 'signing'], {
      stdin: 'not-the-password\n',
    });
    expect(wrong.code).toBe(6);
    expect(wrong.stderr).toMatch(/password/i);
    expect(
      existsSync(join(dataDir, 'keystores'))
        ? readdirSync(join(dataDir, 'keystores')).filter((f) => f.startsWith('signing'))
        : [],
    ).toEqual([]);
    expect(JSON.parse((await cli(['keystore', 'list', '--json'])).stdout)).not.toContainEqual(
      expect.objectContaining({ name: 'signing' }),
    );

    const ok = await cli(
      ['keystore', 'import', p12, '--name', 'signing', '--password-env', 'KS_PASS'],
      { env: { KS_PASS: 'changeit' } },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^Imported keystore "signing" \(pkcs12\) with 1 alias\(es\)/);
    const list = await cli(['keystore', 'list']);
    expect(list.stdout).toMatch(/signing {2}keystore \(pkcs12\) {2}\S+ {2}1 alias\(es\)/);
    const aliases = JSON.parse(
      (await cli(['keystore', 'aliases', 'signing', '--json'])).stdout,
    ) as Array<{ hasPrivateKey: boolean; certificate: { x5t: string } }>;
    expect(aliases[0]?.hasPrivateKey).toBe(true);
    expect(aliases[0]?.certificate.x5t).toMatch(/^[\w-]{27}$/);
    expect((await cli(['keystore', 'rm', 'signing'])).code).toBe(0);
    expect((await cli(['keystore', 'aliases', 'signing'])).code).toBe(3);
  }, 60_000);

  it('a connections file whose keystore password is wrong imports nothing', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = join(dataDir, 'with-keystore.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [
          {
            name: 'from-file',
            type: 'client_credentials',
            issuer: sandbox.server.issuer,
            client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
            jwt: { signing: { keystore: 'file-ks', alias: '1' } },
          },
        ],
        keystores: [
          { name: 'file-ks', kind: 'pkcs12', path: files.path('rsa.p12'), password: 'wrong' },
        ],
      }),
    );
    // The file's keystore is a file on disk: a binding to confirm before it is opened.
    const unconfirmed = await cli(['import', file]);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('read as the file of keystore "file-ks"');
    const run = await cli(['import', file, '--allow-bind']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Nothing was imported: 1 problem in the file.');
    expect(run.stderr).toContain('/keystores/0/password');
    expect((await cli(['list'])).stdout).not.toContain('from-file');
  }, 30_000);

  it('proxy add, list, rm', async () => {
    const add = await cli(
      [
        'proxy',
        'add',
        'corp',
        '--host',
        'proxy.example',
        '--port',
        '3128',
        '--username',
        'u',
        '--password-stdin',
        '--bypass',
        '.internal',
      ],
      { stdin: 'proxy-pass' },
    );
    expect(add.code, add.stderr).toBe(0);
    const list = await cli(['proxy', 'list', '--json']);
    const [corp] = JSON.parse(list.stdout) as Array<{
      name: string;
      password: string;
      bypass: string[];
    }>;
    expect(corp).toMatchObject({ name: 'corp', password: '••••••••', bypass: ['.internal'] });
    expect(list.stdout).not.toContain('proxy-pass');
    expect((await cli(['proxy', 'rm', 'corp'])).code).toBe(0);
    expect((await cli(['proxy', 'list'])).stderr).toBe('No proxy aliases yet.');
  }, 30_000);

  it('discover prints the endpoints and the warnings the app shows', async () => {
    const run = await cli(['discover', sandbox.server.issuer, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const found = JSON.parse(run.stdout) as {
      tokenEndpoint: string;
      authorizationEndpoint: string;
      warnings: string[];
    };
    expect(found.tokenEndpoint).toBe(sandbox.server.tokenEndpoint);
    expect(found.authorizationEndpoint).toBe(sandbox.server.authorizationEndpoint);
    const text = await cli(['discover', 'sandbox-client-credentials']);
    expect(text.stdout).toContain(`token endpoint         ${sandbox.server.tokenEndpoint}`);
  }, 30_000);

  it('schema prints JSON Schema generated from the models', async () => {
    const run = await cli(['schema', 'connection']);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as {
      $schema: string;
      oneOf?: unknown[];
      anyOf?: unknown[];
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect((schema.oneOf ?? schema.anyOf)?.length).toBe(CONNECTION_TYPES.length);
    const all = JSON.parse((await cli(['schema'])).stdout) as Record<string, unknown>;
    expect(Object.keys(all)).toEqual([
      'workspace',
      'connection',
      'keystore',
      'proxy',
      'connections-export',
    ]);
    expect((await cli(['schema', 'nope'])).code).toBe(2);
  }, 30_000);

  it('--help exits 0 for every new command', async () => {
    for (const command of [
      'connection',
      'keystore',
      'proxy',
      'secret',
      'discover',
      'workspace',
      'schema',
    ]) {
      const run = await cli([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout).toMatch(/^Usage: tokensmith /);
    }
  }, 60_000);
});
