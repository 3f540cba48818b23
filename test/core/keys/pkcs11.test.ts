/**
 * PKCS#11 keystores (issue 26, item 1) on a real SoftHSM2 token: keys generated on the token by
 * pkcs11-tool (not extractable), a certificate written to it, assertions signed on the token that
 * oidc-provider accepts (RS256, PS256, ES256), x5t from the token's certificate, a DPoP proof,
 * mTLS refused with a clear message, and the CLI's import with its messages for a wrong PIN, a
 * missing module and a missing object. The token lives in a private SOFTHSM2_CONF directory.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader, exportJWK } from 'jose';
import {
  startAuthorizationServer,
  SANDBOX_SECRET,
  DPOP_CLIENT,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { connection, failure, testContext } from '../../support/engine.js';
import { runCli } from '../../support/cli-run.js';
import { opensslThumbprint } from '../../support/fixtures.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { networkProfileFor } from '../../../electron/core/resources.js';
import { loadPkcs11Keystore } from '../../../electron/core/keys/pkcs11.js';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import type { TokensmithError } from '../../../electron/core/errors.js';
import { storeDocument } from '../../../shared/store-model.js';
import type { ConfirmationDetail } from '../../../shared/transfer.js';
import type { JwsAlgorithm } from '../../../shared/connection.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import { createAppService } from '../../../electron/core/app-service.js';

const MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '4711';
const TOKEN = 'tokensmith-test';
const MISSING = '/nonexistent/tokensmith/libpkcs11-missing.so';

let dir: string;
let server: AuthorizationServer;
const env = () => ({ SOFTHSM2_CONF: join(dir, 'softhsm2.conf') });
const tool = (args: string[]) =>
  execFileSync('pkcs11-tool', ['--module', MODULE, '--token-label', TOKEN, ...args], {
    env: { ...process.env, ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
const login = ['--login', '--pin', PIN];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokensmith-pkcs11-'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  execFileSync('mkdir', [join(dir, 'tokens')]);
  // This process's own modules read the private configuration too (SoftHSM reads it on load).
  process.env.SOFTHSM2_CONF = conf;
  execFileSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', TOKEN, '--pin', PIN, '--so-pin', '123456'],
    { env: { ...process.env, ...env() }, stdio: 'ignore' },
  );
  for (const [type, label, id] of [
    ['rsa:2048', 'rsa-key', '01'],
    ['EC:prime256v1', 'ec-key', '02'],
  ] as const)
    tool([
      ...login,
      '--keypairgen',
      '--key-type',
      type,
      '--label',
      label,
      '--id',
      id,
      '--sensitive',
    ]);
  // A certificate of the RSA key, issued by a throwaway CA (the key itself never leaves the token).
  tool(['--read-object', '--type', 'pubkey', '--id', '01', '-o', join(dir, 'rsa-pub.der')]);
  const pub = createPublicKey({
    key: readFileSync(join(dir, 'rsa-pub.der')),
    format: 'der',
    type: 'spki',
  });
  writeFileSync(join(dir, 'rsa-pub.pem'), pub.export({ type: 'spki', format: 'pem' }));
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  writeFileSync(join(dir, 'ca.key'), ca.export({ type: 'pkcs8', format: 'pem' }));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl([
    'req',
    '-new',
    '-x509',
    '-key',
    'ca.key',
    '-subj',
    '/CN=Test CA',
    '-days',
    '2',
    '-out',
    'ca.crt',
  ]);
  openssl(['req', '-new', '-key', 'ca.key', '-subj', '/CN=hsm-client', '-out', 'leaf.csr']);
  openssl([
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-days',
    '2',
    '-force_pubkey',
    'rsa-pub.pem',
    '-out',
    'leaf.crt',
  ]);
  openssl(['x509', '-in', 'leaf.crt', '-outform', 'DER', '-out', 'leaf.der']);
  tool([
    ...login,
    '--write-object',
    join(dir, 'leaf.der'),
    '--type',
    'cert',
    '--id',
    '01',
    '--label',
    'rsa-key',
  ]);

  const keystore = loadPkcs11Keystore({
    uri: `pkcs11:token=${TOKEN}`,
    module: MODULE,
    pin: PIN,
    label: 'keystore "t"',
  });
  const jwks = await Promise.all(
    keystore.entries.map(async (e) => ({ ...(await exportJWK(e.privateKey!)), kid: e.alias })),
  );
  server = await startAuthorizationServer({
    trustedIssuers: {
      'hsm-issuer': keystore.entries.find((e) => e.alias === 'ec-key')!.privateKey!,
    },
    signingKey: createPrivateKey(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }),
    ),
    extraClients: [
      {
        client_id: 'hsm-client',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: jwks },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  delete process.env.SOFTHSM2_CONF;
  rmSync(dir, { recursive: true, force: true });
});

const hsm = (object?: string) => ({
  name: 'hsm',
  kind: 'pkcs11' as const,
  path: `pkcs11:token=${TOKEN}${object ? `;object=${object}` : ''}`,
  module: MODULE,
  password: PIN,
});

const clientCredentials = (alias: string, alg: JwsAlgorithm) =>
  connection({
    type: 'client_credentials',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'hsm-client', authMethod: 'private_key_jwt' },
    jwt: {
      signing: { keystore: 'hsm', alias },
      header: { alg, includeX5t: true, includeX5tS256: true },
    },
  });

describe('a SoftHSM2 token as a keystore', () => {
  it('the keys were generated on the token and cannot leave it', () => {
    const listed = tool([...login, '--list-objects', '--type', 'privkey']);
    expect(listed.match(/never extractable/g)).toHaveLength(2);
    const keystore = loadPkcs11Keystore({
      uri: `pkcs11:token=${TOKEN}`,
      module: MODULE,
      pin: PIN,
      label: 'k',
    });
    expect(keystore.entries.map((e) => e.alias).sort()).toEqual(['ec-key', 'rsa-key']);
    for (const e of keystore.entries) {
      // What stands for the key in this process is its public half only.
      expect(e.privateKey!.type).toBe('public');
      expect(() => e.privateKey!.export({ type: 'pkcs8', format: 'pem' })).toThrow();
    }
  });

  it.each([
    ['rsa-key', 'RS256'],
    ['rsa-key', 'PS256'],
    ['ec-key', 'ES256'],
  ] as const)(
    '%s signs a %s private_key_jwt assertion on the token that oidc-provider accepts',
    async (alias, alg) => {
      const ctx = await testContext({ keystores: [hsm()] });
      const result = await requestToken(clientCredentials(alias, alg), ctx);
      await ctx.http.close();
      expect(result.accessToken).toBeTruthy();
      const sent = server.tokenRequests().at(-1)!.form.get('client_assertion')!;
      const header = decodeProtectedHeader(sent);
      expect(header.alg).toBe(alg);
      expect(decodeJwt(sent).sub).toBe('hsm-client');
      if (alias === 'rsa-key') {
        // x5t / x5t#S256 from the certificate stored on the token.
        expect(header.x5t).toBe(opensslThumbprint(join(dir, 'leaf.crt'), 'sha1').base64url);
        expect(header['x5t#S256']).toBe(
          opensslThumbprint(join(dir, 'leaf.crt'), 'sha256').base64url,
        );
      } else expect(header.x5t).toBeUndefined();
    },
  );

  it('a token key signs a JWT bearer assertion (ES256) that oidc-provider accepts', async () => {
    const ctx = await testContext({ keystores: [hsm()] });
    const result = await requestToken(
      connection({
        type: 'jwt_bearer',
        tokenEndpoint: server.tokenEndpoint,
        client: { id: 'jwt-bearer' },
        jwt: {
          signing: { keystore: 'hsm', alias: 'ec-key' },
          claims: { issuer: 'hsm-issuer', subject: 'alice' },
        },
      }),
      ctx,
    );
    await ctx.http.close();
    expect(result.accessToken).toBeTruthy();
    const sent = server.tokenRequests().at(-1)!.form.get('assertion')!;
    expect(decodeProtectedHeader(sent).alg).toBe('ES256');
  });

  it('a token key signs DPoP proofs the provider binds the token to', async () => {
    const ctx = await testContext({ keystores: [hsm('ec-key')] });
    const result = await requestToken(
      connection({
        type: 'client_credentials',
        issuer: server.issuer,
        tokenEndpoint: server.tokenEndpoint,
        client: { id: DPOP_CLIENT, secret: SANDBOX_SECRET },
        params: { scope: 'api:read' },
        dpop: { enabled: true, keySource: 'keystore', keystore: 'hsm', alias: 'ec-key' },
      }),
      ctx,
    );
    await ctx.http.close();
    expect(result.tokenType).toBe('DPoP');
    const proof = String(server.tokenRequests().at(-1)!.headers.dpop);
    expect(decodeProtectedHeader(proof)).toMatchObject({ alg: 'ES256', typ: 'dpop+jwt' });
  });

  it('mTLS with a token key says it needs an exportable key', async () => {
    const ctx = await testContext({ keystores: [hsm('rsa-key')] });
    const conn = connection({
      type: 'client_credentials',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'hsm-client', secret: 'x' },
      ssl: { enabled: true, keystoreAlias: 'hsm', keyAlias: 'rsa-key' },
    });
    const error = await failure(networkProfileFor(conn, ctx.resources));
    expect(error.message).toMatch(/mTLS needs an exportable key/);
  });
});

describe('tokensmith keystore import pkcs11:…', () => {
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, {
      cwd: dir,
      env: { TOKENSMITH_HOME: join(dir, 'home'), ...env(), ...extra },
    });
  const uri = `pkcs11:token=${TOKEN};object=rsa-key`;

  it('imports the token key with its PIN and lists it; the PIN is nowhere in the output', async () => {
    const run = await cli(
      ['keystore', 'import', uri, '--module', MODULE, '--name', 'hsm', '--password-env', 'PIN'],
      { PIN },
    );
    expect(run.stderr).toBe('Imported keystore "hsm" (pkcs11) with 1 alias(es): rsa-key.');
    const aliases = await cli(['keystore', 'aliases', 'hsm']);
    expect(aliases.code).toBe(0);
    expect(aliases.stdout).toMatch(/^rsa-key {2}key \+ certificate {2}CN=hsm-client/);
    const store = readFileSync(join(dir, 'home', 'store.json'), 'utf8');
    expect(store).not.toContain(`"${PIN}"`);
  });

  it.each([
    [
      ['--module', MODULE],
      uri,
      '0000',
      'Cannot open keystore "bad": the PIN (its password) is wrong.',
    ],
    [
      ['--module', MISSING],
      uri,
      PIN,
      `The PKCS#11 module of keystore "bad" is missing: ${MISSING}`,
    ],
    [
      ['--module', MODULE],
      `pkcs11:token=${TOKEN};object=gone`,
      PIN,
      `keystore "bad": the token "${TOKEN}" has no key or certificate labelled "gone".`,
    ],
  ])('%s %s: one clear line', async (flags, target, pin, message) => {
    const run = await cli(
      ['keystore', 'import', target, ...flags, '--name', 'bad', '--password-env', 'PIN'],
      { PIN: pin },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toBe(`tokensmith: ${message}`);
    expect(run.stderr).not.toContain(pin === PIN ? `=${PIN}` : pin);
  });
});

describe('the app’s keystores:import with a token', () => {
  it('imports by URI and module with the PIN; a wrong PIN is refused with its message', async () => {
    const workspace = await openWorkspace(join(dir, 'app-data'), {
      TOKENSMITH_SECRET_KEY_STORE: 'file',
    });
    const service = createAppService({
      workspace,
      env: {},
      mode: 'browser',
      version: 'test',
      emit: () => {},
    });
    const request = {
      name: 'app-hsm',
      kind: 'pkcs11',
      fileName: 'token',
      content: '',
      uri: `pkcs11:token=${TOKEN}`,
      module: MODULE,
    };
    const wrong = await service.dispatch('keystores:import', { ...request, password: '0000' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok)
      expect(wrong.error.message).toBe(
        'Cannot open keystore "app-hsm": the PIN (its password) is wrong.',
      );
    const right = await service.dispatch('keystores:import', { ...request, password: PIN });
    expect(
      right.ok &&
        (right.value as { aliases: Array<{ alias: string }> }).aliases.map((a) => a.alias).sort(),
    ).toEqual(['ec-key', 'rsa-key']);
    const listed = await service.dispatch('keystores:list', {});
    expect(JSON.stringify(listed)).not.toContain(PIN);
  });
});

describe('a PKCS#11 keystore from someone else’s file', () => {
  it('asks before its module, a library that would run inside Tokensmith, is loaded', () => {
    const text = JSON.stringify({
      format: 'tokensmith.connections',
      version: 1,
      connections: [],
      keystores: [
        { name: 'their-hsm', kind: 'pkcs11', path: 'pkcs11:token=x', module: '/tmp/evil.so' },
      ],
    });
    let detail: ConfirmationDetail | undefined;
    try {
      planImport(text, storeDocument.parse({ format: 'tokensmith.store', version: 1 }));
    } catch (e) {
      expect((e as TokensmithError).code).toBe('confirmation_required');
      detail = (e as TokensmithError).detail as unknown as ConfirmationDetail;
    }
    expect(detail?.bindings.map((b) => [b.id, b.detail])).toEqual([
      ['path:pkcs11:token=x', 'the token (PKCS#11 URI) of keystore "their-hsm".'],
      [
        'path:/tmp/evil.so',
        'loaded into Tokensmith as the PKCS#11 module of keystore "their-hsm".',
      ],
    ]);
  });
});
