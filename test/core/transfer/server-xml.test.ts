import { describe, expect, it } from 'vitest';
import {
  exportServerXml,
  importServerXml,
} from '../../../electron/core/transfer/server-xml/index.js';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { emptyStore, type StoreDocument } from '../../../shared/store-model.js';
import type { Connection } from '../../../shared/connection.js';

/** The examples of seeds 000 (OAuth + JWT) and 002 (JWT authentication), completed where cut. */
const SEED_000 = `<server>
    <zosconnect_authToken  id="myJWTConfig"
          authServerRef="myJWTserver"
          header="JWT-header-name" >
          <tokenRequest credentialLocation="header"
                header="JWTReqAuthorization"
                requestMethod="GET" />
          <tokenResponse tokenLocation="header"
                header="JWTResAuthorization" />
    </zosconnect_authToken>
    <zosconnect_authorizationServer id="myJWTserver" tokenEndpoint="https://jwt.example.com:8443/token" basicAuthRef="jwtUser"/>
    <zosconnect_authData id="jwtUser" user="fred" password="{xor}Lz4sLCgwLTs="/>
    <zosconnect_oAuthConfig id="myoAuthConfig"
          grantType="password"
          authServerRef="myAuthServer" />
    <zosconnect_authorizationServer id="myAuthServer" tokenEndpoint="https://auth.example.com/oauth2/token" basicAuthRef="oauthClient"/>
    <zosconnect_authData id="oauthClient" user="zosClient" password="\${env.ZOS_CLIENT_SECRET}"/>
    <zosconnect_endpointConnection id="conn"
            host="https://api.server.com"
            port="8000"
            authenticationConfigRef="myoAuthConfig,myJWTConfig" />
</server>`;

const SEED_002 = `<?xml version="1.0" encoding="UTF-8"?>
<server>
    <featureManager><feature>zosconnect:zosconnect-2.0</feature></featureManager>
    <jwtBuilder id="myJWTAuthBuilder" issuer="https://zos.example.com:9443/jwt/myJWTAuthBuilder"
        audiences="https://auth.example.com/oauth2/token" expiresInSeconds="600" jti="true"
        jwkEnabled="true" />
    <zosconnect_oAuthTokenConfig id="myJWTAuthConfig" tokenSubject="myClientId"
        tokenGeneratorRef="myJWTAuthBuilder">
        <claims><![CDATA[{"team":"R&D <core>","roles":["reader"]}]]></claims>
    </zosconnect_oAuthTokenConfig>
    <zosconnect_authorizationServer id="myAuthServer"
       tokenEndpoint="https://auth.example.com/oauth2/token"
       sslCertsRef="defaultSSLConfig" />
    <zosconnect_oAuthConfig id="myoAuthConfig" grantType="client_credentials"
        jwtAuthenticationTokenRef="myJWTAuthConfig" jwtAuthenticationSetClientId="true"
        authServerRef="myAuthServer" tokenPath="$.id_token" tokenRetryCheckLevel="1"/>
    <zosconnect_endpointConnection id="conn" host="https://api.server.com" port="443"
        authenticationConfigRef="myoAuthConfig" connectionTimeout="10s" receiveTimeout="1m"/>
</server>`;

function load(xml: string): StoreDocument {
  const { document } = importServerXml(xml);
  // The bindings the file asks for (a ${env.NAME} password) are the import's own tests' concern.
  return planImport(JSON.stringify(document), emptyStore(), {
    allowMissingKeystores: true,
    confirmAll: true,
  }).document;
}

const comparable = (c: Connection) => ({ ...c, id: undefined });

describe('server.xml import and export', () => {
  it('imports seed 000: OAuth password grant combined with an authentication-server JWT', () => {
    const { notes } = importServerXml(SEED_000);
    const [conn] = load(SEED_000).connections;
    expect(conn).toMatchObject({
      name: 'conn',
      type: 'password',
      tokenEndpoint: 'https://auth.example.com/oauth2/token',
      client: { id: 'zosClient', secret: '${env:ZOS_CLIENT_SECRET}', authMethod: 'auto' },
      api: { baseUrl: 'https://api.server.com:8000', retryCheckLevel: 0 },
      authToken: {
        enabled: true,
        tokenEndpoint: 'https://jwt.example.com:8443/token',
        username: 'fred',
        password: 'password',
        credentialLocation: 'header',
        requestHeader: 'JWTReqAuthorization',
        requestMethod: 'GET',
        tokenLocation: 'header',
        responseHeader: 'JWTResAuthorization',
        header: 'JWT-header-name',
        useBearerScheme: true,
      },
    });
    expect(notes.join('\n')).toMatch(/user name and password/);
    // Only what really was left out is reported: the endpoint connection is the root.
    expect(notes.join('\n')).not.toMatch(/is not referred to/);
  });

  it('imports seed 002: JWT authentication with a jwkEnabled builder and CDATA claims', () => {
    const { notes } = importServerXml(SEED_002);
    const [conn] = load(SEED_002).connections;
    expect(conn).toMatchObject({
      type: 'client_credentials',
      client: { id: 'myClientId', authMethod: 'private_key_jwt', sendClientIdWithAssertion: true },
      tokenPath: '$.id_token',
      api: { retryCheckLevel: 1, baseUrl: 'https://api.server.com' },
      timeouts: { connectSeconds: 10, readSeconds: 60 },
      ssl: { enabled: true, truststoreAlias: 'defaultSSLConfig' },
      jwt: {
        signing: { jwkEnabled: true, builderId: 'myJWTAuthBuilder' },
        claims: {
          issuer: 'https://zos.example.com:9443/jwt/myJWTAuthBuilder',
          audience: 'https://auth.example.com/oauth2/token',
          expirationMinutes: 10,
          includeJti: true,
          customClaims: '{"team":"R&D <core>","roles":["reader"]}',
        },
      },
    });
    // featureManager is reported, not dropped silently.
    expect(notes.join('\n')).toMatch(/<featureManager>.*not used by Tokensmith/);
  });

  it('maps jwkRotationTime and jwkSigningKeySize both ways, and reports values it cannot use', () => {
    const builder = (attrs: string) =>
      SEED_002.replace('jwkEnabled="true" />', `jwkEnabled="true" ${attrs} />`);
    const signing = (xml: string) => load(xml).connections[0]!.jwt.signing;
    expect(signing(SEED_002)).toMatchObject({ jwkRotationMinutes: 720, jwkKeySize: 2048 });
    expect(signing(builder('jwkRotationTime="12h" jwkSigningKeySize="4096"'))).toMatchObject({
      jwkRotationMinutes: 720,
      jwkKeySize: 4096,
    });
    // A bare number is in minutes, the attribute's precision; pairs add up.
    expect(signing(builder('jwkRotationTime="90"')).jwkRotationMinutes).toBe(90);
    expect(signing(builder('jwkRotationTime="1h30m"')).jwkRotationMinutes).toBe(90);
    const weak = importServerXml(builder('jwkRotationTime="soon" jwkSigningKeySize="1024"'));
    expect(weak.notes.join('\n')).toMatch(/jwkRotationTime="soon" is not a duration/);
    expect(weak.notes.join('\n')).toMatch(/jwkSigningKeySize="1024" is too weak; 2048-bit keys/);
    expect(weak.notes.join('\n')).not.toMatch(/attribute jwk\w+ is not imported/);

    const doc = load(builder('jwkRotationTime="90m" jwkSigningKeySize="3072"'));
    const { xml } = exportServerXml(doc, {});
    expect(xml).toContain('jwkRotationTime="90m"');
    expect(xml).toContain('jwkSigningKeySize="3072"');
    doc.connections[0]!.jwt.signing.jwkRotationMinutes = 0;
    const never = exportServerXml(doc, {});
    expect(never.xml).not.toContain('jwkRotationTime');
    expect(never.notes.join('\n')).toMatch(/rotated only by hand in Tokensmith/);
  });

  for (const [label, xml] of [
    ['seed 000', SEED_000],
    ['seed 002', SEED_002],
  ] as const) {
    it(`round-trips ${label}: import → export (secrets in clear on request) → import is the same`, () => {
      const first = load(xml);
      const { xml: exported } = exportServerXml(first, { includeSecrets: true });
      const second = load(exported);
      expect(second.connections.map(comparable)).toEqual(first.connections.map(comparable));
    });
  }

  it('writes claims with XML markup in CDATA, and secrets as variables unless asked', () => {
    const doc = load(SEED_002);
    const { xml } = exportServerXml(doc);
    expect(xml).toContain('<![CDATA[{"team":"R&D <core>","roles":["reader"]}]]>');
    const withSecret = load(SEED_000);
    withSecret.connections[0]!.client.secret = 'cl3ar-s3cret-value';
    withSecret.connections[0]!.authToken.password = 'jwt-us3r-pa55';
    const safe = exportServerXml(withSecret);
    expect(safe.xml).not.toContain('cl3ar-s3cret-value');
    expect(safe.xml).not.toContain('jwt-us3r-pa55');
    // The imported ids are kept, so are the variables named after them.
    expect(safe.variables).toEqual(['oauthClient.password', 'jwtUser.password']);
    expect(safe.xml).toContain('password="${oauthClient.password}"');
    const clear = exportServerXml(withSecret, { includeSecrets: true });
    expect(clear.xml).toContain('password="cl3ar-s3cret-value"');
    expect(clear.xml).toMatch(/Secrets are written in clear text/);
  });

  it('reports unknown attributes and elements, missing references and flows z/OS does not have', () => {
    const xml = `<server>
      <zosconnect_oAuthConfig id="o" grantType="client_credentials" authServerRef="nowhere" futureAttr="x"/>
      <zosconnect_oAuthConfig id="ac" grantType="authorization_code" authServerRef="s"/>
      <zosconnect_authorizationServer id="s" tokenEndpoint="https://a.example/token"><extra/></zosconnect_authorizationServer>
      <keyStore id="defaultKeyStore" location="key.p12"/>
    </server>`;
    const { notes, document } = importServerXml(xml);
    const text = notes.join('\n');
    expect(text).toMatch(/attribute futureAttr is not imported/);
    expect(text).toMatch(/"nowhere", which is not in the file/);
    expect(text).toMatch(/grantType "authorization_code".*skipped/);
    expect(text).toMatch(/<extra> is not imported/);
    expect(text).toMatch(/line 5: <keyStore id="defaultKeyStore">.*Keystores page/);
    expect(document.connections.map((c) => c.name)).toEqual(['o']);

    const doc = load(SEED_000);
    doc.connections.push({
      ...doc.connections[0]!,
      id: 'x',
      name: 'browser login',
      type: 'authorization_code',
      authorizationEndpoint: 'https://a.example/auth',
      pkce: true,
      redirect: { host: '127.0.0.1', port: 0, path: '/callback', https: false },
      loginTimeoutSeconds: 300,
    } as Connection);
    expect(exportServerXml(doc).notes.join('\n')).toMatch(
      /"browser login" is not exported: z\/OS Connect has no authorization code grant/,
    );
  });

  it('refuses malformed XML and files without a connection, naming the line', () => {
    expect(() => importServerXml('<server><zosconnect_oAuthConfig id="a"></server>')).toThrow(
      /not well-formed XML \(line 1/,
    );
    expect(() => importServerXml('<config/>')).toThrow(/no <server> root element/);
    expect(() => importServerXml('<server><featureManager/></server>')).toThrow(
      /no zosconnect_oAuthConfig/,
    );
  });
});
