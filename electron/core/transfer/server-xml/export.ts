/**
 * server.xml export, asking each connection's descriptor where it goes: an OAuth connection
 * becomes `zosconnect_endpointConnection` → `zosconnect_oAuthConfig` →
 * `zosconnect_authorizationServer` → `zosconnect_authData` (seed 001), JWT client authentication
 * adds `zosconnect_oAuthTokenConfig` → `jwtBuilder` (seed 002), an authentication-server JWT
 * `zosconnect_authToken` with its own server and credentials (seed 000), a resource the
 * `oAuthResource` of an `apiRequester`; a JWT connection (API Gateway) is a `zosconnect_authToken`
 * alone. Whatever has no server.xml form is reported in the notes, never dropped silently.
 */
import {
  DEFAULT_TOKEN_PATH,
  descriptorOf,
  fromServerXml,
  type AuthTokenSettings,
  type Connection,
  type JwtConnection,
  type ServerXmlMapping,
} from '../../../../shared/connection.js';
import type { StoreDocument } from '../../../../shared/store-model.js';
import { selectConnections } from '../connections-json.js';
import { writeJwtAuthentication } from './export-jwt.js';
import {
  ServerXmlWriter,
  attrs,
  type ServerXmlExport,
  type ServerXmlExportOptions,
} from './writer.js';

export type { ServerXmlExport, ServerXmlExportOptions } from './writer.js';

type JwtRequest = Omit<AuthTokenSettings, 'enabled'>;

/** `host` and `port` of the endpoint connection, from the API base URL. */
function endpointAttrs(out: ServerXmlWriter, conn: Connection): { host?: string; port?: string } {
  if (!conn.api.baseUrl) {
    out.note(conn, 'no API base URL; set host and port of its endpoint connection.');
    return {};
  }
  const url = new URL(conn.api.baseUrl);
  if (url.pathname !== '/' || url.search)
    out.note(
      conn,
      `the path ${url.pathname}${url.search} of the API base URL belongs to the API requester, not to the endpoint connection.`,
    );
  return {
    host: `${url.protocol}//${url.hostname}`,
    port: url.port || (url.protocol === 'https:' ? '443' : '80'),
  };
}

/** The TLS configuration the file refers to, which the user defines on the z/OS side. */
function sslNote(out: ServerXmlWriter, conn: Connection): void {
  const ref = conn.ssl.enabled ? conn.ssl.truststoreAlias || conn.ssl.keystoreAlias : '';
  if (ref) out.note(conn, `define <ssl id="${ref}"> with its keystore and truststore.`);
}

/** `zosconnect_authToken` with its server and user: a JWT from an authentication server. */
function writeAuthToken(
  out: ServerXmlWriter,
  conn: Connection,
  a: JwtRequest,
  id: string,
  role: 'authorizationServer' | 'authTokenServer',
): void {
  const serverId = out.id(conn, 'authTokenServer', '-jwtServer');
  const userId = out.id(conn, 'authTokenUser', '-jwtUser');
  const hasUser = Boolean(a.username || a.password);
  out.add('zosconnect_authToken', {
    ...attrs({
      id,
      authServerRef: serverId,
      // Liberty's default header is Authorization (seed 000 asks for another beside OAuth).
      header: a.header.toLowerCase() === 'authorization' ? undefined : a.header,
      useBearerScheme: a.useBearerScheme ? undefined : 'false',
    }),
    tokenRequest: attrs({
      credentialLocation: a.credentialLocation,
      header: a.credentialLocation === 'header' ? a.requestHeader : undefined,
      requestMethod: a.requestMethod,
      requestBody: a.credentialLocation === 'body' ? a.requestBody : undefined,
    }),
    tokenResponse: attrs({
      tokenLocation: a.tokenLocation,
      header: a.tokenLocation === 'header' ? a.responseHeader : undefined,
      responseFormat: a.tokenLocation === 'body' ? a.responseFormat : undefined,
      tokenPath:
        a.tokenLocation === 'body' && a.responseFormat === 'JSON' ? a.tokenPath : undefined,
    }),
  });
  out.add('zosconnect_authorizationServer', {
    ...attrs({
      id: serverId,
      tokenEndpoint: a.tokenEndpoint,
      basicAuthRef: hasUser ? userId : undefined,
    }),
    ...out.network(conn, 'authTokenServer', role),
  });
  if (hasUser)
    out.add(
      'zosconnect_authData',
      attrs({
        id: userId,
        user: a.username,
        password: out.secret(a.password, `${userId}.password`),
      }),
    );
}

/**
 * A connection imported from a configuration no endpoint connection referred to, with no API
 * base URL since: it is written without one (none is invented).
 */
const endpointless = (conn: Connection) =>
  !conn.api.baseUrl && !conn.zos.ids.endpointConnection && fromServerXml(conn);

/** RFC 8707 resource ↔ `zosconnect_apiRequesters > apiRequester oAuthResource` (seed 001). */
function writeApiRequester(out: ServerXmlWriter, conn: Connection, endpointId: string): void {
  const [resource, ...more] = conn.params.resource;
  if (!resource) return;
  if (!endpointId) {
    out.note(conn, `its resource ${resource} is not written: an apiRequester needs an endpoint.`);
    return;
  }
  const name = conn.zos.ids.apiRequester;
  if (!name)
    out.note(
      conn,
      `its resource is written on an apiRequester named "${endpointId}": rename it to your API requester's name.`,
    );
  if (more.length)
    out.note(
      conn,
      `an apiRequester has one oAuthResource: ${more.join(' ')} ${more.length > 1 ? 'are' : 'is'} not written.`,
    );
  out.add('zosconnect_apiRequesters', {
    apiRequester: attrs({
      name: name || endpointId,
      connectionRef: endpointId,
      oAuthResource: resource,
    }),
  });
}

function writeOAuthConnection(
  out: ServerXmlWriter,
  conn: Connection,
  mapping: Extract<ServerXmlMapping, { grantType: string }>,
): void {
  const descriptor = descriptorOf(conn);
  const clientAuth = descriptor.clientAuthAsSent(conn);
  const jwtAuth = descriptor.signsJwt(conn)?.use === 'client_auth';
  const endpointId = endpointless(conn) ? '' : out.id(conn, 'endpointConnection', '');
  const oauthId = out.id(conn, 'oAuthConfig', '-oauth');
  const serverId = out.id(conn, 'authorizationServer', '-authServer');
  if (conn.params.scope.trim())
    out.note(conn, 'scope is set by the z/OS application (BAQ-OAUTH-SCOPE-PTR).');
  if (conn.params.audience || conn.params.tokenParams.length)
    out.note(
      conn,
      'audience and custom parameters are set by the z/OS application (BAQ-OAUTH-AUDIENCE-PTR, BAQ-OAUTH-CUSTOM-PARMS-PTR).',
    );
  if (conn.proxyAlias) out.note(conn, 'the proxy alias is not part of server.xml.');
  sslNote(out, conn);
  const refs = [oauthId];
  const authTokenId = conn.authToken.enabled ? out.id(conn, 'authToken', '-jwt') : undefined;
  if (authTokenId) refs.push(authTokenId);
  if (endpointId)
    out.add('zosconnect_endpointConnection', {
      ...attrs({
        id: endpointId,
        ...endpointAttrs(out, conn),
        authenticationConfigRef: refs.join(','),
      }),
      ...out.network(conn, 'endpointConnection', 'authorizationServer'),
    });
  else
    out.note(
      conn,
      `no endpoint connection is written, as the file it was imported from had none for it: add a zosconnect_endpointConnection whose authenticationConfigRef is "${refs.join(',')}".`,
    );
  const tokenConfigId = jwtAuth ? writeJwtAuthentication(out, conn) : undefined;
  out.add(
    'zosconnect_oAuthConfig',
    attrs({
      id: oauthId,
      grantType: mapping.grantType,
      authServerRef: serverId,
      clientSecretInBody: clientAuth === 'client_secret_post' ? 'true' : undefined,
      jwtAuthenticationTokenRef: tokenConfigId,
      jwtAuthenticationSetClientId:
        jwtAuth && (conn.client.sendClientIdWithAssertion || mapping.clientIdInBody)
          ? 'true'
          : undefined,
      tokenPath: conn.tokenPath !== DEFAULT_TOKEN_PATH ? conn.tokenPath : undefined,
      tokenRetryCheckLevel: conn.api.retryCheckLevel === 1 ? '1' : undefined,
    }),
  );
  // Seed 001: ID and secret (Basic, or in the body), the ID alone (always in the body); a JWT
  // client authentication names the client in tokenSubject instead.
  const authDataId = out.id(conn, 'authData', '-client');
  const secret = jwtAuth || clientAuth === 'none' ? '' : conn.client.secret;
  const hasClientData = !jwtAuth && Boolean(conn.client.id || secret);
  out.add('zosconnect_authorizationServer', {
    ...attrs({
      id: serverId,
      tokenEndpoint: conn.tokenEndpoint,
      basicAuthRef: hasClientData ? authDataId : undefined,
    }),
    ...out.network(conn, 'authorizationServer', 'authorizationServer'),
  });
  if (hasClientData)
    out.add(
      'zosconnect_authData',
      attrs({
        id: authDataId,
        user: conn.client.id,
        password: out.secret(secret, `${authDataId}.password`),
      }),
    );
  if (authTokenId) writeAuthToken(out, conn, conn.authToken, authTokenId, 'authorizationServer');
  writeApiRequester(out, conn, endpointId);
}

/** A JWT connection (API Gateway): a zosconnect_authToken alone, its JWT in its own header. */
function writeJwtConnection(out: ServerXmlWriter, conn: JwtConnection): void {
  const endpointId = out.id(conn, 'endpointConnection', '');
  const authTokenId = out.id(conn, 'authToken', '-jwt');
  if (conn.pastedJwt)
    out.note(conn, 'a pasted JWT has no server.xml form: z/OS gets its own from the issuer.');
  if (conn.jwtIssuer.claims.trim())
    out.note(
      conn,
      'its claims are not written: zosconnect_authToken sends no body beside credentials in a header.',
    );
  if (!conn.tokenEndpoint)
    out.note(conn, 'no JWT issuer URL; set the tokenEndpoint of its server.');
  if (conn.proxyAlias) out.note(conn, 'the proxy alias is not part of server.xml.');
  sslNote(out, conn);
  out.add('zosconnect_endpointConnection', {
    ...attrs({ id: endpointId, ...endpointAttrs(out, conn), authenticationConfigRef: authTokenId }),
    ...out.network(conn, 'endpointConnection', 'authTokenServer'),
  });
  writeAuthToken(
    out,
    conn,
    { ...conn.jwtIssuer, tokenEndpoint: conn.tokenEndpoint },
    authTokenId,
    'authTokenServer',
  );
}

export function exportServerXml(
  doc: StoreDocument,
  options: ServerXmlExportOptions = {},
): ServerXmlExport {
  const out = new ServerXmlWriter(options);
  for (const conn of selectConnections(doc, options.names)) {
    const mapping = descriptorOf(conn).exports.serverXml;
    if ('unsupported' in mapping) {
      out.notes.push(`"${conn.name}" is not exported: ${mapping.unsupported}.`);
      continue;
    }
    out.begin(conn);
    if (mapping.note) out.note(conn, `${mapping.note}.`);
    if ('authToken' in mapping) writeJwtConnection(out, conn as JwtConnection);
    else writeOAuthConnection(out, conn, mapping);
  }
  return out.finish();
}
