/**
 * The seed audit of the z/OS Connect server.xml import/export and the JWT flows (issue 23, item
 * 4), each on the seeds' own examples: what an imported connection tests is what z/OS sends (no
 * `aud` from a builder without audiences, every audience, no x5t, the kid of the published key,
 * z/OS's token cache rule); every element id survives import → export; every element the import
 * cannot map is named with its line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import {
  exportServerXml,
  importServerXml,
} from '../../../electron/core/transfer/server-xml/index.js';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { openWorkspace, type Workspace } from '../../../electron/core/workspace.js';
import { buildConnectionAssertion } from '../../../electron/core/grants/assertions.js';
import { ensureStoredSigningKeys } from '../../../electron/core/keys/signing-keys.js';
import { builderJwks } from '../../../electron/core/keys/builder-jwks.js';
import { HttpClient } from '../../../electron/core/http/http-client.js';
import { TokenCache } from '../../../electron/core/cache/token-cache.js';
import { obtainToken } from '../../../electron/core/token-service.js';
import { emptyStore, type StoreDocument } from '../../../shared/store-model.js';
import { descriptorOf, type Connection } from '../../../shared/connection.js';
import { keystoreEntry } from '../../../shared/resources.js';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { fixtureKeystores, testContext } from '../../support/engine.js';
import {
  AUTH_TOKEN_ALONE,
  SEED_000,
  SEED_001,
  SEED_002,
  SEED_002_AS_PRINTED,
  SEED_002_KEYSTORE,
} from './seed-examples.js';

function load(xml: string): StoreDocument {
  return planImport(JSON.stringify(importServerXml(xml).document), emptyStore(), {
    allowMissingKeystores: true,
    confirmAll: true,
  }).document;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

/** Every element id of a server.xml (apiRequester: its name), with its tag. */
function ids(xml: string): string[] {
  const out: string[] = [];
  const walk = (tag: string, node: unknown) => {
    for (const item of Array.isArray(node) ? node : [node]) {
      if (!item || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      const id = record.id ?? record.name;
      if (typeof id === 'string') out.push(`${tag}#${id}`);
      for (const [k, v] of Object.entries(record)) if (typeof v === 'object') walk(k, v);
    }
  };
  const server = (parser.parse(xml) as { server: Record<string, unknown> }).server;
  for (const [tag, node] of Object.entries(server)) walk(tag, node);
  return out.sort();
}

/** The elements the seeds' examples define that Tokensmith maps (not the keystore). */
const mapped = (xml: string) => ids(xml).filter((id) => !id.startsWith('keyStore#'));

/** Several references on one endpoint, sharing their servers (seed 000 allows both). */
const SHARED = `<server>
    <zosconnect_endpointConnection id="ep" host="https://api.example.com" port="443" authenticationConfigRef="o1,o2,j1,j2"/>
    <zosconnect_oAuthConfig id="o1" grantType="client_credentials" authServerRef="as1"/>
    <zosconnect_oAuthConfig id="o2" grantType="password" authServerRef="as1"/>
    <zosconnect_authorizationServer id="as1" tokenEndpoint="https://as.example.com/token" basicAuthRef="client"/>
    <zosconnect_authData id="client" user="c1" password="s1"/>
    <zosconnect_authToken id="j1" authServerRef="js" header="X-Jwt-1"/>
    <zosconnect_authToken id="j2" authServerRef="js" header="X-Jwt-2"/>
    <zosconnect_authorizationServer id="js" tokenEndpoint="https://jwt.example.com/token" basicAuthRef="user"/>
    <zosconnect_authData id="user" user="fred" password="pw"/>
</server>`;

describe('element ids survive import → export (item 4d)', () => {
  it.each([
    ['seed 000', SEED_000],
    ['seed 001', SEED_001],
    ['seed 002', SEED_002],
    ['seed 002 as printed (myOAuthConfig / myoAuthConfig)', SEED_002_AS_PRINTED],
    ['seed 002 with a keystore key', SEED_002_KEYSTORE],
    ['a zosconnect_authToken alone', AUTH_TOKEN_ALONE],
    ['several references on one endpoint, sharing servers', SHARED],
  ])('%s: the same ids, none invented, none doubled', (_label, xml) => {
    const exported = exportServerXml(load(xml), { includeSecrets: true }).xml;
    expect(ids(exported)).toEqual(mapped(xml));
  });

  it('the seed’s case-mismatched reference keeps every id and is reported, not invented around', () => {
    const { notes } = importServerXml(SEED_002_AS_PRINTED);
    expect(notes.join('\n')).toContain(
      'line 11: <zosconnect_endpointConnection id="conn"> refers to "myOAuthConfig", which is not in the file; <zosconnect_oAuthConfig id="myoAuthConfig"> (line 9) differs only in case and is taken as the one meant',
    );
    const [conn, ...others] = load(SEED_002_AS_PRINTED).connections;
    expect(others).toEqual([]);
    expect(conn!.zos.ids).toMatchObject({
      endpointConnection: 'conn',
      oAuthConfig: 'myoAuthConfig',
    });
    expect(exportServerXml(load(SEED_002_AS_PRINTED)).xml).toMatch(
      /<zosconnect_endpointConnection id="conn"[^>]* authenticationConfigRef="myoAuthConfig"/,
    );
  });

  it('one endpoint with several references is written once, referring to them all', () => {
    const doc = load(SHARED);
    expect(doc.connections.map((c) => c.zos.ids.endpointConnection)).toEqual(['ep', 'ep', 'ep']);
    const { xml } = exportServerXml(doc, { includeSecrets: true });
    expect(xml.match(/<zosconnect_endpointConnection /g)).toHaveLength(1);
    expect(xml).toContain('authenticationConfigRef="o1,j1,o2,j2"');
    // Changed in Tokensmith, a shared server is that connection's own, under a new id.
    doc.connections[1]!.tokenEndpoint = 'https://other.example.com/token';
    const changed = exportServerXml(doc, { includeSecrets: true });
    expect(changed.xml).toMatch(
      /<zosconnect_oAuthConfig id="o2"[^>]* authServerRef="as1-2"[\s\S]*<zosconnect_authorizationServer id="as1-2" tokenEndpoint="https:\/\/other.example.com\/token"/,
    );
    expect(changed.notes.join('\n')).toMatch(
      /its <zosconnect_authorizationServer id="as1"> differs/,
    );
  });

  it('a reference to an element the file lacks keeps its id in the re-export', () => {
    const xml = `<server>
      <zosconnect_endpointConnection id="ep" host="https://api.example.com" port="443" authenticationConfigRef="o"/>
      <zosconnect_oAuthConfig id="o" grantType="client_credentials" authServerRef="elsewhere"/>
    </server>`;
    expect(importServerXml(xml).notes.join('\n')).toMatch(
      /refers to zosconnect_authorizationServer "elsewhere", which is not in the file.*the re-export writes it with this id/,
    );
    // Completed after the import (the file has no token endpoint for it).
    const { document } = importServerXml(xml);
    document.connections[0]!.tokenEndpoint = 'https://as.example.com/token';
    const doc = planImport(JSON.stringify(document), emptyStore(), {}).document;
    expect(exportServerXml(doc).xml).toMatch(
      /authServerRef="elsewhere"[\s\S]*<zosconnect_authorizationServer id="elsewhere"/,
    );
  });
});

describe('every element the import cannot map is named, with its id and line (item 4e)', () => {
  it('apiRequesters that belong to no connection, unknown elements, unreferenced ones', () => {
    const xml = `<server>
    <zosconnect_endpointConnection id="a" host="https://a.example.com" port="443" authenticationConfigRef="o"/>
    <zosconnect_endpointConnection id="b" host="https://b.example.com" port="443" authenticationConfigRef="o"/>
    <zosconnect_oAuthConfig id="o" grantType="client_credentials" authServerRef="as"/>
    <zosconnect_authorizationServer id="as" tokenEndpoint="https://as.example.com/token"/>
    <zosconnect_apiRequesters>
        <apiRequester name="orders_1.0.0" oAuthResource="https://orders.example.com"/>
        <apiRequester name="stock_1.0.0" connectionRef="a"/>
        <apiRequester name="ghost_1.0.0" connectionRef="nowhere" oAuthResource="https://ghost.example.com"/>
    </zosconnect_apiRequesters>
    <zosconnect_authData id="unused" user="x"/>
    <webApplication id="app" location="app.war"/>
</server>`;
    const notes = importServerXml(xml).notes.join('\n');
    expect(notes).toContain(
      'line 7: <apiRequester name="orders_1.0.0">: its oAuthResource "https://orders.example.com" is not imported: it names no connectionRef and the file has 2 endpoint connections',
    );
    expect(notes).toContain(
      'line 8: <apiRequester name="stock_1.0.0"> sets no oAuthResource, the one attribute Tokensmith imports from it; not imported.',
    );
    expect(notes).toContain(
      'line 9: <apiRequester name="ghost_1.0.0">: its oAuthResource "https://ghost.example.com" is not imported: no connection was imported from the endpoint connection it names.',
    );
    expect(notes).toContain(
      'line 11: <zosconnect_authData id="unused"> is not referred to and was not imported.',
    );
    expect(notes).toContain('line 12: <webApplication id="app"> is not used by Tokensmith.');
  });
});

describe('what an imported JWT connection tests is what z/OS sends (items 4a, 4b, 4c, 4h)', () => {
  let workspace: Workspace;
  let http: HttpClient;
  beforeAll(async () => {
    workspace = await openWorkspace(mkdtempSync(join(tmpdir(), 'tokensmith-audit-')), {});
    http = new HttpClient();
    const keystores = (await fixtureKeystores()).map((k) => keystoreEntry.parse(k));
    await workspace.store.update((doc) => {
      doc.keystores = keystores;
    });
  });
  afterAll(() => http.close());

  /** Imports into the workspace (generating jwkEnabled keys); the saved connections. */
  async function imported(xml: string): Promise<Connection[]> {
    const added = load(xml).connections;
    await workspace.store.update((doc) => {
      doc.connections = added;
    });
    await ensureStoredSigningKeys(workspace.store);
    return added;
  }
  const assertionOf = async (conn: Connection) => {
    const doc = await workspace.store.read();
    const { assertion } = await buildConnectionAssertion(conn, {
      http,
      resources: workspace.registry(doc),
    });
    return { assertion, header: decodeProtectedHeader(assertion), payload: decodeJwt(assertion) };
  };

  it('a jwtBuilder without audiences (seed 002 as printed): no aud, and none is written back', async () => {
    const { notes } = importServerXml(SEED_002_AS_PRINTED);
    expect(notes.join('\n')).toMatch(/no audiences, so z\/OS Connect sends no aud claim/);
    const [conn] = await imported(SEED_002_AS_PRINTED);
    expect(conn!.jwt.claims).toMatchObject({ audience: '', defaultAudience: false });
    const { payload, header } = await assertionOf(conn!);
    expect(payload).not.toHaveProperty('aud');
    expect(payload).toMatchObject({ sub: 'myClientId', team: 'core' });
    expect(header.kid).toBeTruthy();
    const { xml } = exportServerXml(await workspace.store.read());
    expect(xml).toMatch(/<jwtBuilder id="myJWTAuthBuilder"/);
    expect(xml).not.toMatch(/audiences=/);
  });

  it('several audiences: aud is the list, and the re-export writes them all', async () => {
    const xml = SEED_002.replace(
      'audiences="https://auth.example.com/oauth2/token"',
      'audiences="https://auth.example.com/oauth2/token, https://api.server.com"',
    );
    expect(importServerXml(xml).notes.join('\n')).not.toMatch(/only the first audience/);
    const [conn] = await imported(xml);
    const { payload } = await assertionOf(conn!);
    expect(payload.aud).toEqual([
      'https://auth.example.com/oauth2/token',
      'https://api.server.com',
    ]);
    expect(exportServerXml(await workspace.store.read()).xml).toContain(
      'audiences="https://auth.example.com/oauth2/token,https://api.server.com"',
    );
  });

  it('a keystore-signed builder (seed 002, own key pair): no x5t, the kid its JWKS publishes', async () => {
    const xml = SEED_002_KEYSTORE.replace(
      'keyStoreRef="jwtKeys" keyAlias="signer"',
      'keyStoreRef="demo" keyAlias="signing"',
    );
    const [conn] = await imported(xml);
    expect(conn!.jwt.header).toMatchObject({ includeX5t: false, includeKid: false });
    const { assertion, header } = await assertionOf(conn!);
    // z/OS's jwtBuilder sends no x5t: neither does the test of what it sends.
    expect(header).not.toHaveProperty('x5t');
    // The key is published at /jwt/ibm/api/ownKeyBuilder/jwk; the kid finds it there.
    const doc = await workspace.store.read();
    const { jwks } = await builderJwks(doc, 'ownKeyBuilder', workspace.registry(doc));
    const published = jwks.keys.filter((k) => k.kid === header.kid);
    expect(published).toHaveLength(1);
    const { payload } = await jwtVerify(assertion, await importJWK(published[0]!, header.alg));
    expect(payload).toMatchObject({ iss: 'my-client', aud: 'https://as.example.com/token' });
    // Turned on, the field says why z/OS differs.
    const on = {
      ...conn!,
      jwt: { ...conn!.jwt, header: { ...conn!.jwt.header, includeX5t: true } },
    };
    const field = descriptorOf(on)
      .ui.advanced.flatMap((s) => s.fields)
      .find((f) => f.path === 'jwt.header.includeX5t');
    const help = typeof field?.help === 'function' ? field.help(on) : field?.help;
    expect(help).toMatch(/z\/OS Connect's jwtBuilder cannot send x5t/);
  });
});

describe('z/OS’s token cache rule on an imported connection (item 4f)', () => {
  let server: AuthorizationServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({
      signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
      accessTokenTtlSeconds: 300,
    });
  });
  afterAll(() => server.close());

  it('seed 000’s password grant: reused until less than 1 s is left, then a new token, never a refresh', async () => {
    // Seed 000's OAuth configuration, its server the sandbox's and its client a public one.
    const xml = SEED_000.replace('https://auth.example.com/oauth2/token', server.tokenEndpoint)
      .replace(' sslCertsRef="authSSL"', '')
      .replace('user="zosClient" password="{xor}PDM2OjErLDo8LTor"', 'user="ropc-public"')
      .replace(
        'authenticationConfigRef="myoAuthConfig,myJWTConfig"',
        'authenticationConfigRef="myoAuthConfig"',
      );
    const [imported] = load(xml).connections;
    expect(imported!.cache).toEqual({
      refreshBeforeSeconds: null,
      minRemainingSeconds: 1,
      useRefreshToken: false,
    });
    const conn = {
      ...imported!,
      username: 'alice',
      password: 'wonderland',
      params: { ...imported!.params, scope: 'openid offline_access' },
    } as Connection;
    let clock = Date.now();
    const ctx = { ...(await testContext()), now: () => clock };
    try {
      const cache = new TokenCache({ now: () => clock });
      const options = { cache, refreshBeforeMs: 60_000 };
      const first = await obtainToken(conn, ctx, options);
      expect(first.result.refreshToken).toBeTruthy();
      const expiry = Date.parse(first.result.expiresAt!);
      // 30 s left: the application's 60 s would refresh; z/OS reuses it.
      clock = expiry - 30_000;
      expect((await obtainToken(conn, ctx, options)).source).toBe('cache');
      clock = expiry - 500;
      const renewed = await obtainToken(conn, ctx, options);
      expect(renewed.source).toBe('network');
      expect(server.tokenRequests().at(-1)!.form.get('grant_type')).toBe('password');
      expect(server.tokenRequests().some((r) => r.form.get('grant_type') === 'refresh_token')).toBe(
        false,
      );
    } finally {
      await ctx.http.close();
    }
  });
});
