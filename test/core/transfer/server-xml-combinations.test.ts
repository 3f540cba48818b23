/**
 * server.xml files the seeds allow beyond one OAuth configuration per endpoint (issue 14, items
 * 4, 5, 7, 8): a JWT alone, several references, an authentication JWT in Authorization beside
 * OAuth, references to elements the file lacks, HS* builders, a client ID without a secret, and
 * the seed 000 example as printed (its servers not defined) imported through the app's path.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exportServerXml,
  importServerXml,
} from '../../../electron/core/transfer/server-xml/index.js';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { importFile } from '../../../electron/core/transfer/import-file.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import { emptyStore, type StoreDocument } from '../../../shared/store-model.js';
import { failure } from '../../support/engine.js';
import { AUTH_TOKEN_ALONE } from './seed-examples.js';

function load(xml: string): StoreDocument {
  return planImport(JSON.stringify(importServerXml(xml).document), emptyStore(), {
    allowMissingKeystores: true,
  }).document;
}

const SERVERS = `
  <zosconnect_authorizationServer id="as" tokenEndpoint="https://as.example.com/token" basicAuthRef="client"/>
  <zosconnect_authData id="client" user="c1" password="s1"/>
  <zosconnect_authorizationServer id="jwtServer" tokenEndpoint="https://jwt.example.com/token" basicAuthRef="user"/>
  <zosconnect_authData id="user" user="fred" password="pw"/>`;
const OAUTH = (id: string) =>
  `<zosconnect_oAuthConfig id="${id}" grantType="client_credentials" authServerRef="as"/>`;
const JWT = (id: string, header = 'JWT-header-name') =>
  `<zosconnect_authToken id="${id}" authServerRef="jwtServer" header="${header}"><tokenRequest credentialLocation="header" header="X-Creds" requestMethod="GET"/><tokenResponse tokenLocation="header" header="X-Jwt"/></zosconnect_authToken>`;
const file = (refs: string, ...elements: string[]) =>
  `<server><zosconnect_endpointConnection id="ep" host="https://api.example.com" port="443" authenticationConfigRef="${refs}"/>${elements.join('')}${SERVERS}</server>`;

describe('authenticationConfigRef combinations (seed 000: one or more references)', () => {
  it('a JWT alone is a JWT connection: sent in Authorization, Bearer', () => {
    const [conn] = load(AUTH_TOKEN_ALONE).connections;
    expect(conn).toMatchObject({
      type: 'jwt',
      name: 'gateway',
      tokenEndpoint: 'https://gw.example.com:5543/rest/pub/apigateway/jwt/getJsonWebToken',
      jwtIssuer: {
        username: 'alice',
        password: 'wonderland',
        tokenLocation: 'body',
        tokenPath: '$.jwt',
        header: 'Authorization',
        useBearerScheme: true,
      },
      api: { baseUrl: 'https://gw.example.com:5543' },
    });
  });

  it('two OAuth configurations: the second becomes a connection of its own, and the notes say so', () => {
    const xml = file('o1,o2', OAUTH('o1'), OAUTH('o2'));
    const { notes } = importServerXml(xml);
    expect(load(xml).connections.map((c) => c.name)).toEqual(['ep', 'ep-o2']);
    expect(notes.join('\n')).toMatch(
      /<zosconnect_endpointConnection id="ep">: a connection sends one OAuth access token, so <zosconnect_oAuthConfig id="o2"> is imported as a connection of its own/,
    );
  });

  it('OAuth with two JWTs: the first beside the OAuth token, the second a JWT connection', () => {
    const xml = file('o1,j1,j2', OAUTH('o1'), JWT('j1'), JWT('j2', 'X-Other-Jwt'));
    const [first, second] = load(xml).connections;
    expect(first).toMatchObject({ type: 'client_credentials', authToken: { enabled: true } });
    expect(first!.zos.ids.authToken).toBe('j1');
    expect(second).toMatchObject({
      type: 'jwt',
      name: 'ep-j2',
      jwtIssuer: { header: 'X-Other-Jwt' },
    });
  });

  it('a JWT in Authorization beside OAuth (seed 000 forbids it) is imported on its own, said so', () => {
    const xml = file('o1,j1', OAUTH('o1'), JWT('j1', 'Authorization'));
    const { notes } = importServerXml(xml);
    const [oauth, jwt] = load(xml).connections;
    expect(oauth).toMatchObject({ type: 'client_credentials', authToken: { enabled: false } });
    expect(jwt).toMatchObject({ type: 'jwt', jwtIssuer: { header: 'Authorization' } });
    expect(notes.join('\n')).toMatch(
      /sends its JWT in Authorization, which carries the OAuth access token/,
    );
  });

  it('a reference to something else, or to nothing, is reported precisely', () => {
    const xml = file('o1,client,missing', OAUTH('o1'));
    const text = importServerXml(xml).notes.join('\n');
    expect(text).toMatch(
      /authentication "client" \(<zosconnect_authData>\) is not imported: Tokensmith sends an OAuth access token/,
    );
    expect(text).toMatch(/refers to "missing", which is not in the file/);
  });
});

describe('client ID without a secret (item 4), algorithms Liberty has (item 7)', () => {
  it('clientSecretInBody with no secret: the export writes the ID alone, the import keeps the method', () => {
    const xml = `<server><zosconnect_oAuthConfig id="o" grantType="password" authServerRef="as" clientSecretInBody="true"/>
      <zosconnect_authorizationServer id="as" tokenEndpoint="https://as.example.com/token" basicAuthRef="id"/>
      <zosconnect_authData id="id" user="public-client"/></server>`;
    const doc = load(xml);
    expect(doc.connections[0]!.client).toMatchObject({
      id: 'public-client',
      secret: '',
      authMethod: 'client_secret_post',
    });
    const out = exportServerXml(doc).xml;
    expect(out).toContain('clientSecretInBody="true"');
    expect(out).toContain('<zosconnect_authData id="id" user="public-client"/>');
    expect(out).not.toContain('password=');
  });

  const builder = (attrs: string) => `<server>
    <jwtBuilder id="b" issuer="c" audiences="https://as.example.com/token" ${attrs}/>
    <zosconnect_oAuthTokenConfig id="t" tokenSubject="c" tokenGeneratorRef="b"/>
    <zosconnect_authorizationServer id="as" tokenEndpoint="https://as.example.com/token"/>
    <zosconnect_oAuthConfig id="o" grantType="client_credentials" authServerRef="as" jwtAuthenticationTokenRef="t"/>
  </server>`;

  it('an HS256 builder with a sharedKey is client_secret_jwt; its key is the client secret', () => {
    const xml = builder('signatureAlgorithm="HS256" sharedKey="{xor}LDcnLTo7chQ6Zw=="');
    const [conn] = load(xml).connections;
    expect(conn!.client).toMatchObject({ authMethod: 'client_secret_jwt', secret: 'shxred-Ke8' });
    expect(importServerXml(xml).notes.join('\n')).toMatch(
      /HS256 builder with a sharedKey signs as client_secret_jwt/,
    );
    expect(exportServerXml(load(xml), { includeSecrets: true }).xml).toMatch(
      /<jwtBuilder id="b"[^>]*signatureAlgorithm="HS256" sharedKey="shxred-Ke8"/,
    );
  });

  it('HS384 / HS512 cannot be imported, and the note says why and what to do', () => {
    const { notes } = importServerXml(builder('signatureAlgorithm="HS512" sharedKey="k"'));
    expect(notes.join('\n')).toMatch(
      /signatureAlgorithm HS512 cannot be imported: Tokensmith signs with a shared key only as client_secret_jwt, with HS256/,
    );
    expect(notes.join('\n')).not.toMatch(/attribute sharedKey is not imported/);
  });

  it('PS256 is imported as it is, with a note that Liberty does not document it', () => {
    const xml = builder('signatureAlgorithm="PS256" keyStoreRef="k" keyAlias="a"');
    expect(load(xml).connections[0]!.jwt.header.alg).toBe('PS256');
    expect(importServerXml(xml).notes.join('\n')).toMatch(
      /PS256 is not among the values Liberty documents/,
    );
  });
});

describe('the seed 000 example as printed (item 8)', () => {
  // Verbatim from seed 000: its servers (myJWTserver, myAuthServer) are not in the excerpt.
  const PRINTED = `<server>
    <zosconnect_authToken  id="myJWTConfig"
          authServerRef="myJWTserver"
          header="JWT-header-name" >
          <tokenRequest credentialLocation="header"
                header="JWTReqAuthorization"
                requestMethod="GET" />
          <tokenResponse tokenLocation="header"
                header="JWTResAuthorization" />
    </zosconnect_authToken>
    <zosconnect_oAuthConfig id="myoAuthConfig"
          grantType="password"
          authServerRef="myAuthServer" />
    <zosconnect_endpointConnection id="conn"
            host="https://api.server.com"
            port="8000"
            authenticationConfigRef="myoAuthConfig,myJWTConfig" />
  </server>`;

  it('is refused with the connection and fields named and the notes that explain them; nothing saved', async () => {
    const workspace = await openWorkspace(mkdtempSync(join(tmpdir(), 'tokensmith-seed000-')), {});
    const e = await failure(importFile(workspace.store, PRINTED));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^Nothing was imported from the server\.xml: \d problems\./);
    expect(e.message).toContain('"conn" tokenEndpoint:');
    expect(e.message).toContain(
      '"conn" authToken.tokenEndpoint: Enter the URL of the authentication server',
    );
    expect(e.message).toMatch(/Why, and what to do:/);
    expect(e.message).toMatch(
      /<zosconnect_oAuthConfig id="myoAuthConfig"> refers to zosconnect_authorizationServer "myAuthServer", which is not in the file/,
    );
    expect(e.message).toMatch(/refers to zosconnect_authorizationServer "myJWTserver"/);
    expect(e.message).not.toMatch(/\/connections\/0/);
    expect((await workspace.store.read()).connections).toEqual([]);
  });
});
