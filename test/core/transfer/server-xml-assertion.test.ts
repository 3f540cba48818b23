/**
 * What is exported must behave like what was tested (issue 14, item 1): for every JWT-signing
 * connection shape, Tokensmith's own assertion is decoded and compared with the JWT the exported
 * jwtBuilder + zosconnect_oAuthTokenConfig would make, read with z/OS Connect's rules (seed 002:
 * iss defaults to https://<z/OS>/jwt/<builder id>, tokenSubject is sub, the claims JSON overrides
 * registered claims; Liberty: expiresInSeconds, else expiry, else 2h; jti off by default;
 * signatureAlgorithm RS256 by default). The export runs through the use case the app and the CLI
 * call, with the keystores loaded from a real data folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { connectionSchema, type ConnectionInput } from '../../../shared/connection.js';
import { keystoreEntry } from '../../../shared/resources.js';
import { openWorkspace, type Workspace } from '../../../electron/core/workspace.js';
import { createSession, type Session } from '../../../electron/core/use-cases/session.js';
import { exportAs } from '../../../electron/core/use-cases/transfer.js';
import { buildConnectionAssertion } from '../../../electron/core/grants/assertions.js';
import { ensureStoredSigningKeys } from '../../../electron/core/keys/signing-keys.js';
import { HttpClient } from '../../../electron/core/http/http-client.js';
import { durationSeconds } from '../../../electron/core/transfer/server-xml/durations.js';
import { fixtureKeystores } from '../../support/engine.js';

const TOKEN_ENDPOINT = 'https://login.example.com/tenant/oauth2/v2.0/token';
let workspace: Workspace;
let session: Session;

/** The JWT a z/OS Connect server would sign with the exported elements (seed 002, Liberty). */
function zosExpectation(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    cdataPropName: '#cdata',
    parseAttributeValue: false,
    parseTagValue: false,
  });
  const server = (parser.parse(xml) as { server: Record<string, unknown> }).server;
  const one = <T>(v: T | T[]) => (Array.isArray(v) ? v[0] : v) as T;
  const tokenConfig = one(server.zosconnect_oAuthTokenConfig) as Record<string, unknown>;
  const builder = one(server.jwtBuilder) as Record<string, string>;
  const claimsEl = tokenConfig.claims as string | { '#cdata': string } | undefined;
  const claimsText = typeof claimsEl === 'object' ? claimsEl['#cdata'] : (claimsEl ?? '');
  const custom = claimsText ? (JSON.parse(claimsText) as Record<string, unknown>) : {};
  const expiresIn = builder.expiresInSeconds ? durationSeconds(builder.expiresInSeconds, 's')! : -1;
  const lifetime =
    expiresIn >= 0 ? expiresIn : builder.expiry ? durationSeconds(builder.expiry, 'h')! : 7200;
  const audiences = builder.audiences?.split(',').map((a) => a.trim());
  const registered: Record<string, unknown> = {
    iss: builder.issuer ?? { builderUrl: builder.id },
    // A builder without audiences sends no aud.
    aud: audiences ? (audiences.length === 1 ? audiences[0] : audiences) : undefined,
  };
  return {
    alg: builder.signatureAlgorithm ?? 'RS256',
    claims: { ...registered, ...custom, sub: tokenConfig.tokenSubject },
    lifetime,
    jti: builder.jti === 'true',
  };
}

async function compare(input: Record<string, unknown>) {
  const conn = connectionSchema.parse({
    id: String(input.name),
    tokenEndpoint: TOKEN_ENDPOINT,
    ...input,
  } as ConnectionInput);
  await workspace.store.update((doc) => {
    doc.connections = [...doc.connections.filter((c) => c.id !== conn.id), conn];
  });
  await ensureStoredSigningKeys(workspace.store);
  const doc = await workspace.store.read();
  const exported = await exportAs(session, { names: [conn.name], format: 'server.xml' });
  const { assertion } = await buildConnectionAssertion(conn, {
    http: session.http,
    resources: workspace.registry(doc),
  });
  const header = decodeProtectedHeader(assertion);
  const payload = decodeJwt(assertion);
  const zos = zosExpectation(exported.content);
  expect(header.alg, 'alg').toBe(zos.alg);
  for (const [claim, expected] of Object.entries(zos.claims)) {
    if (expected && typeof expected === 'object' && 'builderUrl' in expected) {
      // Both sign with their own builder URL: Tokensmith's JWKS host, z/OS's own host.
      expect(payload[claim], claim).toMatch(new RegExp(`/jwt/${String(expected.builderUrl)}$`));
    } else expect(payload[claim], claim).toEqual(expected);
  }
  expect(payload.exp! - payload.iat!, 'lifetime').toBe(zos.lifetime);
  expect(payload.jti !== undefined, 'jti').toBe(zos.jti);
  return { exported, header, payload };
}

beforeAll(async () => {
  workspace = await openWorkspace(mkdtempSync(join(tmpdir(), 'tokensmith-xml-jwt-')), {});
  session = { ...createSession({ workspace, env: {} }), http: new HttpClient() };
  const keystores = (await fixtureKeystores()).map((k) => keystoreEntry.parse(k));
  await workspace.store.update((doc) => {
    doc.keystores = keystores;
  });
});
afterAll(() => session.http.close());

const pkj = { id: 'my-client', authMethod: 'private_key_jwt' };
const demoKey = { keystore: 'demo', alias: 'signing' };

describe('the exported jwtBuilder makes the assertion Tokensmith tested', () => {
  it('private_key_jwt with a keystore key and every default: iss, aud written explicitly', async () => {
    const { exported, payload } = await compare({
      name: 'defaults',
      type: 'client_credentials',
      client: pkj,
      jwt: { signing: demoKey },
    });
    expect(payload).toMatchObject({ iss: 'my-client', sub: 'my-client', aud: TOKEN_ENDPOINT });
    expect(exported.content).toContain('issuer="my-client"');
    expect(exported.content).toContain(`audiences="${TOKEN_ENDPOINT}"`);
    expect(exported.content).toContain('expiresInSeconds="300s"');
    expect(exported.content).toContain('jti="true"');
    // x5t, which Entra needs, has no jwtBuilder form: the note says what to do on z/OS.
    expect(exported.notes.join('\n')).toMatch(/carries x5t .*cannot add it.*Entra/);
    expect(exported.notes.join('\n')).toMatch(/register the signing certificate/);
  });

  it('a builder ID: both sign with their own builder URL, the builder keeps its id', async () => {
    const { exported } = await compare({
      name: 'with-builder',
      type: 'client_credentials',
      client: pkj,
      jwt: { signing: { ...demoKey, builderId: 'myBuilder' } },
    });
    expect(exported.content).toContain('<jwtBuilder id="myBuilder"');
    expect(exported.content).not.toMatch(/<jwtBuilder[^>]*issuer=/);
    expect(exported.notes.join('\n')).toMatch(/z\/OS sends its builder's URL/);
  });

  it('jwkEnabled (a generated key): RS256, the kid of the published key', async () => {
    const { header, exported } = await compare({
      name: 'jwk',
      type: 'client_credentials',
      client: { ...pkj, sendClientIdWithAssertion: true },
      jwt: {
        signing: { jwkEnabled: true, builderId: 'genBuilder' },
        claims: { issuer: 'my-client' },
      },
    });
    expect(header.kid).toBeTruthy();
    expect(exported.content).toContain('jwkEnabled="true"');
    expect(exported.content).toContain('jwtAuthenticationSetClientId="true"');
  });

  it('the JWT client assertion type, with an EC key: ES256 written, client_id in the body', async () => {
    const { exported } = await compare({
      name: 'assertion-ec',
      type: 'jwt_client_assertion',
      client: { id: 'graph-app' },
      jwt: { signing: { keystore: 'ec', alias: 'ec-signing' } },
    });
    expect(exported.content).toContain('signatureAlgorithm="ES256"');
    expect(exported.content).toContain('jwtAuthenticationSetClientId="true"');
  });

  it('custom claims override registered claims on both sides; the JSON is written exactly', async () => {
    const claims = '{"aud":"https://api.example.com","tid":"R&D <7>","roles":["reader"]}';
    const { exported, payload } = await compare({
      name: 'custom',
      type: 'password',
      client: pkj,
      username: 'u',
      jwt: { signing: demoKey, claims: { customClaims: claims } },
    });
    expect(payload.aud).toBe('https://api.example.com');
    expect(exported.content).toContain(`<claims><![CDATA[${claims}]]></claims>`);
  });

  it('explicit issuer and audience, 10 minutes, no jti', async () => {
    const { exported } = await compare({
      name: 'explicit',
      type: 'client_credentials',
      client: pkj,
      jwt: {
        signing: demoKey,
        claims: {
          issuer: 'https://issuer.example',
          audience: 'https://aud.example',
          expirationMinutes: 10,
          includeJti: false,
        },
      },
    });
    expect(exported.content).toContain('expiresInSeconds="600s"');
    expect(exported.content).toContain('jti="false"');
  });

  it('client_secret_jwt: an HS256 builder whose sharedKey is the client secret', async () => {
    const { exported } = await compare({
      name: 'secret-jwt',
      type: 'client_credentials',
      client: {
        id: 'my-client',
        secret: 'a-long-shared-secret-0123456789abcdef',
        authMethod: 'client_secret_jwt',
      },
    });
    expect(exported.content).toContain('signatureAlgorithm="HS256"');
    expect(exported.content).toContain('sharedKey="${secret-jwt-builder.sharedKey}"');
    expect(exported.content).not.toContain('a-long-shared-secret');
  });

  it('PS256: the same assertion, and a warning that Liberty does not document it', async () => {
    const { exported } = await compare({
      name: 'pss',
      type: 'client_credentials',
      client: pkj,
      jwt: { signing: demoKey, header: { alg: 'PS256', includeX5t: false } },
    });
    expect(exported.content).toContain('signatureAlgorithm="PS256"');
    expect(exported.notes.join('\n')).toMatch(
      /PS256 is not among the values Liberty's jwtBuilder documents/,
    );
    expect(exported.notes.join('\n')).not.toMatch(/x5t/);
  });
});
