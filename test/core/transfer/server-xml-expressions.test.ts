/**
 * Liberty expands every `${…}` in server.xml (`${env.NAME}` reads the z/OS server's environment)
 * and has no escape for it: a connection's non-secret value holding one is refused, naming its
 * field; the secrets' own variables (`${env.NAME}` for `${env:NAME}`, `${id.password}`) and the
 * `${userid}`/`${password}` of an authentication request body are still written.
 */
import { describe, expect, it } from 'vitest';
import { exportServerXml } from '../../../electron/core/transfer/server-xml/index.js';
import { importServerXml } from '../../../electron/core/transfer/server-xml/index.js';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { emptyStore, type StoreDocument } from '../../../shared/store-model.js';
import type { Connection } from '../../../shared/connection.js';
import { failure } from '../../support/engine.js';

/** Seed 002 (JWT client authentication) and seed 000 (an authentication-server JWT), shortened. */
const SEEDS = `<server>
    <jwtBuilder id="builder" issuer="myClientId" audiences="https://auth.example.com/oauth2/token"
        expiresInSeconds="600" jti="true" jwkEnabled="true" />
    <zosconnect_oAuthTokenConfig id="tokenConfig" tokenSubject="myClientId" tokenGeneratorRef="builder"/>
    <zosconnect_authorizationServer id="jwtAuthServer" tokenEndpoint="https://auth.example.com/oauth2/token"/>
    <zosconnect_oAuthConfig id="jwtOAuth" grantType="client_credentials"
        jwtAuthenticationTokenRef="tokenConfig" authServerRef="jwtAuthServer"/>
    <zosconnect_endpointConnection id="jwtConn" host="https://api.server.com" port="443"
        authenticationConfigRef="jwtOAuth"/>
    <zosconnect_authToken id="myJWTConfig" authServerRef="myJWTserver" header="JWT-header-name">
        <tokenRequest credentialLocation="body" requestMethod="POST"
            requestBody='{"user":"\${userid}","pass":"\${password}"}'/>
        <tokenResponse tokenLocation="header" header="JWTResAuthorization"/>
    </zosconnect_authToken>
    <zosconnect_authorizationServer id="myJWTserver" tokenEndpoint="https://jwt.example.com:8443/token" basicAuthRef="jwtUser"/>
    <zosconnect_authData id="jwtUser" user="fred" password="\${env.JWT_PASSWORD}"/>
    <zosconnect_oAuthConfig id="pwOAuth" grantType="password" authServerRef="pwAuthServer"/>
    <zosconnect_authorizationServer id="pwAuthServer" tokenEndpoint="https://auth.example.com/oauth2/token" basicAuthRef="pwClient"/>
    <zosconnect_authData id="pwClient" user="zosClient" password="\${env.ZOS_CLIENT_SECRET}"/>
    <zosconnect_endpointConnection id="pwConn" host="https://api.server.com" port="8000"
        authenticationConfigRef="pwOAuth,myJWTConfig"/>
</server>`;

function load(): StoreDocument {
  return planImport(JSON.stringify(importServerXml(SEEDS).document), emptyStore(), {
    allowMissingKeystores: true,
    confirmAll: true,
  }).document;
}

const jwtConn = (doc: StoreDocument) =>
  doc.connections.find((c) => c.zos.ids.endpointConnection === 'jwtConn')!;
const pwConn = (doc: StoreDocument) =>
  doc.connections.find((c) => c.zos.ids.endpointConnection === 'pwConn')!;

async function refused(doc: StoreDocument, options = {}) {
  return failure((async () => exportServerXml(doc, options))());
}

describe('server.xml export and Liberty variable expressions', () => {
  it('exports the seeds with the secrets’ ${env.NAME} and the request body’s ${userid}/${password}', () => {
    const { xml } = exportServerXml(load());
    expect(xml).toContain('password="${env.JWT_PASSWORD}"');
    expect(xml).toContain('password="${env.ZOS_CLIENT_SECRET}"');
    expect(xml).toContain(
      'requestBody="{&quot;user&quot;:&quot;${userid}&quot;,&quot;pass&quot;:&quot;${password}&quot;}"',
    );
  });

  it('refuses a scope (the jwtBuilder scope claim) holding ${env.HOME}, naming the field', async () => {
    const doc = load();
    jwtConn(doc).jwt.claims.scopeClaim = 'api:read ${env.HOME}';
    const e = await refused(doc);
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('jwt.claims.scopeClaim');
    expect(e.message).toBe(
      `"${jwtConn(doc).name}": its jwt.claims.scopeClaim holds \${env.HOME}, written to server.xml <jwtBuilder scope>. Liberty would replace it with a variable of the z/OS server (\${env.NAME} reads its environment), and server.xml has no way to write it as text: remove it from the connection to export it.`,
    );
  });

  it.each<[string, (c: Connection) => void, string]>([
    ['the audience', (c) => (c.jwt.claims.audience = '${env.AUDIENCE}'), 'jwt.claims.audience'],
    [
      'the claims (CDATA)',
      (c) => (c.jwt.claims.customClaims = '{"home":"${env.HOME}"}'),
      'jwt.claims.customClaims',
    ],
    ['the client ID', (c) => (c.client.id = 'app-${env.USER}'), 'client.id'],
    [
      'the token endpoint URL',
      (c) => (c.tokenEndpoint = 'https://auth.example.com/t?x=${env.HOME}'),
      'tokenEndpoint',
    ],
    [
      'an imported element id',
      (c) => (c.zos.ids.authorizationServer = 'as${env.HOME}'),
      'zos.ids.authorizationServer',
    ],
    [
      'an unclosed expression',
      (c) => (c.jwt.claims.issuer = 'iss-${env.HOME'),
      'jwt.claims.issuer',
    ],
  ])('refuses %s', async (_label, set, field) => {
    const doc = load();
    set(jwtConn(doc));
    const e = await refused(doc);
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe(field);
    expect(e.message).toContain(`its ${field} holds \${env.`);
  });

  it('refuses an expression in a request body beside its ${userid} and ${password}', async () => {
    const doc = load();
    pwConn(doc).authToken.requestBody =
      '{"user":"${userid}","pass":"${password}","home":"${env.HOME}"}';
    const e = await refused(doc);
    expect(e.field).toBe('authToken.requestBody');
    expect(e.message).toContain('written to server.xml <tokenRequest requestBody>');
  });

  it('refuses a secret written in clear text that holds an expression, without showing it', async () => {
    const doc = load();
    pwConn(doc).client.secret = 'pa55-${env.HOME}-word';
    // As a variable (the default) the secret is not written: the export goes through.
    expect(exportServerXml(doc).xml).toContain('password="${pwClient.password}"');
    const e = await refused(doc, { includeSecrets: true });
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('client.secret');
    expect(e.message).not.toContain('HOME');
    expect(e.message).toContain('export without the secrets in clear text');
  });

  it('an element ID cannot close the header comment and add elements of its own', () => {
    const doc = load();
    pwConn(doc).zos.ids.authData = 'x--><zosconnect_authData id="evil" user="attacker"/><!--';
    // A secret value becomes a variable named after the element, listed in the header.
    pwConn(doc).client.secret = 'a-plain-client-secret';
    const { xml } = exportServerXml(doc);
    const header = xml.split('\n')[1] ?? '';
    expect(header.startsWith('<!--') && header.endsWith('-->')).toBe(true);
    expect(header.slice(4, -3)).not.toContain('--');
    // Outside the comment, the ID is an escaped attribute value, no element of its own.
    const body = xml.split('\n').slice(2).join('\n');
    expect(body).not.toMatch(/<zosconnect_authData id="evil"/);
    expect(body).toContain('id="x--&gt;&lt;zosconnect_authData');
  });
});
