/** JSON export/import: round trip, secrets left out or encrypted, broken files refused whole. */
import { describe, expect, it } from 'vitest';
import { exportConnections, planImport } from '../../../electron/core/transfer/connections-json.js';
import {
  exportCurl,
  exportEnv,
  envPrefix,
} from '../../../electron/core/transfer/runtime-export.js';
import { emptyStore, storeDocument, type StoreDocument } from '../../../shared/store-model.js';
import { connectionSchema } from '../../../shared/connection.js';
import { TokensmithError } from '../../../electron/core/errors.js';

function sampleStore(): StoreDocument {
  return storeDocument.parse({
    format: 'tokensmith.store',
    version: 1,
    connections: [
      {
        id: 'a1',
        name: 'graph',
        type: 'jwt_client_assertion',
        tokenEndpoint: 'https://login.example.test/tenant/oauth2/v2.0/token',
        client: { id: 'app-id' },
        params: { scope: 'https://graph.microsoft.com/.default' },
        jwt: { signing: { keystore: 'signing', alias: 'key' } },
        proxyAlias: 'corp',
      },
      {
        id: 'b2',
        name: 'erp password',
        type: 'password',
        tokenEndpoint: 'https://erp.example.test/token',
        username: 'svc',
        password: 'pw-secret-1',
        client: { id: 'erp', secret: 'client-secret-2' },
        params: {
          resource: ['https://erp.example.test/api'],
          tokenParams: [{ name: 'tenant', value: "o'hara & co" }],
        },
      },
      {
        id: 'c3',
        name: 'env-ref',
        type: 'client_credentials',
        tokenEndpoint: 'https://x.test/token',
        client: { id: 'x', secret: '${env:X_SECRET}' },
      },
      {
        id: 'd4',
        name: 'unrelated',
        type: 'client_credentials',
        tokenEndpoint: 'https://y.test/token',
        client: { id: 'y', secret: 'y-secret' },
      },
    ],
    keystores: [
      { name: 'signing', kind: 'pkcs12', path: '/keys/signing.p12', password: 'keystore-secret-3' },
      { name: 'other', kind: 'pem', path: '/keys/other.pem' },
    ],
    proxies: [
      {
        name: 'corp',
        host: 'proxy.example.test',
        port: 3128,
        username: 'u',
        password: 'proxy-secret-4',
      },
    ],
  });
}

function problemsOf(fn: () => unknown): Array<{ pointer: string; message: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokensmithError);
    expect((e as TokensmithError).message).toMatch(/^Nothing was imported/);
    return (e as TokensmithError).detail?.problems as Array<{ pointer: string; message: string }>;
  }
  throw new Error('expected the import to be refused');
}

describe('export', () => {
  it('leaves secrets out by default and lists them as required; keeps ${env:} references', () => {
    const out = exportConnections(sampleStore(), { names: ['graph', 'erp password', 'env-ref'] });
    const text = JSON.stringify(out);
    for (const s of ['pw-secret-1', 'client-secret-2', 'keystore-secret-3', 'proxy-secret-4'])
      expect(text).not.toContain(s);
    expect(out.requiredSecrets.sort()).toEqual([
      '/connections/1/client/secret',
      '/connections/1/password',
      '/keystores/0/password',
      '/proxies/0/password',
    ]);
    expect(out.connections[2]?.client.secret).toBe('${env:X_SECRET}');
    expect(out.keystores.map((k) => k.name)).toEqual(['signing']);
    expect(out.proxies.map((p) => p.name)).toEqual(['corp']);
  });

  it('an unknown connection name is refused', () => {
    expect(() => exportConnections(sampleStore(), { names: ['nope'] })).toThrow(
      'No connection named "nope".',
    );
  });
});

describe('import', () => {
  it('export → import round trip is equal (with secrets, passphrase-protected)', () => {
    const source = sampleStore();
    const file = JSON.stringify(exportConnections(source, { passphrase: 'correct horse' }));
    expect(file).not.toContain('pw-secret-1');
    const plan = planImport(file, emptyStore(), { passphrase: 'correct horse' });
    expect(plan.document.connections).toEqual(source.connections);
    expect(plan.document.keystores).toEqual(source.keystores.filter((k) => k.name === 'signing'));
    expect(plan.document.proxies).toEqual(source.proxies);
    expect(plan.missingSecrets).toEqual([]);
  });

  it('without a passphrase the secrets are reported as still to enter', () => {
    const plan = planImport(JSON.stringify(exportConnections(sampleStore())), emptyStore());
    expect(plan.missingSecrets).toContain('/connections/1/password');
    expect(plan.document.connections[1]).toMatchObject({ password: '', client: { secret: '' } });
  });

  it('a wrong or missing passphrase imports nothing', () => {
    const file = JSON.stringify(exportConnections(sampleStore(), { passphrase: 'right' }));
    expect(problemsOf(() => planImport(file, emptyStore(), { passphrase: 'wrong' }))).toEqual([
      {
        pointer: '/secrets',
        message: 'Wrong passphrase: the secrets in this file cannot be decrypted.',
      },
    ]);
    expect(problemsOf(() => planImport(file, emptyStore()))[0]?.message).toMatch(
      /give the passphrase/,
    );
  });

  it('reports every problem with its JSON pointer', () => {
    const file = exportConnections(sampleStore(), { names: ['graph', 'erp password'] });
    const broken = structuredClone(file) as unknown as {
      connections: Array<Record<string, unknown>>;
      keystores: unknown[];
    };
    broken.connections[0]!.tokenEndpoint = 'not a url';
    (broken.connections[1]!.params as Record<string, unknown>).resource = ['https://x.test/#frag'];
    broken.connections[1]!.type = 'implicit';
    const problems = problemsOf(() => planImport(JSON.stringify(broken), emptyStore()));
    expect(problems.map((p) => p.pointer)).toEqual(
      expect.arrayContaining(['/connections/0/tokenEndpoint', '/connections/1/type']),
    );
    expect(problems.find((p) => p.pointer === '/connections/0/tokenEndpoint')?.message).toBe(
      'Enter an absolute http:// or https:// URL',
    );
  });

  it.each([
    ['not JSON', '{"format": ', ''],
    ['another format', '{"format":"something"}', '/format'],
    [
      'a wrong version',
      '{"format":"tokensmith.connections","version":2,"connections":[]}',
      '/version',
    ],
    [
      'connections not an array',
      '{"format":"tokensmith.connections","version":1,"connections":{}}',
      '/connections',
    ],
  ])('%s is refused at %s', (_label, text, pointer) => {
    expect(problemsOf(() => planImport(text, emptyStore()))[0]?.pointer).toBe(pointer);
  });

  it('names that exist already, duplicates and dangling references are refused unless replacing', () => {
    const store = sampleStore();
    const file = JSON.stringify(exportConnections(store, { names: ['graph'] }));
    expect(problemsOf(() => planImport(file, store)).map((p) => p.pointer)).toEqual([
      '/connections/0/name',
      '/keystores/0/name',
      '/proxies/0/name',
    ]);
    expect(planImport(file, store, { replace: true }).document.connections).toHaveLength(4);

    const dup = exportConnections(store, { names: ['env-ref'] });
    dup.connections.push({ ...dup.connections[0]!, id: 'other' });
    expect(problemsOf(() => planImport(JSON.stringify(dup), emptyStore()))[0]).toEqual({
      pointer: '/connections/1/name',
      message: '"env-ref" appears twice in the file.',
    });

    const dangling = exportConnections(store, { names: ['graph'] });
    dangling.keystores = [];
    expect(
      problemsOf(() => planImport(JSON.stringify(dangling), emptyStore())).map((p) => p.pointer),
    ).toEqual(['/connections/0/jwt/signing/keystore']);
  });
});

describe('export for the target runtime', () => {
  const store = sampleStore();
  const toCurl = (c: (typeof store.connections)[number]) => exportCurl([c]);
  const toEnvFile = (c: (typeof store.connections)[number]) => exportEnv([c]);
  it('curl with secrets as shell variables, assertions from tokensmith', async () => {
    const curl = await toCurl(store.connections[1]!);
    expect(curl).toContain(`curl -sS -X POST 'https://erp.example.test/token'`);
    // RFC 6749 §2.3.1: ID and secret are form-urlencoded at run time, then base64.
    expect(curl).toContain(
      `-H "Authorization: Basic $(printf '%s:%s' "$(form_urlencode 'erp')" "$(form_urlencode "\${ERP_PASSWORD_CLIENT_SECRET}")" | base64 | tr -d '\\n')"`,
    );
    expect(curl).toContain(`--data-urlencode 'password='"\${ERP_PASSWORD_PASSWORD}"`);
    expect(curl).toContain(`--data-urlencode 'tenant=o'\\''hara & co'`);
    expect(curl).not.toContain('pw-secret-1');
    expect(curl).not.toContain('client-secret-2');
    const assertion = await toCurl(store.connections[0]!);
    expect(assertion).toContain(`'client_assertion='"$(npx tokensmith assertion 'graph')"`);
    expect(await toCurl(store.connections[2]!)).toContain('${X_SECRET}');
  });

  it('env file with secrets as references to variables it never defines', async () => {
    const env = await toEnvFile(store.connections[1]!);
    expect(env).toContain(
      '# ERP_PASSWORD_CLIENT_SECRET: a secret; set it in the environment, never in this file',
    );
    expect(env).toContain(
      '# ERP_PASSWORD_PASSWORD: a secret; set it in the environment, never in this file',
    );
    expect(env).toContain("ERP_PASSWORD_RESOURCE='https://erp.example.test/api'");
    expect(env).not.toContain('pw-secret-1');
    expect(await toEnvFile(store.connections[2]!)).toContain('ENV_REF_CLIENT_SECRET="${X_SECRET}"');
    expect(envPrefix('1st conn')).toBe('C_1ST_CONN');
    expect(connectionSchema.safeParse(store.connections[0]).success).toBe(true);
  });
});
