/**
 * Secrets at rest and in what Tokensmith shows: known secrets go through the app's own entry
 * point — a client secret, a resource owner's password, a keystore password, a proxy password,
 * an authentication server's password, a refresh token from a real token response, a draft with
 * a secret typed into it, a generated signing key — and then every file under the data folder,
 * every export format, the masked exchanges, the error details and everything written to the
 * console are searched for each of them in plain text, base64, base64url and hex (at every byte
 * alignment). None may be found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_SECRET, SANDBOX_USER } from '../../sandbox/authorization-server.js';
import { createAppService, type AppService } from '../../electron/core/app-service.js';
import { fixtures } from '../support/fixtures.js';
import {
  MASK,
  maskFormBody,
  maskHeaders,
  maskJson,
  maskToken,
  maskValue,
} from '../../shared/masking.js';

const PROXY_PASSWORD = 'pr0xy-Secret-value-7731';
const AUTH_SERVER_PASSWORD = 'auth-srv-Passw0rd-4410';
const DRAFT_SECRET = 'draft-typed-Secret-9902';
const KEYSTORE_PASSWORD = 'changeit';
const JWT_ISSUER_PASSWORD = 'jwt-Issuer-passw0rd-5120';

let sandbox: Sandbox;
let service: AppService;
let dataDir: string;
const shown: string[] = [];
let refreshToken = '';
let accessToken = '';
let pastedJwt = '';

/** Every way a secret could be written: plain, hex, base64 and base64url at each alignment. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (const pad of [0, 1, 2]) {
    const padded = Buffer.concat([Buffer.alloc(pad), bytes]);
    for (const enc of ['base64', 'base64url'] as const) {
      const text = padded.toString(enc).replace(/=+$/, '');
      // Characters that depend on the padding or on what follows are left out.
      const core = text.slice(pad ? 4 : 0, text.length - 4);
      if (core.length >= 6) out.push(core);
    }
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile());
}

const ok = async <T>(channel: string, request: unknown): Promise<T> => {
  const r = await service.dispatch(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
};

beforeAll(async () => {
  // Everything the process writes to the console is kept and searched too.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      shown.push(args.map(String).join(' '));
      original(...args);
    };
  }
  const f = await fixtures();
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-secrets-'));
  sandbox = await startSandbox({ dataDir, port: 0 });
  service = createAppService({
    workspace: sandbox.workspace,
    env: {},
    mode: 'browser',
    version: 'test',
    emit: (event) => shown.push(JSON.stringify(event)),
  });
  await ok('keystores:import', {
    name: 'p12',
    fileName: 'rsa.p12',
    content: readFileSync(f.path('rsa.p12')).toString('base64'),
    password: KEYSTORE_PASSWORD,
  });
  await ok('proxies:save', {
    proxy: {
      name: 'corp',
      host: '127.0.0.1',
      port: 3128,
      username: 'me',
      password: PROXY_PASSWORD,
      enabled: false,
    },
  });
  const combined = await ok<Record<string, unknown>>('connections:get', {
    id: 'sandbox-zos-combined',
  });
  const saved = await ok<Record<string, unknown>>('connections:save', {
    connection: {
      ...combined,
      id: 'secret-holder',
      name: 'secret holder',
      client: { id: 'ropc-basic', secret: SANDBOX_SECRET },
      password: SANDBOX_USER.password,
      params: { scope: 'openid offline_access api:read' },
      authToken: { ...(combined.authToken as object), password: AUTH_SERVER_PASSWORD },
      jwt: { signing: { jwkEnabled: true, builderId: 'secret-builder' } },
    },
  });
  shown.push(JSON.stringify(saved));
  const token = await ok<{ refreshToken: string; accessToken: string; exchanges: unknown[] }>(
    'tokens:generate',
    { requestId: 't', connection: { ...saved }, useCache: false },
  );
  refreshToken = token.refreshToken;
  accessToken = token.accessToken;
  shown.push(JSON.stringify(token.exchanges));
  // The authentication server refuses this password: its error carries the (masked) exchange.
  const jwt = await service.dispatch('authToken:fetch', { requestId: 'j', connection: saved });
  expect(jwt.ok).toBe(false);
  shown.push(JSON.stringify(jwt));
  // The JWT type (API Gateway): its issuer password and a pasted JWT, a real one.
  const gateway = await ok<{ token: string; exchanges: unknown[] }>('tokens:generate', {
    requestId: 'g',
    connection: await ok('connections:get', { id: 'sandbox-api-gateway-jwt' }),
    useCache: false,
  });
  pastedJwt = gateway.token;
  shown.push(JSON.stringify(gateway.exchanges));
  shown.push(
    JSON.stringify(
      await ok('connections:save', {
        connection: {
          id: 'jwt-holder',
          name: 'jwt holder',
          type: 'jwt',
          tokenEndpoint: sandbox.server.apiGateway.tokenUrl,
          jwtIssuer: { username: 'someone', password: JWT_ISSUER_PASSWORD },
          pastedJwt,
        },
      }),
    ),
  );
  await ok('drafts:save', {
    key: 'secret-holder',
    draft: { ...saved, client: { secret: DRAFT_SECRET } },
  });
  // Failures carry their exchange: it must be masked too.
  const refused = await service.dispatch('tokens:generate', {
    requestId: 'x',
    connection: {
      ...saved,
      id: 'other',
      client: { id: 'ropc-basic', secret: `${SANDBOX_SECRET}-x` },
    },
  });
  shown.push(JSON.stringify(refused));
  for (const format of ['json', 'curl', 'env', 'server.xml']) {
    const out = await ok<{ content: string }>('transfer:export', { format });
    shown.push(out.content);
  }
  shown.push(JSON.stringify(await ok('connections:list', {})));
  shown.push(JSON.stringify(await ok('proxies:list', {})));
  shown.push(JSON.stringify(await ok('cache:list', {})));
  await sandbox.workspace.saveCache();
});

afterAll(async () => {
  await service.close();
  await sandbox.close();
});

describe('secrets at rest', () => {
  it('the flows really produced the secrets searched for', () => {
    expect(refreshToken.length).toBeGreaterThan(20);
    expect(accessToken.length).toBeGreaterThan(20);
    expect(pastedJwt.split('.')).toHaveLength(3);
    const files = filesUnder(dataDir).map((p) => p.slice(dataDir.length + 1));
    expect(files).toEqual(
      expect.arrayContaining(['store.json', 'token-cache.json', 'drafts.json', 'secret.key']),
    );
  });

  it('no file in the data folder holds a secret in plain, base64, base64url or hex', () => {
    const secrets = {
      'client secret': SANDBOX_SECRET,
      'resource owner password': SANDBOX_USER.password,
      'keystore password': KEYSTORE_PASSWORD,
      'sandbox keystore passphrase': 'sandbox-demo-passphrase',
      'proxy password': PROXY_PASSWORD,
      'authentication server password': AUTH_SERVER_PASSWORD,
      'draft secret': DRAFT_SECRET,
      'refresh token': refreshToken,
      'access token': accessToken,
      'JWT issuer password': JWT_ISSUER_PASSWORD,
      'pasted JWT': pastedJwt,
    };
    const files = filesUnder(dataDir).filter((p) => !p.endsWith('secret.key'));
    let checked = 0;
    for (const path of files) {
      const content = readFileSync(path).toString('latin1');
      for (const [label, secret] of Object.entries(secrets)) {
        for (const encoded of encodings(secret)) {
          checked++;
          if (content.includes(encoded)) throw new Error(`${label} found in ${path}`);
        }
      }
      expect(content).not.toMatch(/-----BEGIN (RSA |EC )?PRIVATE KEY-----/);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the key file is readable by its owner only', () => {
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o077).toBe(0);
  });

  it('exports, exchanges, error details, lists and the console never show a secret', () => {
    const text = shown.join('\n');
    for (const secret of [
      SANDBOX_SECRET,
      SANDBOX_USER.password,
      KEYSTORE_PASSWORD,
      PROXY_PASSWORD,
      AUTH_SERVER_PASSWORD,
      DRAFT_SECRET,
      refreshToken,
      JWT_ISSUER_PASSWORD,
    ]) {
      for (const encoded of encodings(secret)) expect(text).not.toContain(encoded);
    }
    expect(text).not.toContain(pastedJwt);
    // The access token is shown only where the user reveals it (the result), never in a trace.
    expect(text).not.toContain(accessToken);
  });

  it('no mask reveals the length or the first characters of a secret', () => {
    // Every length masks to the same text, through every masking path.
    const masks = new Set<string>();
    for (let n = 1; n <= 40; n++) {
      const secret = 'Zq9'.repeat(14).slice(0, n);
      masks.add(maskValue(secret));
      masks.add(maskToken(secret));
      masks.add(maskFormBody(`client_secret=${secret}`).slice('client_secret='.length));
      masks.add(maskFormBody(`refresh_token=${secret}`).slice('refresh_token='.length));
      masks.add((maskJson({ password: secret }) as { password: string }).password);
      masks.add(maskHeaders({ authorization: `Bearer ${secret}` }).authorization!.slice(7));
    }
    expect([...masks]).toEqual([MASK]);
    // And what the flows above showed carries no length and no secret's first characters.
    const text = shown.join('\n');
    expect(text).not.toMatch(/\(\d+ chars\)/);
    for (const secret of [SANDBOX_SECRET, SANDBOX_USER.password, PROXY_PASSWORD, refreshToken]) {
      expect(text).not.toContain(`${secret.slice(0, 6)}…`);
    }
  });
});
