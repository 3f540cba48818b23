/**
 * An imported file must not use anything of the user's — keystores, truststores, generated
 * signing keys, proxy aliases, environment variables, files — until the user confirms each
 * binding (issue 12, items 2, 3 and 5). planImport and importFile against a store that holds
 * such things.
 */
import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { importFile } from '../../../electron/core/transfer/import-file.js';
import { importServerXml } from '../../../electron/core/transfer/server-xml/index.js';
import { FileStore } from '../../../electron/core/store/file-store.js';
import { AesGcmCipher } from '../../../electron/core/store/secret-cipher.js';
import { TokensmithError } from '../../../electron/core/errors.js';
import { storeDocument, settingsSchema, type StoreDocument } from '../../../shared/store-model.js';
import type { ConfirmationDetail, ImportBinding } from '../../../shared/transfer.js';

const EVIL = 'https://evil.test/token';

function userStore(settings: Record<string, unknown> = {}): StoreDocument {
  return storeDocument.parse({
    format: 'tokensmith.store',
    version: 1,
    connections: [
      {
        id: 'mine-1',
        name: 'my graph',
        type: 'jwt_client_assertion',
        tokenEndpoint: 'https://login.example.test/token',
        client: { id: 'app' },
        jwt: { signing: { keystore: 'signing', alias: 'key' } },
        ssl: { enabled: true, truststoreAlias: 'corp-ca' },
        proxyAlias: 'corp',
      },
      {
        id: 'mine-2',
        name: 'my zos',
        type: 'client_credentials',
        tokenEndpoint: 'https://zos.example.test/token',
        client: { id: 'zos', authMethod: 'private_key_jwt' },
        jwt: { signing: { jwkEnabled: true, builderId: 'prod-builder' } },
      },
    ],
    keystores: [
      { name: 'signing', kind: 'pkcs12', path: '/keys/signing.p12', password: 'ks-pass' },
      { name: 'corp-ca', purpose: 'truststore', kind: 'pem', path: '/keys/ca.pem' },
    ],
    proxies: [{ name: 'corp', host: 'proxy.corp.test', port: 3128, password: 'proxy-pass' }],
    signingKeys: [{ builderId: 'generated-only', keys: [], privateKeys: {} }],
    settings,
  });
}

const file = (doc: Record<string, unknown>) =>
  JSON.stringify({ format: 'tokensmith.connections', version: 1, connections: [], ...doc });

const cc = (name: string, extra: Record<string, unknown> = {}) => ({
  id: name,
  name,
  type: 'client_credentials',
  tokenEndpoint: EVIL,
  client: { id: 'attacker' },
  ...extra,
});

function refusal(fn: () => unknown): ConfirmationDetail & { message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokensmithError);
    expect((e as TokensmithError).code).toBe('confirmation_required');
    return {
      ...((e as TokensmithError).detail as unknown as ConfirmationDetail),
      message: (e as TokensmithError).message,
    };
  }
  throw new Error('expected the import to ask for confirmation');
}

const ids = (bindings: ImportBinding[]) => bindings.map((b) => b.id);

describe('bindings an import asks the user to confirm', () => {
  it('a Keystore Name of the user’s: signing oracle refused until confirmed', () => {
    const text = file({
      connections: [
        cc('oracle', {
          type: 'jwt_bearer',
          jwt: {
            signing: { keystore: 'signing', alias: 'key' },
            claims: { subject: 'root', audience: 'https://login.example.test/token' },
          },
        }),
      ],
    });
    const r = refusal(() => planImport(text, userStore()));
    expect(r.bindings).toEqual([
      {
        id: 'keystore:signing',
        kind: 'keystore',
        name: 'signing',
        usedBy: ['oracle'],
        detail: `"oracle" signs JWTs with its key (alias "key") and sends them to ${EVIL}.`,
      },
    ]);
    expect(r.unconfirmed).toEqual(['keystore:signing']);
    expect(r.message).toBe(
      `Nothing was imported: the file would use 1 thing of yours, which you must confirm first:\n  - keystore "signing": "oracle" signs JWTs with its key (alias "key") and sends them to ${EVIL}.`,
    );
    // Confirming another binding is not confirming this one.
    refusal(() => planImport(text, userStore(), { confirm: ['keystore:other'] }));
    const plan = planImport(text, userStore(), { confirm: ['keystore:signing'] });
    expect(plan.document.connections.map((c) => c.name)).toContain('oracle');
    expect(ids(plan.bindings)).toEqual(['keystore:signing']);
  });

  it('SSL keystore and truststore, proxy alias, generated builder key: one binding each, uses gathered', () => {
    const text = file({
      connections: [
        cc('a', {
          ssl: { enabled: true, keystoreAlias: 'signing', truststoreAlias: 'corp-ca' },
          proxyAlias: 'corp',
        }),
        cc('b', {
          client: { id: 'x', authMethod: 'private_key_jwt' },
          jwt: { signing: { jwkEnabled: true, builderId: 'prod-builder' } },
        }),
        cc('c', {
          client: { id: 'x', authMethod: 'private_key_jwt' },
          jwt: { signing: { jwkEnabled: true, builderId: 'generated-only' } },
          proxyAlias: 'corp',
        }),
        // A builder the user does not have: its key is generated afresh, nothing of theirs.
        cc('d', {
          client: { id: 'x', authMethod: 'private_key_jwt' },
          jwt: { signing: { jwkEnabled: true, builderId: 'brand-new' } },
        }),
      ],
    });
    const r = refusal(() => planImport(text, userStore()));
    expect(ids(r.bindings)).toEqual([
      'keystore:signing',
      'truststore:corp-ca',
      'proxy:corp',
      'builder:prod-builder',
      'builder:generated-only',
    ]);
    const proxy = r.bindings.find((b) => b.id === 'proxy:corp');
    expect(proxy?.usedBy).toEqual(['a', 'c']);
    expect(proxy?.detail).toBe(
      `"a" sends its requests to ${EVIL} through it, with its credentials; "c" sends its requests to ${EVIL} through it, with its credentials.`,
    );
    expect(r.bindings.find((b) => b.kind === 'truststore')?.detail).toBe(
      `"a" trusts its certificates for ${EVIL}.`,
    );
    expect(r.bindings.find((b) => b.id === 'builder:prod-builder')?.detail).toBe(
      `"b" signs JWTs with your generated key of this builder and sends them to ${EVIL}.`,
    );
    expect(planImport(text, userStore(), { confirm: ids(r.bindings) }).bindings).toHaveLength(5);
  });

  it('${env:NAME} in every secret field of connections, keystores and proxies; the allow-list lets some through', () => {
    const text = file({
      connections: [
        cc('env', {
          type: 'password',
          username: 'u',
          password: '${env:USER_PASSWORD}',
          client: { id: 'x', secret: '${env:AWS_SECRET_ACCESS_KEY}' },
          authToken: {
            enabled: true,
            tokenEndpoint: 'https://jwt.evil.test/auth',
            header: 'X-JWT',
            username: 'u',
            password: '${env:MYAPP_PASSWORD}',
          },
        }),
      ],
      keystores: [
        {
          name: 'theirs',
          kind: 'jks',
          path: 'theirs.jks',
          password: '${env:GITHUB_TOKEN}',
          keyPasswords: { k: '${env:NPM_TOKEN}' },
        },
      ],
      proxies: [{ name: 'p', host: 'proxy.evil.test', port: 8080, password: '${env:CI_PROXY}' }],
    });
    const r = refusal(() => planImport(text, userStore()));
    expect(ids(r.bindings)).toEqual([
      'env:AWS_SECRET_ACCESS_KEY',
      'env:USER_PASSWORD',
      'env:MYAPP_PASSWORD',
      'path:theirs.jks',
      'env:GITHUB_TOKEN',
      'env:NPM_TOKEN',
      'env:CI_PROXY',
    ]);
    expect(r.bindings.find((b) => b.id === 'env:MYAPP_PASSWORD')?.detail).toBe(
      'its value is the authentication-server password of "env", used in its requests to https://jwt.evil.test/auth.',
    );
    expect(r.bindings.find((b) => b.id === 'env:CI_PROXY')?.detail).toBe(
      'its value is the password of proxy alias "p" of the file, sent to proxy.evil.test:8080.',
    );
    const allowing = userStore({ envAllowPrefixes: ['MYAPP_', 'CI_'] });
    expect(ids(refusal(() => planImport(text, allowing)).bindings)).toEqual([
      'env:AWS_SECRET_ACCESS_KEY',
      'env:USER_PASSWORD',
      'path:theirs.jks',
      'env:GITHUB_TOKEN',
      'env:NPM_TOKEN',
    ]);
  });

  it('every keystore file path of the file: /etc/passwd, .. paths, the user’s own keystore file', () => {
    const text = file({
      keystores: [
        { name: 'shadow', kind: 'pem', path: '/etc/shadow', certificatePath: '/etc/passwd' },
        { name: 'up', kind: 'pkcs12', path: '../../.ssh/id_rsa' },
        { name: 'copy', kind: 'pkcs12', path: '/keys/signing.p12' },
      ],
      connections: [cc('uses-copy', { jwt: { signing: { keystore: 'copy' } } })],
    });
    const r = refusal(() => planImport(text, userStore()));
    expect(r.bindings.map((b) => [b.id, b.usedBy, b.detail])).toEqual([
      ['path:/etc/shadow', [], 'read as the file of keystore "shadow".'],
      ['path:/etc/passwd', [], 'read as the certificate chain of keystore "shadow".'],
      ['path:../../.ssh/id_rsa', [], 'read as the file of keystore "up".'],
      ['path:/keys/signing.p12', ['uses-copy'], 'read as the file of keystore "copy".'],
    ]);
  });

  it('replacing the user’s keystore or proxy is a binding too, naming the user’s connections that then use it', () => {
    const text = file({
      keystores: [{ name: 'corp-ca', purpose: 'truststore', kind: 'pem', path: 'evil-ca.pem' }],
      proxies: [{ name: 'corp', host: 'proxy.evil.test', port: 8080 }],
    });
    const r = refusal(() => planImport(text, userStore(), { replace: true }));
    expect(r.bindings.map((b) => [b.id, b.usedBy, b.detail])).toEqual([
      ['path:evil-ca.pem', [], 'read as the file of truststore "corp-ca".'],
      [
        'truststore:corp-ca',
        ['my graph'],
        'the file replaces it with its own truststore of the same name, which your connections then use.',
      ],
      [
        'proxy:corp',
        ['my graph'],
        'the file replaces it with http://proxy.evil.test:8080, which your connections then send their requests through.',
      ],
    ]);
  });

  it('a file that uses nothing of the user’s imports without a question', () => {
    const plan = planImport(
      file({ connections: [cc('plain', { client: { id: 'x', secret: 'its-own' } })] }),
      userStore(),
    );
    expect(plan.bindings).toEqual([]);
  });

  it('refused: the store file is not touched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokensmith-bindings-'));
    const store = new FileStore(dir, new AesGcmCipher(Buffer.alloc(32, 3)));
    await store.update(() => userStore());
    const before = readFileSync(join(dir, 'store.json'), 'utf8');
    const text = file({
      connections: [cc('oracle', { jwt: { signing: { keystore: 'signing' } } })],
    });
    await expect(importFile(store, text)).rejects.toMatchObject({ code: 'confirmation_required' });
    expect(readFileSync(join(dir, 'store.json'), 'utf8')).toBe(before);
    const done = await importFile(store, text, { confirm: ['keystore:signing'] });
    expect(done.bindings.map((b) => b.id)).toEqual(['keystore:signing']);
  });

  it('a refusal lists at most 20 bindings in its message, all of them in its detail', () => {
    const connections = Array.from({ length: 30 }, (_, i) =>
      cc(`c${i}`, { client: { id: 'x', secret: `\${env:VAR_${i}}` } }),
    );
    const r = refusal(() => planImport(file({ connections }), userStore()));
    expect(r.bindings).toHaveLength(30);
    expect(r.message.split('\n')).toHaveLength(22);
    expect(r.message).toMatch(/… and 10 more$/);
  });
});

describe('server.xml bindings and lifetimes', () => {
  const xml = (builder: string, password = '{xor}LDo8LTor') => `<server>
  <zosconnect_authData id="client" user="app" password="${password}"/>
  <zosconnect_authorizationServer id="as" tokenEndpoint="${EVIL}" basicAuthRef="client"/>
  <zosconnect_oAuthTokenConfig id="tc" tokenSubject="app" tokenGeneratorRef="b"/>
  ${builder}
  <zosconnect_oAuthConfig id="oauth" grantType="client_credentials" authServerRef="as" jwtAuthenticationTokenRef="tc"/>
  <zosconnect_endpointConnection id="api" host="https://api.test" authenticationConfigRef="oauth"/>
</server>`;
  const plan = (text: string, store: StoreDocument, confirm: string[] = []) =>
    planImport(JSON.stringify(importServerXml(text).document), store, {
      allowMissingKeystores: true,
      confirm,
    });

  it('keyStoreRef naming the user’s keystore and a ${env.NAME} password are bindings', () => {
    const text = xml(
      '<jwtBuilder id="b" keyStoreRef="signing" keyAlias="key" audiences="x"/>',
      '${env.AWS_SECRET_ACCESS_KEY}',
    );
    const r = refusal(() => plan(text, userStore()));
    expect(ids(r.bindings)).toEqual(['keystore:signing']);
    // The client secret is dropped for JWT authentication; a password grant keeps it.
    const password = text.replace('jwtAuthenticationTokenRef="tc"', '');
    expect(ids(refusal(() => plan(password, userStore())).bindings)).toEqual([
      'env:AWS_SECRET_ACCESS_KEY',
    ]);
    // A keystore the user does not have yet binds nothing now: the notes ask them to import it.
    expect(plan(text.replace('"signing"', '"liberty-ks"'), userStore()).bindings).toEqual([]);
  });

  it('jwkEnabled with the user’s builder ID is a binding', () => {
    const text = xml('<jwtBuilder id="prod-builder" jwkEnabled="true"/>').replace(
      'tokenGeneratorRef="b"',
      'tokenGeneratorRef="prod-builder"',
    );
    expect(ids(refusal(() => plan(text, userStore())).bindings)).toEqual(['builder:prod-builder']);
  });

  it.each([
    ['expiresInSeconds="31536000"', 1440, /the expiry \(365 days\) is longer than the 24 hours/],
    ['expiresInSeconds="1e400"', 5, /is not a Liberty duration .*; 5 minutes is used/],
    ['expiresInSeconds="86460"', 1440, /the expiry \(1441 minutes\) is longer than the 24 hours/],
    ['expiry="400d"', 1440, /the expiry \(400 days\) is longer/],
    ['expiry="2h"', 120, undefined],
  ])('jwtBuilder %s: assertions live %i minutes', (attr, minutes, note) => {
    const text = xml(`<jwtBuilder id="b" ${attr} jwkEnabled="true"/>`);
    const { notes } = importServerXml(text);
    const conn = plan(text, userStore()).document.connections.at(-1);
    expect(conn?.jwt.claims.expirationMinutes).toBe(minutes);
    if (note) expect(notes.join('\n')).toMatch(note);
    else expect(notes.join('\n')).not.toMatch(/expiry/);
  });
});

describe('hostile encrypted secrets', () => {
  const PASSPHRASE = 'correct horse battery staple';
  /** A file whose sealed secrets say what the attacker wants, with a passphrase they chose. */
  function sealed(values: Record<string, string>, connections: unknown[]) {
    const salt = randomBytes(16);
    const key = scryptSync(PASSPHRASE, salt, 32, { N: 1024, r: 8, p: 1 });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(values)), cipher.final()]);
    return file({
      connections,
      secrets: {
        kdf: 'scrypt',
        N: 1024,
        r: 8,
        p: 1,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      },
    });
  }
  const store = () =>
    new FileStore(
      mkdtempSync(join(tmpdir(), 'tokensmith-sealed-')),
      new AesGcmCipher(Buffer.alloc(32, 5)),
    );

  it.each([
    ['/__proto__/polluted', 'yes'],
    ['/connections/0/__proto__/polluted', 'yes'],
    ['/connections/0/constructor/prototype/polluted', 'yes'],
    ['/connections/0/name', 'new\nline'],
    ['/connections/0/tokenEndpoint', 'https://elsewhere.test/'],
    ['/connections/0/client/id', 'x'],
  ])('a secret at %s is refused; nothing is polluted or written', async (pointer, value) => {
    const s = store();
    const error = await importFile(s, sealed({ [pointer]: value }, [cc('one')]), {
      passphrase: PASSPHRASE,
    }).catch((e: unknown) => e as TokensmithError);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect((error as TokensmithError).message).toContain(
      `${pointer}: An encrypted secret belongs to a field that is not a secret in the file.`,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await s.read()).connections).toEqual([]);
  });

  it('a decrypted secret obeys the field’s rules (no line breaks in a client secret) and env references in it are bindings', async () => {
    const s = store();
    await expect(
      importFile(s, sealed({ '/connections/0/client/secret': 'a\nb' }, [cc('one')]), {
        passphrase: PASSPHRASE,
      }),
    ).rejects.toThrow(/\/connections\/0\/client\/secret: Client Secret must be a single line/);
    await expect(
      importFile(s, sealed({ '/connections/0/client/secret': '${env:HOME}' }, [cc('one')]), {
        passphrase: PASSPHRASE,
      }),
    ).rejects.toMatchObject({
      code: 'confirmation_required',
      detail: { unconfirmed: ['env:HOME'] },
    });
  });
});

describe('IDs and the allow-list setting', () => {
  it('duplicate IDs in the file, or the ID of another of the user’s connections, get fresh IDs', () => {
    const text = file({
      connections: [
        cc('one', { id: 'same' }),
        cc('two', { id: 'same' }),
        cc('three', { id: 'mine-1' }),
      ],
    });
    const plan = planImport(text, userStore());
    const all = plan.document.connections.map((c) => c.id);
    expect(new Set(all).size).toBe(all.length);
    expect(plan.document.connections.find((c) => c.name === 'one')?.id).toBe('same');
    expect(plan.document.connections.find((c) => c.name === 'my graph')?.id).toBe('mine-1');
  });

  it('envAllowPrefixes: names of variables only', () => {
    expect(settingsSchema.parse({}).envAllowPrefixes).toEqual([]);
    expect(settingsSchema.safeParse({ envAllowPrefixes: ['MYAPP_'] }).success).toBe(true);
    for (const bad of ['', 'MY APP', '1X', 'A-B', '${env:X}'])
      expect(settingsSchema.safeParse({ envAllowPrefixes: [bad] }).success).toBe(false);
  });
});

describe('bindings through a token exchange and a DPoP key', () => {
  it('a token exchange chained through a connection of the user’s sends its token: asked first', () => {
    const exchange = {
      id: 'x',
      name: 'exchange',
      type: 'token_exchange',
      tokenEndpoint: EVIL,
      client: { id: 'attacker' },
      subjectToken: { source: 'connection', connection: 'my graph' },
      actorToken: { source: 'connection', connection: 'mine-2' },
    };
    const asked = refusal(() => planImport(file({ connections: [exchange] }), userStore()));
    expect(asked.bindings.map((b) => b.id)).toEqual(['connection:my graph', 'connection:my zos']);
    expect(asked.bindings[0]?.detail).toContain(
      'sends its current token, as the subject token of a token exchange, to https://evil.test/token',
    );
    // Chained through a connection of the file itself: nothing of the user's.
    const own = { ...exchange, actorToken: { source: 'none' } };
    const inFile = planImport(
      file({
        connections: [{ ...own, subjectToken: { source: 'connection', connection: 'c' } }, cc('c')],
      }),
      userStore(),
    );
    expect(inFile.bindings).toEqual([]);
  });

  it('a DPoP key from the user’s keystore signs proofs for the file’s endpoint: asked first', () => {
    const dpop = cc('dpop', {
      dpop: { enabled: true, keySource: 'keystore', keystore: 'signing', alias: 'key' },
    });
    const asked = refusal(() => planImport(file({ connections: [dpop] }), userStore()));
    expect(asked.bindings.map((b) => b.id)).toEqual(['keystore:signing']);
    expect(asked.bindings[0]?.detail).toContain('signs DPoP proofs with its key (alias "key")');
  });

  it('replacing a connection of the user’s is a binding, and with it a chain through the copy: the Replace bypass is closed', () => {
    // An unchanged copy of the user's connection (Replace would keep its secret) plus a token
    // exchange chained to it, sending the user's live token to the file's endpoint.
    const copy = {
      id: 'mine-2',
      name: 'my zos',
      type: 'client_credentials',
      tokenEndpoint: 'https://zos.example.test/token',
      client: { id: 'zos', authMethod: 'private_key_jwt' },
    };
    const exchange = {
      ...cc('exchange'),
      type: 'token_exchange',
      subjectToken: { source: 'connection', connection: 'my zos' },
    };
    const text = file({ connections: [copy, exchange] });
    const asked = refusal(() => planImport(text, userStore(), { replace: true }));
    const mine = asked.bindings.find((b) => b.id === 'connection:my zos');
    expect(mine?.detail).toContain(
      'the file replaces it with its own copy (still to https://zos.example.test/token), which keeps your secrets for it',
    );
    expect(mine?.detail).toContain('"exchange" sends its current token, as the subject token');
    expect(mine?.usedBy.sort()).toEqual(['exchange', 'my zos']);
    expect(
      planImport(text, userStore(), { replace: true, confirm: ids(asked.bindings) }),
    ).toBeTruthy();
    // Replaced with one that goes elsewhere: said so.
    const moved = refusal(() =>
      planImport(file({ connections: [{ ...copy, tokenEndpoint: EVIL }] }), userStore(), {
        replace: true,
      }),
    );
    expect(moved.bindings[0]?.detail).toBe(
      `the file replaces it (to https://zos.example.test/token) with one that sends its requests to ${EVIL}.`,
    );
  });

  it('a chain to a connection that does not exist yet is asked first: a later one of that name would send its token', () => {
    const exchange = {
      ...cc('exchange'),
      type: 'token_exchange',
      subjectToken: { source: 'connection', connection: 'created-later' },
    };
    const asked = refusal(() => planImport(file({ connections: [exchange] }), userStore()));
    expect(asked.bindings.map((b) => b.id)).toEqual(['connection:created-later']);
    expect(asked.bindings[0]?.detail).toContain('no connection has this name yet');
  });

  it('review texts show the host as the URL parser sees it and quote names so they cannot pose as text', () => {
    const spoof = cc('a" is safe. "b', {
      tokenEndpoint: 'https://login.microsoftonline.com:443@127.0.0.1:9/token',
      client: { id: 'x', secret: '${env:SPOOF}' },
    });
    const asked = refusal(() => planImport(file({ connections: [spoof] }), userStore()));
    const detail = asked.bindings[0]?.detail ?? '';
    expect(detail).toContain('client secret of "a\\" is safe. \\"b"');
    expect(detail).toContain(
      'https://127.0.0.1:9/token (host 127.0.0.1:9: the "login.microsoftonline.com:443" before "@" is user info, not the host)',
    );
  });
});
