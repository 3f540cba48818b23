/** JSON export/import: round trip, secrets left out or encrypted, broken files refused whole. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EXPORT_SCRYPT,
  exportConnections,
} from '../../../electron/core/transfer/connections-json.js';
import { planImport, unsealImportSecrets } from '../../../electron/core/transfer/plan-import.js';
import { importFile } from '../../../electron/core/transfer/import-file.js';
import { FileStore } from '../../../electron/core/store/file-store.js';
import { AesGcmCipher } from '../../../electron/core/store/secret-cipher.js';
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

const PASSPHRASE = 'correct horse battery staple';

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
  it('leaves secrets out by default and lists them as required; keeps ${env:} references', async () => {
    const out = await exportConnections(sampleStore(), {
      names: ['graph', 'erp password', 'env-ref'],
    });
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

  it('an unknown connection name is refused', async () => {
    await expect(exportConnections(sampleStore(), { names: ['nope'] })).rejects.toThrow(
      'No connection named "nope".',
    );
  });
});

describe('import', () => {
  it('export → import round trip is equal (with secrets, passphrase-protected)', async () => {
    const source = sampleStore();
    const file = JSON.stringify(await exportConnections(source, { passphrase: PASSPHRASE }));
    expect(file).not.toContain('pw-secret-1');
    const unsealed = await unsealImportSecrets(file, PASSPHRASE);
    const plan = planImport(file, emptyStore(), {
      ...(unsealed ? { unsealed } : {}),
      confirmAll: true,
    });
    expect(plan.document.connections).toEqual(source.connections);
    expect(plan.document.keystores).toEqual(source.keystores.filter((k) => k.name === 'signing'));
    expect(plan.document.proxies).toEqual(source.proxies);
    expect(plan.missingSecrets).toEqual([]);
  });

  it('without a passphrase the secrets are reported as still to enter', async () => {
    const plan = planImport(JSON.stringify(await exportConnections(sampleStore())), emptyStore(), {
      confirmAll: true,
    });
    expect(plan.missingSecrets).toContain('/connections/1/password');
    expect(plan.document.connections[1]).toMatchObject({ password: '', client: { secret: '' } });
  });

  it('a wrong or missing passphrase imports nothing', async () => {
    // The synchronous export writes the same format as the asynchronous one.
    const file = JSON.stringify(await exportConnections(sampleStore(), { passphrase: PASSPHRASE }));
    const unsealed = await unsealImportSecrets(file, 'wrong passphrase!');
    expect(unsealed).toEqual({
      problem: {
        pointer: '/secrets',
        message: 'Wrong passphrase: the secrets in this file cannot be decrypted.',
      },
    });
    expect(problemsOf(() => planImport(file, emptyStore(), { unsealed }))).toEqual([
      {
        pointer: '/secrets',
        message: 'Wrong passphrase: the secrets in this file cannot be decrypted.',
      },
    ]);
    expect(problemsOf(() => planImport(file, emptyStore()))[0]?.message).toMatch(
      /give the passphrase/,
    );
    expect(await unsealImportSecrets(file, PASSPHRASE)).toHaveProperty('values');
  });

  it('reports every problem with its JSON pointer', async () => {
    const file = await exportConnections(sampleStore(), { names: ['graph', 'erp password'] });
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

  it('names that exist already, duplicates and dangling references are refused unless replacing', async () => {
    const store = sampleStore();
    const file = JSON.stringify(await exportConnections(store, { names: ['graph'] }));
    expect(problemsOf(() => planImport(file, store)).map((p) => p.pointer)).toEqual([
      '/connections/0/name',
      '/keystores/0/name',
      '/proxies/0/name',
    ]);
    expect(
      planImport(file, store, { replace: true, confirmAll: true }).document.connections,
    ).toHaveLength(4);

    const dup = await exportConnections(store, { names: ['env-ref'] });
    dup.connections.push({ ...dup.connections[0]!, id: 'other' });
    expect(problemsOf(() => planImport(JSON.stringify(dup), emptyStore()))[0]).toEqual({
      pointer: '/connections/1/name',
      message: '"env-ref" appears twice in the file.',
    });

    const dangling = await exportConnections(store, { names: ['graph'] });
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
    expect(assertion).toContain(`'client_assertion='"$(tokensmith assertion 'graph')"`);
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

describe('export passphrases and the key derivation', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokensmith-kdf-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A file sealed with any scrypt parameters, as an older Tokensmith or an attacker writes it. */
  function sealedFile(params: { N: number; r: number; p: number }, derive = true): string {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = derive
      ? scryptSync(PASSPHRASE, salt, 32, { ...params, maxmem: 256 * params.N * params.r })
      : randomBytes(32);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const secret = { '/connections/0/client/secret': 'old-export-secret' };
    const data = Buffer.concat([cipher.update(JSON.stringify(secret)), cipher.final()]);
    return JSON.stringify({
      format: 'tokensmith.connections',
      version: 1,
      connections: [
        {
          id: 'old1',
          name: 'old export',
          type: 'client_credentials',
          tokenEndpoint: 'https://old.example.test/token',
          client: { id: 'old', secret: '' },
        },
      ],
      secrets: {
        kdf: 'scrypt',
        ...params,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      },
    });
  }

  const newStore = (name: string) =>
    new FileStore(mkdtempSync(join(dir, `${name}-`)), new AesGcmCipher(Buffer.alloc(32, 7)));

  it('refuses a passphrase shorter than 12 characters, with a hint', async () => {
    for (const short of ['a', 'right', 'elevenchars']) {
      await expect(exportConnections(sampleStore(), { passphrase: short })).rejects.toThrow(
        /^The passphrase must be at least 12 characters long: .* Four or more unrelated words/,
      );
    }
    // Characters, not bytes or UTF-16 units: 12 emoji are enough, 11 are not.
    await expect(
      exportConnections(sampleStore(), { passphrase: '🔑'.repeat(11) }),
    ).rejects.toThrow();
    expect(
      (await exportConnections(sampleStore(), { passphrase: '🔑'.repeat(12) })).secrets,
    ).toBeDefined();
  });

  it('new exports use scrypt N=2^17, r=8, p=1', async () => {
    const out = await exportConnections(sampleStore(), { passphrase: PASSPHRASE });
    expect(out.secrets).toMatchObject({ kdf: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(EXPORT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  });

  it('an export written with N=2^15 (before this change) still imports', async () => {
    const store = newStore('old');
    const result = await importFile(store, sealedFile({ N: 2 ** 15, r: 8, p: 1 }), {
      passphrase: PASSPHRASE,
    });
    expect(result.imported.connections).toEqual(['old export']);
    const doc = await store.read();
    expect(doc.connections[0]?.client.secret).toBe('old-export-secret');
  });

  // How long the refusal takes is the bench's to measure, not a wall-clock limit here.
  it('a hostile file asking for N=2^20, r=32 is refused unopened, its parameters named', async () => {
    const store = newStore('hostile');
    const hostile = sealedFile({ N: 2 ** 20, r: 32, p: 1 }, false);
    const error = await importFile(store, hostile, { passphrase: PASSPHRASE }).catch(
      (e: unknown) => e as TokensmithError,
    );
    expect(error).toBeInstanceOf(TokensmithError);
    expect((error as TokensmithError).message).toContain(
      '/secrets: The file asks for scrypt parameters N=1048576, r=32, p=1, above what Tokensmith writes (N=131072, r=8, p=1): it was not opened.',
    );
    expect(existsSync(join(store.dir, 'store.json'))).toBe(false);
  });

  it.each([
    ['N above 2^17', { N: 2 ** 18, r: 8, p: 1 }],
    ['r above 8', { N: 2 ** 10, r: 9, p: 1 }],
    ['p above 1', { N: 2 ** 10, r: 8, p: 2 }],
    ['N not a power of two', { N: 3000, r: 8, p: 1 }],
    ['N of 1', { N: 1, r: 8, p: 1 }],
  ])('%s is refused before deriving', async (_label, params) => {
    const unsealed = await unsealImportSecrets(sealedFile(params, false), PASSPHRASE);
    expect(unsealed).toMatchObject({
      problem: {
        pointer: '/secrets',
        message: expect.stringMatching(/above what Tokensmith writes/),
      },
    });
  });

  it('the key derivation neither blocks the event loop nor holds the store lock', async () => {
    const store = newStore('async');
    await store.update((doc) => doc);
    const file = JSON.stringify(await exportConnections(sampleStore(), { passphrase: PASSPHRASE }));
    // The event loop keeps turning: no gap between 5 ms ticks spans the whole import.
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    let importedAt = 0;
    let otherWriteAt = 0;
    const importing = importFile(store, file, { passphrase: PASSPHRASE, confirmAll: true }).then(
      () => {
        importedAt = performance.now() - started;
      },
    );
    // Another writer that starts while the key is being derived gets the lock at once.
    const writing = store
      .update((doc) => ({ ...doc, settings: { ...doc.settings } }))
      .then(() => {
        otherWriteAt = performance.now() - started;
      });
    await Promise.all([importing, writing]);
    clearInterval(ticker);
    expect(otherWriteAt).toBeLessThan(importedAt);
    expect(importedAt).toBeGreaterThan(worstGap);
    expect(JSON.parse(readFileSync(join(store.dir, 'store.json'), 'utf8'))).toBeTruthy();
  });
});
