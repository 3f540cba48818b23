/**
 * Signing keys as z/OS Connect's `jwkEnabled` (seeds 001, 002): generated RS256 keys served at
 * /jwt/ibm/api/{builderId}/jwk while Tokensmith runs; oidc-provider fetches that JWKS to verify
 * the client assertions Tokensmith signs, before and after a rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  startAuthorizationServer,
  type AuthorizationServer,
} from '../../../sandbox/authorization-server.js';
import { fixtures } from '../../support/fixtures.js';
import { connection, failure, fixtureKeystores } from '../../support/engine.js';
import { HttpClient } from '../../../electron/core/http/http-client.js';
import { ResourceRegistry } from '../../../electron/core/resources.js';
import {
  activeSigningKey,
  builderJwksUrl,
  rotateSigningKeys,
  signingKeysJwks,
  currentSigningKeys,
  nextRotation,
  rotationPolicy,
} from '../../../electron/core/keys/signing-keys.js';
import { FileStore } from '../../../electron/core/store/file-store.js';
import { AesGcmCipher } from '../../../electron/core/store/secret-cipher.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import { startJwkServer, type JwkServer } from '../../../electron/core/jwk-server.js';
import { buildConnectionAssertion } from '../../../electron/core/grants/assertions.js';
import { requestToken } from '../../../electron/core/grants/registry.js';
import { emptyStore, type SigningKeySet, type StoreDocument } from '../../../shared/store-model.js';
import { keystoreEntry } from '../../../shared/resources.js';
import { builderJwks, publishingBuilders } from '../../../electron/core/keys/builder-jwks.js';
import { x5t } from '../../../electron/core/keys/certificate.js';
import type { FlowContext } from '../../../electron/core/oauth/flow-context.js';

const BUILDER = 'myJWTAuthBuilder';
/** A builder that signs with keystore aliases (jwkEnabled off, keyStoreRef/keyAlias). */
const KEYSTORE_BUILDER = 'myKeystoreBuilder';
let keys: SigningKeySet;
/** The saved state the keystore builder's JWKS is built from. */
let doc: StoreDocument;
const registryOf = (d: StoreDocument) =>
  new ResourceRegistry({
    keystores: d.keystores,
    signingKeys: d.signingKeys,
    jwkBaseUrl: jwk.baseUrl,
  });
let jwk: JwkServer;
let server: AuthorizationServer;
const http = new HttpClient();
const ctx = (): FlowContext => ({
  http,
  resources: new ResourceRegistry({ signingKeys: [keys], jwkBaseUrl: jwk.baseUrl }),
});

beforeAll(async () => {
  keys = await rotateSigningKeys(undefined, BUILDER);
  doc = emptyStore();
  jwk = await startJwkServer(0, async (id) =>
    id === BUILDER ? signingKeysJwks(keys) : (await builderJwks(doc, id, registryOf(doc))).jwks,
  );
  server = await startAuthorizationServer({
    signingKey: createPrivateKey((await fixtures()).text('rsa.key')),
    jwksUriClients: [
      { clientId: 'zos-jwk-client', jwksUri: builderJwksUrl(jwk.baseUrl, BUILDER) },
      { clientId: 'zos-keystore-client', jwksUri: builderJwksUrl(jwk.baseUrl, KEYSTORE_BUILDER) },
    ],
  });
});
afterAll(async () => {
  await http.close();
  await server.close();
  await jwk.close();
});

const jwkConnection = (claims: Record<string, unknown> = {}) =>
  connection({
    type: 'client_credentials',
    tokenEndpoint: server.tokenEndpoint,
    client: { id: 'zos-jwk-client', authMethod: 'private_key_jwt' },
    jwt: {
      signing: { jwkEnabled: true, builderId: BUILDER },
      claims: { issuer: 'zos-jwk-client', ...claims },
    },
  });

describe('generated signing keys (jwkEnabled)', () => {
  it('serves the JWKS at /jwt/ibm/api/{builderId}/jwk, loopback only, GET and HEAD only', async () => {
    const url = builderJwksUrl(jwk.baseUrl, BUILDER);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/jwt\/ibm\/api\/myJWTAuthBuilder\/jwk$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: keys.keys[0]!.kid,
    });
    expect(body.keys[0]).not.toHaveProperty('d');
    expect((await fetch(`${jwk.baseUrl}/jwt/ibm/api/unknown/jwk`)).status).toBe(404);
    expect((await fetch(`${jwk.baseUrl}/other`)).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    const e = await failure(startJwkServer(jwk.port, async () => undefined));
    expect(e.code).toBe('port_in_use');
  });

  it('oidc-provider verifies the client assertion with the served JWKS: token issued', async () => {
    const result = await requestToken(jwkConnection(), ctx());
    expect(result.accessToken).toBeTruthy();
    const sent = server.tokenRequests().at(-1)!;
    const assertion = sent.form.get('client_assertion')!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({
      alg: 'RS256',
      kid: keys.keys[0]!.kid,
    });
  });

  it('JWT builder rules (seed 002): default issuer, override, tokenSubject as sub, claims with <, > and &', async () => {
    const conn = jwkConnection({
      issuer: '',
      subject: 'ignored-subject',
      customClaims: '{"team":"R&D <core>","sub":"overwritten","aud":"https://as.example/override"}',
    });
    const { assertion } = await buildConnectionAssertion(conn, ctx());
    const payload = decodeJwt(assertion);
    expect(payload.iss).toBe(`${jwk.baseUrl}/jwt/${BUILDER}`);
    expect(payload.sub).toBe('zos-jwk-client');
    expect(payload.team).toBe('R&D <core>');
    expect(payload.aud).toBe('https://as.example/override');
    expect(typeof payload.iat).toBe('number');
    const override = decodeJwt(
      (
        await buildConnectionAssertion(
          jwkConnection({ issuer: 'https://zos.example/jwt/b' }),
          ctx(),
        )
      ).assertion,
    );
    expect(override.iss).toBe('https://zos.example/jwt/b');
    // jwtAuthenticationSetClientId: client_id in the body as well as in sub.
    const withId = connection({
      ...jwkConnection(),
      client: {
        id: 'zos-jwk-client',
        authMethod: 'private_key_jwt',
        sendClientIdWithAssertion: true,
      },
    });
    await requestToken(withId, ctx());
    expect(server.tokenRequests().at(-1)!.form.get('client_id')).toBe('zos-jwk-client');
    await requestToken(jwkConnection(), ctx());
    expect(server.tokenRequests().at(-1)!.form.has('client_id')).toBe(false);
  });

  it('after a rotation the new key signs, the old one stays published, both verify', async () => {
    const before = await buildConnectionAssertion(jwkConnection(), ctx());
    keys = await rotateSigningKeys(keys, BUILDER);
    expect(keys.keys).toHaveLength(2);
    const after = await buildConnectionAssertion(jwkConnection(), ctx());
    const remote = createRemoteJWKSet(new URL(builderJwksUrl(jwk.baseUrl, BUILDER)));
    for (const jwt of [before.assertion, after.assertion]) {
      await expect(jwtVerify(jwt, remote)).resolves.toBeTruthy();
    }
    expect(decodeProtectedHeader(after.assertion).kid).toBe(keys.keys[0]!.kid);
    expect(decodeProtectedHeader(before.assertion).kid).toBe(keys.keys[1]!.kid);
    // (A server that cached the JWKS — oidc-provider for 60 s — accepts the new key once it
    // fetches the set again; jose's remote set above fetched it for the unknown kid.)
    // A third key drops the oldest from the JWKS.
    keys = await rotateSigningKeys(keys, BUILDER);
    const served = (await (await fetch(builderJwksUrl(jwk.baseUrl, BUILDER))).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(served.keys.map((k) => k.kid)).toEqual(keys.keys.map((k) => k.kid));
    const fresh = createRemoteJWKSet(new URL(builderJwksUrl(jwk.baseUrl, BUILDER)));
    await expect(jwtVerify(before.assertion, fresh)).rejects.toThrow(/no applicable key/);
  });

  it('a builder without keys is a clear error', () => {
    expect(() => activeSigningKey(undefined, 'nobody')).toThrow(
      /JWT builder "nobody" has no signing key yet/,
    );
  });
});

describe('a builder that signs with a keystore alias (keyStoreRef/keyAlias, jwkEnabled off)', () => {
  const keystoreConnection = (name: string, signing: Record<string, unknown>, header = {}) =>
    connection({
      name,
      type: 'client_credentials',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'zos-keystore-client', authMethod: 'private_key_jwt' },
      jwt: {
        signing: { builderId: KEYSTORE_BUILDER, ...signing },
        header,
        claims: { issuer: 'zos-keystore-client' },
      },
    });

  it('publishes the alias’s public key at the builder’s JWK API; oidc-provider verifies the assertion with it', async () => {
    const rsa = keystoreConnection('rsa-signer', { keystore: 'demo', alias: 'signing' });
    const ec = keystoreConnection(
      'ec-signer',
      { keystore: 'ec', alias: 'ec-signing' },
      { includeKid: true, kid: 'ec-2026' },
    );
    doc = emptyStore();
    doc.keystores = (
      await fixtureKeystores([
        {
          name: 'wrong-password',
          kind: 'pkcs12',
          path: (await fixtures()).path('rsa.p12'),
          password: 'nope',
        },
      ])
    ).map((k) => keystoreEntry.parse(k));
    doc.connections = [
      rsa,
      ec,
      // The same alias under a second connection is published once.
      keystoreConnection('rsa-signer-2', { keystore: 'demo', alias: 'signing' }),
      keystoreConnection('broken', { keystore: 'wrong-password', alias: 'signing' }),
      // Another builder's connection is not this builder's business.
      connection({
        ...rsa,
        name: 'elsewhere',
        jwt: { ...rsa.jwt, signing: { ...rsa.jwt.signing, builderId: 'other' } },
      }),
    ];
    expect(publishingBuilders(doc)).toEqual(['myKeystoreBuilder', 'other']);

    const view = await builderJwks(doc, KEYSTORE_BUILDER, registryOf(doc));
    const leaf = new X509Certificate((await fixtures()).read('rsa.der'));
    expect(view.jwks.keys).toHaveLength(2);
    expect(view.jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      x5t: x5t(leaf),
    });
    expect(view.jwks.keys[1]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      kid: 'ec-2026',
    });
    for (const key of view.jwks.keys) expect(key).not.toHaveProperty('d');
    expect(view.published.map((p) => p.source)).toEqual([
      'keystore demo, alias signing (connection rsa-signer, rsa-signer-2)',
      'keystore ec, alias ec-signing (connection ec-signer)',
    ]);
    expect(view.problems).toHaveLength(1);
    expect(view.problems[0]).toMatch(/^Connection broken: .*password/i);

    // Served while Tokensmith runs; the server fetches it and accepts the RS256 assertion,
    // which carries x5t and the kid the key is published under (issue 23 item 4h).
    const served = (await (await fetch(builderJwksUrl(jwk.baseUrl, KEYSTORE_BUILDER))).json()) as {
      keys: unknown[];
    };
    expect(served).toEqual(view.jwks);
    const ctxOf = { http, resources: registryOf(doc) };
    const result = await requestToken(rsa, ctxOf);
    expect(result.accessToken).toBeTruthy();
    const header = decodeProtectedHeader(
      server.tokenRequests().at(-1)!.form.get('client_assertion')!,
    );
    expect(header).toMatchObject({ alg: 'RS256', x5t: x5t(leaf) });
    // "Send kid" is off, yet the published key's kid (its RFC 7638 thumbprint) is sent: the one
    // entry of the JWKS with that kid is the alias's key, and a lookup by kid verifies it.
    expect(header.kid).toBe(view.jwks.keys[0]!.kid);
    expect(view.jwks.keys.filter((k) => k.kid === header.kid)).toEqual([view.jwks.keys[0]]);
    const { assertion: rsaAssertion } = await buildConnectionAssertion(rsa, ctxOf);
    const byKid = createRemoteJWKSet(new URL(builderJwksUrl(jwk.baseUrl, KEYSTORE_BUILDER)));
    const verified = await jwtVerify(rsaAssertion, byKid);
    expect(verified.protectedHeader.kid).toBe(header.kid);
    // The EC connection's assertion names its kid; a verifier picks that key from the JWKS.
    const { assertion } = await buildConnectionAssertion(ec, ctxOf);
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES256', kid: 'ec-2026' });
    const remote = createRemoteJWKSet(new URL(builderJwksUrl(jwk.baseUrl, KEYSTORE_BUILDER)));
    await expect(jwtVerify(assertion, remote)).resolves.toBeTruthy();
    // Without the connections nothing is published.
    expect(
      (await builderJwks(emptyStore(), KEYSTORE_BUILDER, registryOf(emptyStore()))).jwks.keys,
    ).toEqual([]);
  });
});

describe('automatic rotation (z/OS jwkRotationTime, jwkSigningKeySize)', () => {
  const storeWith = async (signing: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'tokensmith-rotation-'));
    const store = new FileStore(dir, new AesGcmCipher(Buffer.alloc(32, 3)));
    await store.update((doc) => {
      doc.connections.push(
        connection({
          name: 'rotating',
          type: 'client_credentials',
          tokenEndpoint: 'https://as.example/token',
          client: { id: 'c', authMethod: 'private_key_jwt' },
          jwt: { signing: { jwkEnabled: true, builderId: 'rotating', ...signing } },
        }),
      );
    });
    return { dir, store };
  };
  const t0 = new Date('2026-11-22T08:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('generates a key of the configured size, replaces it once it is older than the rotation time, keeps the previous one published', async () => {
    const { store } = await storeWith({ jwkRotationMinutes: 60, jwkKeySize: 3072 });
    const first = await currentSigningKeys(store, 'rotating', t0);
    expect(first?.keys).toHaveLength(1);
    const bits = createPublicKey(first!.keys[0]!.publicKey).asymmetricKeyDetails?.modulusLength;
    expect(bits).toBe(3072);
    const doc = await store.read();
    expect(rotationPolicy(doc, 'rotating')).toEqual({ rotationMinutes: 60, keySize: 3072 });
    expect(nextRotation(first, rotationPolicy(doc, 'rotating'))).toEqual(at(60));

    expect(await currentSigningKeys(store, 'rotating', at(59))).toEqual(first);
    const second = await currentSigningKeys(store, 'rotating', at(61));
    expect(second!.keys.map((k) => k.kid)).toEqual([
      expect.not.stringMatching(first!.keys[0]!.kid),
      first!.keys[0]!.kid,
    ]);
    expect(second!.keys[0]!.createdAt).toBe(at(61).toISOString());
    expect(Object.keys(second!.privateKeys).sort()).toEqual(second!.keys.map((k) => k.kid).sort());

    // Two processes finding the key due at the same moment rotate it once.
    const other = new FileStore(store.dir, new AesGcmCipher(Buffer.alloc(32, 3)));
    const [a, b] = await Promise.all([
      currentSigningKeys(store, 'rotating', at(125)),
      currentSigningKeys(other, 'rotating', at(125)),
    ]);
    expect(a).toEqual(b);
    expect(a!.keys[1]!.kid).toBe(second!.keys[0]!.kid);
  });

  it('0 minutes never rotates by time; a builder without a JWK-enabled connection is left alone', async () => {
    const { store } = await storeWith({ jwkRotationMinutes: 0 });
    const first = await currentSigningKeys(store, 'rotating', t0);
    expect(await currentSigningKeys(store, 'rotating', at(10 * 525_600))).toEqual(first);
    expect(nextRotation(first, rotationPolicy(await store.read(), 'rotating'))).toBeUndefined();
    expect(await currentSigningKeys(store, 'nobody', t0)).toBeUndefined();
  });

  it('a flow through the workspace signs with a key generated (or rotated) on the spot', async () => {
    const { dir } = await storeWith({});
    const workspace = await openWorkspace(dir, {}, new AesGcmCipher(Buffer.alloc(32, 3)));
    const doc = await workspace.store.read();
    expect(doc.signingKeys).toEqual([]);
    const conn = workspace.connection(doc, 'rotating');
    const { assertion } = await buildConnectionAssertion(conn, {
      http,
      resources: workspace.registry(doc),
    });
    const stored = (await workspace.store.read()).signingKeys[0]!;
    expect(decodeProtectedHeader(assertion).kid).toBe(stored.keys[0]!.kid);
    expect(stored.keys[0]!.createdAt).toBeTruthy();
  });
});
