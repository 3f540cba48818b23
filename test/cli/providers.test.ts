/**
 * Provider profiles (issue 25): a connection built from each profile gets a token from a
 * loopback oidc-provider configured like that provider (its token path, client authentication,
 * algorithms, and the assertion rules it checks); a Google key JSON and a Salesforce certificate
 * become keystore + JWT bearer connections; files of the wrong kind are refused; a provider's
 * documented error names the field to fix.
 */
import { X509Certificate, createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  jwtVerify,
} from 'jose';
import Provider, { errors, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerJwtBearerGrant } from '../../sandbox/custom-grants.js';
import { JWT_BEARER_GRANT } from '../../sandbox/constants.js';
import { fixtures, type Fixtures } from '../support/fixtures.js';
import {
  addProviderConnection,
  getToken,
  type ProviderConnectionRequest,
} from '../../electron/core/index.js';
import { closeSession, createSession } from '../../electron/core/use-cases/session.js';
import { openWorkspace } from '../../electron/core/workspace.js';
import { createAppService } from '../../electron/core/app-service.js';
import { CONNECTION_TYPES, connectionSchema, newConnection } from '../../shared/connection.js';
import { PROVIDERS, providerErrorOf, providerOfEndpoint } from '../../shared/providers/index.js';
import { valueAt } from '../../cli/connection-flags.js';
import { runCli } from '../support/cli-run.js';

interface Mount {
  prefix: string;
  provider: Provider;
  /** Google and Salesforce take no client authentication: oidc-provider needs a client_id. */
  publicClient?: string;
}

const received: Array<{
  path: string;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}> = [];
let server: Server;
let base = '';
let f: Fixtures;
let dataDir = '';
const mounts: Mount[] = [];
const SF_KEY = '3MVG9consumerKey';
const SF_USER = 'integration@example.com';
const google = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** The providers' own signing key (one for all: generating one each is slow). */
let providerKey: Record<string, unknown>;

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(['--data-dir', dataDir, '--no-workspace', ...args], { env });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function provider(
  issuer: string,
  token: string,
  options: {
    clients: ClientMetadata[];
    methods: string[];
    algs?: string[];
    assert?: (claims: Record<string, unknown>, header: Record<string, unknown>) => void;
  },
): Provider {
  return new Provider(issuer, {
    jwks: { keys: [providerKey] },
    clients: options.clients,
    routes: { token },
    clientAuthMethods: options.methods as never,
    enabledJWA: { clientAuthSigningAlgValues: (options.algs ?? ['RS256']) as never },
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    scopes: ['api', 'https://graph.microsoft.com/.default'],
    cookies: { keys: ['providers-test'] },
    assertJwtClientAuthClaimsAndHeader: async (_ctx, claims, header) =>
      options.assert?.(claims as never, header as never),
  });
}

const m2m = (client_id: string, extra: Partial<ClientMetadata>): ClientMetadata => ({
  client_id,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  scope: 'api https://graph.microsoft.com/.default',
  ...extra,
});

function refuse(description: string): never {
  throw new errors.InvalidClientAuth(description);
}

beforeAll(async () => {
  f = await fixtures();
  providerKey = { ...(await exportJWK(google.privateKey)), kid: 'op', alg: 'RS256', use: 'sig' };
  dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-providers-'));
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let body = await readBody(req);
      const path = (req.url ?? '').split('?')[0] ?? '';
      received.push({ path, headers: { ...req.headers }, form: new URLSearchParams(body) });
      const m = mounts.find((x) => path.startsWith(`${x.prefix}/`));
      if (!m) {
        res.statusCode = 404;
        res.end();
        return;
      }
      if (m.publicClient && !new URLSearchParams(body).has('client_id'))
        body += `&client_id=${m.publicClient}`;
      Object.assign(req, {
        body,
        originalUrl: req.url,
        url: (req.url ?? '').slice(m.prefix.length),
      });
      void m.provider.callback()(req, res);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const rsaCert = new X509Certificate(readFileSync(f.path('rsa.crt')));
  const rsaJwk = await exportJWK(rsaCert.publicKey);
  const rsaKid = await calculateJwkThumbprint(rsaJwk);
  const ecCert = new X509Certificate(readFileSync(f.path('ec.crt')));
  const ecJwk = await exportJWK(ecCert.publicKey);
  const x5tS256 = createHash('sha256').update(rsaCert.raw).digest('base64url');

  // Entra ID: aud = the v2 token endpoint exactly, iss = sub = app ID, x5t#S256 or x5t; its
  // errors carry AADSTS codes.
  const entraToken = `${base}/entra/contoso.onmicrosoft.com/oauth2/v2.0/token`;
  const entra = provider(`${base}/entra/contoso.onmicrosoft.com/v2.0`, '/oauth2/v2.0/token', {
    clients: [
      m2m('entra-app', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [rsaJwk] } }),
    ],
    methods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    algs: ['RS256', 'PS256'],
    assert: (claims, header) => {
      if (header['x5t#S256'] !== x5tS256) refuse('x5t#S256 is not the certificate’s');
      if (claims.aud !== entraToken) refuse('aud is not the v2 token endpoint');
      if (claims.sub !== claims.iss) refuse('sub is not the client ID');
    },
  });
  entra.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (body?.error === 'invalid_client')
      ctx.body = {
        ...body,
        error_description: 'AADSTS700027: Client assertion failed signature validation.',
        error_codes: [700027],
      };
  });
  // Okta: kid required; Keycloak: aud = the realm issuer; Auth0: aud = https://DOMAIN/.
  const okta = provider(`${base}/okta/oauth2/default`, '/oauth2/default/v1/token', {
    clients: [
      m2m('okta-app', {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...rsaJwk, kid: rsaKid }] },
      }),
    ],
    methods: ['client_secret_basic', 'private_key_jwt'],
    algs: ['RS256', 'ES256'],
    assert: (_claims, header) => {
      if (header.kid !== rsaKid) refuse('The client_assertion JWT kid is invalid.');
    },
  });
  const kcIssuer = `${base}/kc/realms/demo`;
  const keycloak = provider(kcIssuer, '/realms/demo/protocol/openid-connect/token', {
    clients: [
      m2m('kc-app', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [ecJwk] } }),
    ],
    methods: ['client_secret_basic', 'private_key_jwt'],
    algs: ['RS256', 'ES256'],
    assert: (claims) => {
      if (claims.aud !== kcIssuer) refuse('aud is not the realm issuer');
    },
  });
  const auth0 = provider(`${base}/auth0/`, '/oauth/token', {
    clients: [
      m2m('a0-app', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [rsaJwk] } }),
    ],
    methods: ['private_key_jwt'],
    algs: ['RS256', 'RS384', 'PS256'],
    assert: (claims) => {
      if (claims.aud !== `${base}/auth0/`) refuse('aud is not the tenant URL with its slash');
      if (Number(claims.exp) - Number(claims.iat) > 300) refuse('lives more than 5 minutes');
    },
  });
  // Cognito and IBM Verify: client ID and secret, Basic.
  const cognito = provider(`${base}/cognito`, '/oauth2/token', {
    clients: [
      m2m('cog-app', {
        client_secret: 'cog-secret',
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ],
    methods: ['client_secret_basic'],
  });
  const ibm = provider(`${base}/ibm/oauth2`, '/oauth2/token', {
    clients: [
      m2m('ibm-app', {
        client_secret: 'ibm-secret',
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ],
    methods: ['client_secret_basic', 'client_secret_post'],
  });
  // Google: the sandbox's JWT bearer grant, iss = client_email, aud = token_uri.
  const publicBearer = (id: string) => ({
    client_id: id,
    token_endpoint_auth_method: 'none' as const,
    grant_types: [JWT_BEARER_GRANT],
    response_types: [],
    redirect_uris: [],
  });
  const googleOp = provider(`${base}/google`, '/token', {
    clients: [publicBearer('google-public')],
    methods: ['none'],
  });
  registerJwtBearerGrant(googleOp, { 'svc@proj.iam.gserviceaccount.com': google.publicKey });
  // Salesforce: aud = https://login.salesforce.com, iss = consumer key, sub = username, RS256.
  const sf = provider(`${base}/sf`, '/services/oauth2/token', {
    clients: [publicBearer('sf-public')],
    methods: ['none'],
  });
  sf.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      try {
        const { payload } = await jwtVerify(
          String(ctx.oidc.params?.assertion),
          rsaCert.publicKey as KeyObject,
          {
            audience: 'https://login.salesforce.com',
            issuer: SF_KEY,
            subject: SF_USER,
            algorithms: ['RS256'],
          },
        );
        ctx.body = {
          access_token: `sf-${String(payload.sub)}`,
          token_type: 'Bearer',
          instance_url: base,
        };
      } catch {
        throw new errors.InvalidGrant('invalid assertion');
      }
    },
    ['assertion'],
  );
  mounts.push(
    { prefix: '/entra/contoso.onmicrosoft.com', provider: entra },
    { prefix: '/okta', provider: okta },
    { prefix: '/kc', provider: keycloak },
    { prefix: '/auth0', provider: auth0 },
    { prefix: '/cognito', provider: cognito },
    { prefix: '/ibm', provider: ibm },
    { prefix: '/google', provider: googleOp, publicClient: 'google-public' },
    { prefix: '/sf', provider: sf, publicClient: 'sf-public' },
  );
  writeFileSync(
    join(dataDir, 'rsa-key-cert.pem'),
    readFileSync(f.path('rsa.key'), 'utf8') + readFileSync(f.path('rsa.crt'), 'utf8'),
  );
  writeFileSync(
    join(dataDir, 'google-key.json'),
    JSON.stringify({
      type: 'service_account',
      project_id: 'proj',
      private_key_id: 'a1b2c3d4',
      private_key: google.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: 'svc@proj.iam.gserviceaccount.com',
      client_id: '1234567890',
      token_uri: `${base}/google/token`,
    }),
  );
  writeFileSync(
    join(dataDir, 'user.json'),
    JSON.stringify({
      type: 'authorized_user',
      client_id: 'x',
      client_secret: 'y',
      refresh_token: 'z',
    }),
  );
});

afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

const lastForm = (prefix: string) => [...received].reverse().find((r) => r.path.startsWith(prefix));

describe('provider profiles', () => {
  it('lists the profiles, as text and JSON', async () => {
    const [text, json] = await Promise.all([cli(['providers']), cli(['providers', '--json'])]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('--provider entra --tenant');
    const list = JSON.parse(json.stdout) as Array<{ id: string; errors: Array<{ code?: string }> }>;
    expect(list.map((p) => p.id)).toEqual([
      'entra',
      'google',
      'salesforce',
      'okta',
      'auth0',
      'keycloak',
      'cognito',
      'ibm-verify',
    ]);
    expect(list[0]?.errors.some((e) => e.code === 'AADSTS700027')).toBe(true);
  });

  it('builds a connection from each profile that gets a token from a server configured like the provider', async () => {
    const session = createSession({ workspace: await openWorkspace(dataDir, {}), env: {} });
    const p12 = (name: string) => ({
      fileName: `${name}.p12`,
      data: readFileSync(f.path(`${name}.p12`)),
      password: 'changeit',
    });
    const pem = {
      fileName: 'rsa-key-cert.pem',
      data: readFileSync(join(dataDir, 'rsa-key-cert.pem')),
    };
    const flags = (fields: Record<string, unknown>) => (record: Record<string, unknown>) => {
      record.client = { ...(record.client as object), ...(fields.client as object) };
      if (fields.params)
        record.params = { ...(record.params as object), ...(fields.params as object) };
    };
    const built = [
      {
        name: 'entra',
        provider: 'entra',
        values: { tenant: 'contoso.onmicrosoft.com', domain: `${base}/entra` },
        keyFile: p12('rsa'),
        customize: flags({ client: { id: 'entra-app' } }),
      },
      {
        name: 'okta',
        provider: 'okta',
        values: { domain: `${base}/okta` },
        keyFile: pem,
        customize: flags({ client: { id: 'okta-app' }, params: { scope: 'api' } }),
      },
      {
        name: 'kc',
        provider: 'keycloak',
        values: { domain: `${base}/kc`, realm: 'demo' },
        keyFile: p12('ec'),
        customize: flags({ client: { id: 'kc-app' } }),
      },
      {
        name: 'auth0',
        provider: 'auth0',
        values: { domain: `${base}/auth0` },
        keyFile: p12('rsa'),
        keystoreName: 'auth0-key',
        customize: flags({ client: { id: 'a0-app' } }),
      },
      {
        name: 'cog',
        provider: 'cognito',
        values: { domain: `${base}/cognito`, region: 'eu-west-1' },
        customize: flags({ client: { id: 'cog-app', secret: 'cog-secret' } }),
      },
      {
        name: 'ibm',
        provider: 'ibm-verify',
        values: { tenant: 'acme', domain: `${base}/ibm` },
        customize: flags({ client: { id: 'ibm-app', secret: 'ibm-secret' } }),
      },
      {
        name: 'sf',
        provider: 'salesforce',
        values: { domain: `${base}/sf` },
        keyFile: pem,
        customize: (r: Record<string, unknown>) => {
          flags({ client: { id: SF_KEY } })(r);
          (r.jwt as { claims: Record<string, unknown> }).claims.subject = SF_USER;
        },
      },
    ];
    try {
      for (const b of built) {
        const { connection } = await addProviderConnection(session, b);
        const { result } = await getToken(session, connection, { noCache: true });
        expect(result.accessToken, b.name).toBeTruthy();
      }
    } finally {
      await closeSession(session);
    }
    const entraForm = lastForm('/entra')?.form;
    const header = decodeProtectedHeader(entraForm?.get('client_assertion') ?? '');
    const claims = decodeJwt(entraForm?.get('client_assertion') ?? '');
    expect(header['x5t#S256']).toBeTruthy();
    expect(claims).toMatchObject({
      iss: 'entra-app',
      sub: 'entra-app',
      aud: `${base}/entra/contoso.onmicrosoft.com/oauth2/v2.0/token`,
    });
    expect(entraForm?.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(lastForm('/cognito')?.headers.authorization).toMatch(/^Basic /);
    const sfForm = lastForm('/sf')?.form;
    expect(sfForm?.has('client_id')).toBe(false);
    expect(decodeJwt(sfForm?.get('assertion') ?? '')).toMatchObject({
      iss: SF_KEY,
      sub: SF_USER,
      aud: 'https://login.salesforce.com',
    });
  });

  it('imports a Google service-account key JSON as a keystore + JWT bearer connection, end to end', async () => {
    const add = await cli([
      'connection',
      'add',
      'gsa',
      '--provider',
      'google',
      '--key-file',
      join(dataDir, 'google-key.json'),
    ]);
    expect(add.stderr).toMatch(/^note: token_uri is .*not Google's.*\nAdded "gsa"/);
    const token = await cli(['token', 'gsa']);
    expect(token.code, token.stderr).toBe(0);
    const g = lastForm('/google')?.form;
    expect(g?.has('client_id')).toBe(false);
    const gJwt = g?.get('assertion') ?? '';
    expect(decodeProtectedHeader(gJwt).kid).toBe('a1b2c3d4');
    expect(decodeJwt(gJwt)).toMatchObject({
      iss: 'svc@proj.iam.gserviceaccount.com',
      aud: `${base}/google/token`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
    // The private key is kept encrypted: no keystore file holds it in plain text.
    const keyBody =
      (google.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).split('\n')[1] ?? '';
    const files = readdirSync(join(dataDir, 'keystores'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dataDir, 'keystores', file), 'latin1');
      expect(text).not.toContain(keyBody);
      expect(text).not.toContain('BEGIN PRIVATE KEY');
    }
  });

  it('serves the profiles and builds from one over the contract, with the binding review', async () => {
    const workspace = await openWorkspace(dataDir, {});
    const service = createAppService({
      workspace,
      env: {},
      mode: 'browser',
      version: 'test',
      emit: () => undefined,
    });
    try {
      const list = await service.dispatch('providers:list', {});
      expect(list.ok && (list.value as Array<{ id: string }>).map((p) => p.id)).toContain(
        'salesforce',
      );
      const request = {
        provider: 'salesforce',
        name: 'sf-app',
        values: { domain: `${base}/sf` },
        keyFile: {
          fileName: 'server.pem',
          content: readFileSync(join(dataDir, 'rsa-key-cert.pem')).toString('base64'),
        },
        // The keystore of the earlier Auth0 connection: replacing it is the user's to allow.
        keystoreName: 'auth0-key',
        replace: true,
        fields: { clientId: SF_KEY, subject: SF_USER },
      };
      const refused = await service.dispatch('providers:build', request);
      expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
      const bindings = (refused.ok ? [] : (refused.error.detail?.bindings ?? [])) as Array<{
        id: string;
      }>;
      expect(bindings.map((b) => b.id)).toEqual(['keystore:auth0-key']);
      const built = await service.dispatch('providers:build', {
        ...request,
        confirm: ['keystore:auth0-key'],
      });
      expect(built).toMatchObject({
        ok: true,
        value: {
          keystore: 'auth0-key',
          connection: {
            type: 'jwt_bearer',
            jwt: {
              claims: {
                issuer: SF_KEY,
                subject: SF_USER,
                audience: 'https://login.salesforce.com',
              },
            },
          },
        },
      });
      const session = createSession({ workspace, env: {} });
      const conn = (await workspace.store.read()).connections.find((c) => c.name === 'sf-app');
      if (!conn) throw new Error('not saved');
      expect((await getToken(session, conn, { noCache: true })).result.accessToken).toBe(
        `sf-${SF_USER}`,
      );
    } finally {
      await service.close();
    }
  });

  it("explains a provider's documented error and names the field to fix", async () => {
    const add = await cli(
      [
        'connection',
        'add',
        'entra-wrong-key',
        '--provider',
        'entra',
        '--tenant',
        'contoso.onmicrosoft.com',
        '--domain',
        `${base}/entra`,
        '--client-id',
        'entra-app',
        '--key-file',
        f.path('client.p12'),
        '--key-file-password-env',
        'P12_PASSWORD',
      ],
      { P12_PASSWORD: 'changeit' },
    );
    expect(add.code, add.stderr).toBe(0);
    const token = await cli(['token', 'entra-wrong-key', '--json']);
    expect(token.code).not.toBe(0);
    expect(token.stderr).toContain('AADSTS700027');
    expect(token.stderr).toContain('To fix: sign with the key of a certificate');
    expect(JSON.parse(token.stdout)).toMatchObject({
      error: 'oauth_error',
      field: 'jwt.signing.alias',
    });
  });

  it('refuses a credential file of the wrong kind, and values the profile does not take', async () => {
    const session = createSession({ workspace: await openWorkspace(dataDir, {}), env: {} });
    const file = (path: string, password?: string) => ({
      fileName: basename(path),
      data: readFileSync(path),
      ...(password ? { password } : {}),
    });
    const refusal = async (req: Omit<ProviderConnectionRequest, 'name'>) => {
      try {
        await addProviderConnection(session, { name: 'wrong', ...req });
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    try {
      const entra = { provider: 'entra', values: { tenant: 't1' } };
      expect(
        await refusal({ ...entra, keyFile: file(join(dataDir, 'google-key.json')) }),
      ).toContain('is a JSON file (a Google service-account key), not a certificate');
      expect(
        await refusal({ ...entra, keyFile: file(f.path('cert-only.p12'), 'changeit') }),
      ).toContain('holds no private key');
      expect(
        await refusal({
          provider: 'google',
          values: {},
          keyFile: file(join(dataDir, 'user.json')),
        }),
      ).toContain('"authorized_user" credential, not a service-account key');
      expect(
        await refusal({
          provider: 'cognito',
          values: { domain: 'pool', region: 'eu-west-1' },
          keyFile: file(f.path('rsa.p12'), 'changeit'),
        }),
      ).toContain('takes no key file');
      expect(await refusal({ provider: 'entra', values: {} })).toContain('needs --tenant');
      expect(
        await refusal({ provider: 'okta', values: { domain: 'x.okta.com', region: 'eu-west-1' } }),
      ).toContain('takes no --region');
      expect(await refusal({ provider: 'nope', values: {} })).toContain('Unknown provider "nope"');
      expect(
        await refusal({ provider: 'okta', values: { domain: 'http://example.com' } }),
      ).toContain('must be https://');
      expect(
        await refusal({
          provider: 'keycloak',
          values: { domain: 'sso.example.com', realm: '../admin' },
        }),
      ).toContain('is not a realm name');
    } finally {
      await closeSession(session);
    }
    // At the command line: one line, a failure status, nothing saved.
    const run = await cli([
      'connection',
      'add',
      'w1',
      '--provider',
      'google',
      '--key-file',
      join(dataDir, 'rsa-key-cert.pem'),
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'tokensmith: rsa-key-cert.pem is not a Google service-account key file (it looks like a certificate or key file): give the JSON key (IAM → Service accounts → Keys → Add key → JSON).',
    );
    const list = await cli(['connection', 'list', '--json']);
    expect(list.stdout).not.toMatch(/"(w1|wrong)"/);
  });
});

describe('provider profiles as data', () => {
  it('names only fields the connection model has, and recognises the providers’ documented errors', () => {
    const fresh = CONNECTION_TYPES.map((type) =>
      connectionSchema.parse({
        ...newConnection(type, { id: 'x', name: 'x' }),
        issuer: 'https://issuer.example',
      }),
    );
    const has = (path: string) => fresh.some((c) => valueAt(c, path) !== undefined);
    for (const p of PROVIDERS)
      for (const e of p.errors) {
        expect(e.meaning && e.fix, `${p.id} ${e.code ?? e.error}`).toBeTruthy();
        if (e.field) expect(has(e.field), `${p.id}: ${e.field}`).toBe(true);
      }
    const hint = (url: string, error: string, description: string) => {
      const profile = providerOfEndpoint(url);
      const known = profile && providerErrorOf(profile, error, description);
      return known && { provider: profile.id, field: known.field };
    };
    expect(
      hint(
        'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
        'invalid_client',
        'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd',
      ),
    ).toEqual({ provider: 'entra', field: 'client.secret' });
    expect(
      hint(
        'https://login.salesforce.com/services/oauth2/token',
        'invalid_grant',
        "user hasn't approved this consumer",
      ),
    ).toEqual({ provider: 'salesforce', field: 'jwt.claims.subject' });
    expect(
      hint(
        'https://dev-1.okta.com/oauth2/default/v1/token',
        'invalid_client',
        'The client_assertion JWT kid is invalid.',
      ),
    ).toEqual({ provider: 'okta', field: 'jwt.header.kid' });
    expect(
      hint('https://oauth2.googleapis.com/token', 'invalid_grant', 'Invalid JWT Signature.'),
    ).toEqual({ provider: 'google', field: 'jwt.signing.keystore' });
    expect(
      hint(
        'https://acme.example/auth/realms/x/protocol/openid-connect/token',
        'unauthorized_client',
        'Client not enabled to retrieve service account',
      ),
    ).toEqual({ provider: 'keycloak', field: undefined });
    // An endpoint no profile knows, or an error a profile does not document: no hint.
    expect(hint('https://auth.example/token', 'invalid_client', 'AADSTS700027')).toBeUndefined();
    expect(
      hint('https://login.salesforce.com/services/oauth2/token', 'invalid_grant', 'something else'),
    ).toBeUndefined();
  });
});
