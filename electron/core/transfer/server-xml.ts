/**
 * z/OS Connect server.xml export (seeds 000, 001, 002) with fast-xml-parser; the import is
 * `./server-xml-import.ts`.
 *
 * A connection maps to `zosconnect_endpointConnection` → `zosconnect_oAuthConfig` →
 * `zosconnect_authorizationServer` → `zosconnect_authData` (client ID and secret); JWT client
 * authentication adds `zosconnect_oAuthTokenConfig` → `jwtBuilder`; an authentication-server JWT
 * adds `zosconnect_authToken` (with `tokenRequest`/`tokenResponse`) and its own server and
 * credentials. What has no place on the other side is reported, never dropped silently: elements
 * and attributes Tokensmith does not understand, flows z/OS Connect does not have, settings that
 * live in the z/OS application. Secrets are written as Liberty variables (`${env.NAME}` when the
 * connection already refers to one) unless the user asks for them in clear.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { DEFAULT_TOKEN_PATH, type Connection } from '../../../shared/connection.js';
import { ENV_REFERENCE, type StoreDocument } from '../../../shared/store-model.js';
import { selectConnections } from './connections-json.js';

export interface ServerXmlExportOptions {
  names?: string[];
  /** Write secrets in clear text (the user asked for it). */
  includeSecrets?: boolean;
}

export interface ServerXmlExport {
  xml: string;
  /** What did not map, and what the file expects to be defined elsewhere. */
  notes: string[];
  /** Liberty variables the file refers to for secrets (set them in server.env or bootstrap.properties). */
  variables: string[];
}

const slug = (name: string) =>
  name
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'connection';

/* ------------------------------------------------------------------------------------------ */
/* Export                                                                                      */

export function exportServerXml(
  doc: StoreDocument,
  options: ServerXmlExportOptions = {},
): ServerXmlExport {
  const chosen = selectConnections(doc, options.names);
  const notes: string[] = [];
  const variables: string[] = [];
  const elements: Array<[string, Record<string, unknown>]> = [];
  const usedIds = new Set<string>();
  const uniqueId = (wanted: string) => {
    let id = wanted;
    for (let i = 2; usedIds.has(id); i++) id = `${wanted}-${i}`;
    usedIds.add(id);
    return id;
  };
  const builders = new Set<string>();

  const secret = (value: string, variable: string): string => {
    const ref = ENV_REFERENCE.exec(value);
    if (ref) return `\${env.${ref[1]}}`;
    if (value === '') return '';
    if (options.includeSecrets) return value;
    variables.push(variable);
    return `\${${variable}}`;
  };
  const attrs = (record: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => [`@_${k}`, v]),
    );

  for (const conn of chosen) {
    if (conn.type === 'authorization_code' || conn.type === 'jwt_bearer') {
      notes.push(
        `"${conn.name}" is not exported: z/OS Connect has no ${conn.type === 'jwt_bearer' ? 'JWT bearer' : 'authorization code'} grant (client_credentials and password only).`,
      );
      continue;
    }
    const base = slug(conn.name);
    const endpointId = uniqueId(base);
    const oauthId = uniqueId(`${base}-oauth`);
    const serverId = uniqueId(`${base}-authServer`);
    const clientAuth =
      conn.type === 'jwt_client_assertion' ? 'private_key_jwt' : conn.client.authMethod;
    const jwtAuth = clientAuth === 'private_key_jwt';
    if (conn.type === 'jwt_client_assertion') {
      notes.push(
        `"${conn.name}": the JWT Client Assertion flow is written as client_credentials with JWT authentication${conn.params.scope ? '; its scope comes from the z/OS application (BAQ-OAUTH-SCOPE)' : ''}.`,
      );
    }
    if (clientAuth === 'client_secret_jwt') {
      notes.push(
        `"${conn.name}": client_secret_jwt has no z/OS Connect equivalent; written with the client secret in the Authorization header.`,
      );
    }
    if (conn.type === 'password') {
      notes.push(
        `"${conn.name}": the resource owner's user name and password come from the z/OS application (BAQ-OAUTH-USERNAME, BAQ-OAUTH-PASSWORD); they are not written.`,
      );
    }
    if (conn.type !== 'jwt_client_assertion' && conn.params.scope.trim()) {
      notes.push(`"${conn.name}": scope is set by the z/OS application (BAQ-OAUTH-SCOPE-PTR).`);
    }
    if (conn.params.audience || conn.params.tokenParams.length) {
      notes.push(
        `"${conn.name}": audience and custom parameters are set by the z/OS application (BAQ-OAUTH-AUDIENCE-PTR, BAQ-OAUTH-CUSTOM-PARMS-PTR).`,
      );
    }
    if (conn.params.resource.length) {
      notes.push(
        `"${conn.name}": resource goes in the oAuthResource attribute of the apiRequester element (${conn.params.resource.join(' ')}).`,
      );
    }
    if (conn.proxyAlias) notes.push(`"${conn.name}": the proxy alias is not part of server.xml.`);

    const refs = [oauthId];
    let authTokenId: string | undefined;
    if (conn.authToken.enabled) {
      authTokenId = uniqueId(`${base}-jwt`);
      refs.push(authTokenId);
    }
    let host = '';
    let port = '';
    if (conn.api.baseUrl) {
      const url = new URL(conn.api.baseUrl);
      host = `${url.protocol}//${url.hostname}`;
      port = url.port || (url.protocol === 'https:' ? '443' : '80');
      if (url.pathname !== '/' || url.search) {
        notes.push(
          `"${conn.name}": the path ${url.pathname}${url.search} of the API base URL belongs to the API requester, not to the endpoint connection.`,
        );
      }
    } else {
      notes.push(`"${conn.name}": no API base URL; set host and port of ${endpointId}.`);
    }
    const sslRef = conn.ssl.enabled ? conn.ssl.truststoreAlias || conn.ssl.keystoreAlias : '';
    if (sslRef) {
      notes.push(`"${conn.name}": define <ssl id="${sslRef}"> with its keystore and truststore.`);
    }
    elements.push([
      'zosconnect_endpointConnection',
      attrs({
        id: endpointId,
        host,
        port,
        authenticationConfigRef: refs.join(','),
        connectionTimeout: `${conn.timeouts.connectSeconds}s`,
        receiveTimeout: `${conn.timeouts.readSeconds}s`,
      }),
    ]);

    let tokenConfigId: string | undefined;
    if (jwtAuth) {
      tokenConfigId = uniqueId(`${base}-tokenConfig`);
      const builderId = conn.jwt.signing.builderId || `${base}-builder`;
      const claims = conn.jwt.claims.customClaims.trim();
      const tokenConfig: Record<string, unknown> = attrs({
        id: tokenConfigId,
        tokenSubject: conn.client.id || conn.jwt.claims.subject,
        tokenGeneratorRef: builderId,
      });
      if (claims) {
        // CDATA when the JSON holds XML markup characters (seed 002).
        tokenConfig.claims = /[<>&]/.test(claims) ? { '#cdata': claims } : claims;
      }
      elements.push(['zosconnect_oAuthTokenConfig', tokenConfig]);
      if (!builders.has(builderId)) {
        builders.add(builderId);
        usedIds.add(builderId);
        const { claims: c, header: h, signing: s } = conn.jwt;
        elements.push([
          'jwtBuilder',
          attrs({
            id: builderId,
            issuer: c.issuer,
            audiences: c.audience,
            expiresInSeconds: String(Math.round(c.expirationMinutes * 60)),
            jti: c.includeJti ? 'true' : 'false',
            signatureAlgorithm: h.alg === 'auto' ? undefined : h.alg,
            jwkEnabled: s.jwkEnabled ? 'true' : undefined,
            jwkRotationTime:
              s.jwkEnabled && s.jwkRotationMinutes > 0 ? `${s.jwkRotationMinutes}m` : undefined,
            jwkSigningKeySize: s.jwkEnabled ? String(s.jwkKeySize) : undefined,
            keyStoreRef: s.jwkEnabled ? undefined : s.keystore,
            keyAlias: s.jwkEnabled ? undefined : s.alias,
            scope: c.scopeClaim,
          }),
        ]);
        if (s.jwkEnabled && s.jwkRotationMinutes === 0) {
          notes.push(
            `"${conn.name}": its key is rotated only by hand in Tokensmith; z/OS Connect rotates a generated key every 720 minutes unless jwkRotationTime says otherwise.`,
          );
        }
        if (!s.jwkEnabled && s.keystore) {
          notes.push(
            `"${conn.name}": define <keyStore id="${s.keystore}"> for the signing key "${s.alias}".`,
          );
        }
      }
    }
    const secretInBody = clientAuth === 'client_secret_post';
    elements.push([
      'zosconnect_oAuthConfig',
      attrs({
        id: oauthId,
        grantType: conn.type === 'password' ? 'password' : 'client_credentials',
        authServerRef: serverId,
        clientSecretInBody: secretInBody ? 'true' : undefined,
        jwtAuthenticationTokenRef: tokenConfigId,
        jwtAuthenticationSetClientId:
          jwtAuth && (conn.client.sendClientIdWithAssertion || conn.type === 'jwt_client_assertion')
            ? 'true'
            : undefined,
        tokenPath: conn.tokenPath !== DEFAULT_TOKEN_PATH ? conn.tokenPath : undefined,
        tokenRetryCheckLevel: conn.api.retryCheckLevel === 1 ? '1' : undefined,
      }),
    ]);
    const authDataId = uniqueId(`${base}-client`);
    const clientSecret = jwtAuth || clientAuth === 'none' ? '' : conn.client.secret;
    const hasClientData = Boolean(conn.client.id || clientSecret);
    elements.push([
      'zosconnect_authorizationServer',
      attrs({
        id: serverId,
        tokenEndpoint: conn.tokenEndpoint,
        basicAuthRef: hasClientData && !jwtAuth ? authDataId : undefined,
        sslCertsRef: sslRef,
      }),
    ]);
    if (hasClientData && !jwtAuth) {
      elements.push([
        'zosconnect_authData',
        attrs({
          id: authDataId,
          user: conn.client.id,
          password: secret(clientSecret, `${authDataId}.password`),
        }),
      ]);
    }

    if (authTokenId) {
      const a = conn.authToken;
      const jwtServerId = uniqueId(`${base}-jwtServer`);
      const jwtUserId = uniqueId(`${base}-jwtUser`);
      const hasUser = Boolean(a.username || a.password);
      elements.push([
        'zosconnect_authToken',
        {
          ...attrs({
            id: authTokenId,
            authServerRef: jwtServerId,
            header: a.header,
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
        },
      ]);
      elements.push([
        'zosconnect_authorizationServer',
        attrs({
          id: jwtServerId,
          tokenEndpoint: a.tokenEndpoint,
          basicAuthRef: hasUser ? jwtUserId : undefined,
          sslCertsRef: sslRef,
        }),
      ]);
      if (hasUser) {
        elements.push([
          'zosconnect_authData',
          attrs({
            id: jwtUserId,
            user: a.username,
            password: secret(a.password, `${jwtUserId}.password`),
          }),
        ]);
      }
    }
  }

  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    cdataPropName: '#cdata',
    format: true,
    indentBy: '    ',
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
  });
  // One object per element keeps the document order (connection by connection).
  const body = elements.map(([name, value]) => builder.build({ [name]: value }) as string).join('');
  const indented = body
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  const header = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- z/OS Connect configuration exported by Tokensmith. ${
      variables.length
        ? `Set these variables (server.env or bootstrap.properties): ${variables.join(', ')}.`
        : options.includeSecrets
          ? 'Secrets are written in clear text: protect this file.'
          : 'No secrets are written.'
    } -->`,
  ].join('\n');
  return { xml: `${header}\n<server>\n${indented}\n</server>\n`, notes, variables };
}

export { importServerXml, type ServerXmlImport } from './server-xml-import.js';
export type { Connection };
