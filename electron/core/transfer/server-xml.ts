/**
 * z/OS Connect server.xml export and import (seeds 000, 001, 002) with fast-xml-parser.
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
import { randomBytes } from 'node:crypto';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  DEFAULT_TOKEN_PATH,
  JWK_KEY_SIZES,
  descriptorOf,
  type Connection,
  type ConnectionInput,
} from '../../../shared/connection.js';
import { ENV_REFERENCE, type StoreDocument } from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { EXPORT_FORMAT, selectConnections } from './connections-json.js';

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

type Attrs = Record<string, string>;
interface XmlElement {
  attrs: Attrs;
  children: Record<string, XmlElement[]>;
  text: string;
}

/** The elements and attributes this mapping understands. */
const KNOWN: Record<string, string[]> = {
  zosconnect_endpointConnection: [
    'id',
    'host',
    'port',
    'authenticationConfigRef',
    'sslCertsRef',
    'connectionTimeout',
    'receiveTimeout',
  ],
  zosconnect_oAuthConfig: [
    'id',
    'grantType',
    'authServerRef',
    'clientSecretInBody',
    'jwtAuthenticationTokenRef',
    'jwtAuthenticationSetClientId',
    'tokenPath',
    'tokenRetryCheckLevel',
  ],
  zosconnect_authorizationServer: [
    'id',
    'tokenEndpoint',
    'basicAuthRef',
    'sslCertsRef',
    'connectionTimeout',
    'receiveTimeout',
  ],
  zosconnect_authData: ['id', 'user', 'password'],
  zosconnect_oAuthTokenConfig: ['id', 'tokenSubject', 'tokenGeneratorRef'],
  jwtBuilder: [
    'id',
    'issuer',
    'audiences',
    'expiresInSeconds',
    'expiry',
    'jti',
    'keyStoreRef',
    'keyAlias',
    'signatureAlgorithm',
    'jwkEnabled',
    'jwkRotationTime',
    'jwkSigningKeySize',
    'scope',
  ],
  zosconnect_authToken: ['id', 'authServerRef', 'header', 'useBearerScheme'],
  tokenRequest: ['credentialLocation', 'header', 'requestMethod', 'requestBody'],
  tokenResponse: ['tokenLocation', 'header', 'responseFormat', 'tokenPath'],
};
const CHILDREN: Record<string, string[]> = {
  zosconnect_oAuthTokenConfig: ['claims'],
  zosconnect_authToken: ['tokenRequest', 'tokenResponse'],
};

const ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
]);

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
    const mapping = descriptorOf(conn).exports.serverXml;
    if ('unsupported' in mapping) {
      notes.push(`"${conn.name}" is not exported: ${mapping.unsupported}.`);
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
        grantType: mapping.grantType,
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

/* ------------------------------------------------------------------------------------------ */
/* Import                                                                                      */

export interface ServerXmlImport {
  /** A Tokensmith connections document (format tokensmith.connections) for planImport. */
  document: { format: string; version: 1; connections: ConnectionInput[] };
  notes: string[];
}

function toElement(raw: unknown): XmlElement {
  const el: XmlElement = { attrs: {}, children: {}, text: '' };
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
    el.text = String(raw);
    return el;
  }
  if (!raw || typeof raw !== 'object') return el;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k.startsWith('@_')) el.attrs[k.slice(2)] = String(v);
    else if (k === '#text' || k === '#cdata') el.text += String(v);
    else el.children[k] = (Array.isArray(v) ? v : [v]).map(toElement);
  }
  return el;
}

/** Liberty `{xor}` encoding (securityUtility encode): base64 of the bytes XOR '_'. */
function decodePassword(value: string, where: string, notes: string[]): string {
  const env = /^\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  if (env) return `\${env:${env[1]}}`;
  if (/^\$\{[^}]+\}$/.test(value)) {
    notes.push(`${where}: the password is the Liberty variable ${value}; enter it in Tokensmith.`);
    return '';
  }
  if (/^\{xor\}/i.test(value)) {
    return Buffer.from(Buffer.from(value.slice(5), 'base64').map((b) => b ^ 0x5f)).toString('utf8');
  }
  if (/^\{(aes|hash)\}/i.test(value)) {
    notes.push(
      `${where}: the password is ${value.slice(0, 5)}-encoded and cannot be read; enter it in Tokensmith.`,
    );
    return '';
  }
  return value;
}

/**
 * A Liberty duration in seconds: one or more number-unit pairs (`30s`, `500ms`, `1m30s`, `12h`,
 * `1d`); a bare number is in `bareUnit` (milliseconds, or the attribute's own precision).
 */
function durationSeconds(value: string, bareUnit: 'ms' | 'm' | 'h' = 'ms'): number | undefined {
  const text = value.trim();
  const seconds = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 } as const;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * seconds[bareUnit];
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(n) * seconds[unit as keyof typeof seconds];
  }
  return total;
}

const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

export function importServerXml(xml: string): ServerXmlImport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the file is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`,
      { detail: { problems: [{ pointer: `line ${valid.err.line}`, message: valid.err.msg }] } },
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    cdataPropName: '#cdata',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
  });
  const parsed = parser.parse(xml) as Record<string, unknown>;
  const root = parsed.server;
  if (root === undefined) {
    throw new TokensmithError(
      'invalid_input',
      'Nothing was imported: this is not a server.xml (no <server> root element).',
    );
  }
  const server = toElement(root);
  const notes: string[] = [];
  const byId = new Map<string, { kind: string; el: XmlElement }>();
  const used = new Set<XmlElement>();

  for (const [kind, list] of Object.entries(server.children)) {
    if (!(kind in KNOWN)) {
      notes.push(
        `<${kind}> (${list.length}×) is not used by Tokensmith and was not imported${kind === 'keyStore' || kind === 'ssl' ? ': import the keystore itself on the Keystores page, with the same name' : ''}.`,
      );
      continue;
    }
    for (const el of list) {
      const id = el.attrs.id;
      const label = `<${kind}${id ? ` id="${id}"` : ''}>`;
      for (const attr of Object.keys(el.attrs)) {
        if (!KNOWN[kind]?.includes(attr))
          notes.push(`${label}: attribute ${attr} is not imported.`);
      }
      for (const [child, items] of Object.entries(el.children)) {
        if (!CHILDREN[kind]?.includes(child)) {
          notes.push(`${label}: <${child}> is not imported.`);
          continue;
        }
        for (const item of items) {
          for (const attr of Object.keys(item.attrs)) {
            if (!(KNOWN[child] ?? []).includes(attr))
              notes.push(`${label} <${child}>: attribute ${attr} is not imported.`);
          }
        }
      }
      if (id) byId.set(id, { kind, el });
      else if (kind !== 'zosconnect_endpointConnection')
        notes.push(`${label} has no id, so nothing can refer to it.`);
    }
  }

  const lookup = (id: string | undefined, kind: string, from: string): XmlElement | undefined => {
    if (!id) return undefined;
    const found = byId.get(id);
    if (!found) {
      notes.push(`${from} refers to ${kind} "${id}", which is not in the file.`);
      return undefined;
    }
    if (found.kind !== kind) {
      notes.push(`${from} refers to "${id}", a <${found.kind}>, where a <${kind}> is expected.`);
      return undefined;
    }
    used.add(found.el);
    return found.el;
  };

  /** The password of a zosconnect_authData, decoded where Liberty's encoding allows. */
  const passwordOf = (authData: XmlElement | undefined): string =>
    authData?.attrs.password
      ? decodePassword(
          authData.attrs.password,
          `<zosconnect_authData id="${authData.attrs.id ?? ''}">`,
          notes,
        )
      : '';

  const connections: ConnectionInput[] = [];
  const names = new Set<string>();
  const oauthUsed = new Set<XmlElement>();

  const build = (
    name: string,
    oauth: XmlElement,
    endpoint: XmlElement | undefined,
    authToken: XmlElement | undefined,
  ) => {
    const from = `<zosconnect_oAuthConfig id="${oauth.attrs.id ?? ''}">`;
    const grant = oauth.attrs.grantType ?? '';
    if (grant !== 'client_credentials' && grant !== 'password') {
      notes.push(`${from}: grantType "${grant}" is not client_credentials or password; skipped.`);
      return;
    }
    const server = lookup(oauth.attrs.authServerRef, 'zosconnect_authorizationServer', from);
    const serverLabel = `<zosconnect_authorizationServer id="${server?.attrs.id ?? ''}">`;
    const client = lookup(server?.attrs.basicAuthRef, 'zosconnect_authData', serverLabel);
    const tokenConfig = lookup(
      oauth.attrs.jwtAuthenticationTokenRef,
      'zosconnect_oAuthTokenConfig',
      from,
    );
    const builder = tokenConfig
      ? lookup(
          tokenConfig.attrs.tokenGeneratorRef,
          'jwtBuilder',
          `<zosconnect_oAuthTokenConfig id="${tokenConfig.attrs.id ?? ''}">`,
        )
      : undefined;
    const conn: Record<string, unknown> & { client: Record<string, unknown> } = {
      id: randomBytes(8).toString('hex'),
      name,
      type: grant,
      tokenEndpoint: server?.attrs.tokenEndpoint ?? '',
      client: {
        id: client?.attrs.user ?? '',
        secret: passwordOf(client),
        authMethod: isTrue(oauth.attrs.clientSecretInBody) ? 'client_secret_post' : 'auto',
        sendClientIdWithAssertion: isTrue(oauth.attrs.jwtAuthenticationSetClientId),
      },
    };
    if (!server?.attrs.tokenEndpoint) notes.push(`"${name}": no token endpoint; enter it.`);
    if (grant === 'password') {
      notes.push(
        `"${name}": enter the resource owner's user name and password (z/OS takes them from the application).`,
      );
    }
    if (oauth.attrs.tokenPath) conn.tokenPath = oauth.attrs.tokenPath;
    const api: Record<string, unknown> = {};
    if (oauth.attrs.tokenRetryCheckLevel !== undefined) {
      api.retryCheckLevel = oauth.attrs.tokenRetryCheckLevel === '1' ? 1 : 0;
    }
    const sslRef = server?.attrs.sslCertsRef ?? endpoint?.attrs.sslCertsRef;
    if (sslRef) {
      conn.ssl = { enabled: true, truststoreAlias: sslRef };
      notes.push(
        `"${name}": TLS uses the truststore named "${sslRef}"; import it on the Keystores page.`,
      );
    }
    if (endpoint) {
      const host = endpoint.attrs.host ?? '';
      const port = endpoint.attrs.port ?? '';
      if (host && URL.canParse(host)) {
        const url = new URL(host);
        if (port) url.port = port;
        api.baseUrl = url.toString().replace(/\/$/, '');
      } else if (host) {
        notes.push(
          `"${name}": host "${host}" is not an http:// or https:// URL; the API base URL is left empty.`,
        );
      }
      const timeouts: Record<string, number> = {};
      for (const [attr, key] of [
        ['connectionTimeout', 'connectSeconds'],
        ['receiveTimeout', 'readSeconds'],
      ] as const) {
        const raw = endpoint.attrs[attr];
        if (raw === undefined) continue;
        const seconds = durationSeconds(raw);
        if (seconds && seconds > 0) timeouts[key] = seconds;
        else notes.push(`"${name}": ${attr}="${raw}" is not a duration; the default is used.`);
      }
      if (Object.keys(timeouts).length) conn.timeouts = timeouts;
    }
    conn.api = api;

    if (tokenConfig) {
      conn.client.authMethod = 'private_key_jwt';
      conn.client.secret = '';
      const subject = tokenConfig.attrs.tokenSubject ?? '';
      if (!conn.client.id) conn.client.id = subject;
      else if (subject && subject !== conn.client.id) {
        notes.push(
          `"${name}": tokenSubject "${subject}" is the client ID; the authData user "${String(conn.client.id)}" is ignored.`,
        );
        conn.client.id = subject;
      }
      const claimsEl = tokenConfig.children.claims?.[0];
      const jwt: Record<string, Record<string, unknown>> = {
        claims: { customClaims: claimsEl?.text ?? '' },
        header: {},
        signing: {},
      };
      if (builder) {
        const b = builder.attrs;
        const bLabel = `<jwtBuilder id="${b.id ?? ''}">`;
        jwt.signing = { builderId: b.id ?? '' };
        if (b.issuer) jwt.claims!.issuer = b.issuer;
        if (b.audiences) {
          const list = b.audiences
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          jwt.claims!.audience = list[0] ?? '';
          if (list.length > 1)
            notes.push(`${bLabel}: only the first audience (${list[0]}) is used.`);
        }
        const seconds = b.expiresInSeconds
          ? Number(b.expiresInSeconds)
          : b.expiry
            ? durationSeconds(b.expiry, 'h')
            : 7200;
        if (seconds && seconds > 0) jwt.claims!.expirationMinutes = seconds / 60;
        else notes.push(`${bLabel}: the expiry is not a number; 5 minutes is used.`);
        jwt.claims!.includeJti = b.jti === undefined ? false : isTrue(b.jti);
        if (b.scope) jwt.claims!.scopeClaim = b.scope;
        if (b.signatureAlgorithm) {
          if (ALGORITHMS.has(b.signatureAlgorithm)) jwt.header!.alg = b.signatureAlgorithm;
          else
            notes.push(
              `${bLabel}: signatureAlgorithm ${b.signatureAlgorithm} is not supported; the key's default is used.`,
            );
        }
        if (isTrue(b.jwkEnabled)) {
          jwt.signing!.jwkEnabled = true;
          notes.push(
            `"${name}": a new RS256 key pair is generated for JWT builder "${b.id}" (jwkEnabled).`,
          );
          if (b.jwkRotationTime !== undefined) {
            const seconds = durationSeconds(b.jwkRotationTime, 'm');
            if (seconds !== undefined && seconds >= 60 && seconds <= 525_600 * 60)
              jwt.signing!.jwkRotationMinutes = Math.round(seconds / 60);
            else
              notes.push(
                `${bLabel}: jwkRotationTime="${b.jwkRotationTime}" is not a duration of 1 minute to a year; 720 minutes is used.`,
              );
          }
          if (b.jwkSigningKeySize !== undefined) {
            const bits = Number(b.jwkSigningKeySize);
            if ((JWK_KEY_SIZES as readonly number[]).includes(bits)) jwt.signing!.jwkKeySize = bits;
            else
              notes.push(
                `${bLabel}: jwkSigningKeySize="${b.jwkSigningKeySize}" is ${bits === 1024 ? 'too weak' : 'not a key size Tokensmith generates'}; 2048-bit keys are used.`,
              );
          }
        } else {
          jwt.signing!.keystore = b.keyStoreRef ?? '';
          jwt.signing!.alias = b.keyAlias ?? '';
          if (b.keyStoreRef) {
            notes.push(
              `"${name}": signs with keystore "${b.keyStoreRef}"${b.keyAlias ? ` alias "${b.keyAlias}"` : ''}; import it on the Keystores page with that name.`,
            );
          }
        }
      }
      conn.jwt = jwt;
    }

    if (authToken) {
      const a = authToken.attrs;
      const aLabel = `<zosconnect_authToken id="${a.id ?? ''}">`;
      const jwtServer = lookup(a.authServerRef, 'zosconnect_authorizationServer', aLabel);
      const user = lookup(
        jwtServer?.attrs.basicAuthRef,
        'zosconnect_authData',
        `<zosconnect_authorizationServer id="${jwtServer?.attrs.id ?? ''}">`,
      );
      const req = authToken.children.tokenRequest?.[0]?.attrs ?? {};
      const res = authToken.children.tokenResponse?.[0]?.attrs ?? {};
      const settings: Record<string, unknown> = {
        enabled: true,
        tokenEndpoint: jwtServer?.attrs.tokenEndpoint ?? '',
        username: user?.attrs.user ?? '',
        password: passwordOf(user),
        header: a.header ?? 'Authorization',
        useBearerScheme: a.useBearerScheme === undefined ? true : isTrue(a.useBearerScheme),
        credentialLocation: req.credentialLocation ?? 'header',
        requestMethod: (req.requestMethod ?? 'GET').toUpperCase(),
        tokenLocation: res.tokenLocation ?? 'header',
      };
      if (req.header) settings.requestHeader = req.header;
      if (req.requestBody) settings.requestBody = req.requestBody;
      if (res.header) settings.responseHeader = res.header;
      if (res.responseFormat)
        settings.responseFormat = /^text$/i.test(res.responseFormat) ? 'Text' : 'JSON';
      if (res.tokenPath) settings.tokenPath = res.tokenPath;
      conn.authToken = settings;
    }
    connections.push(conn as unknown as ConnectionInput);
  };

  const uniqueName = (wanted: string) => {
    let n = wanted;
    for (let i = 2; names.has(n); i++) n = `${wanted} (${i})`;
    names.add(n);
    return n;
  };

  for (const endpoint of server.children.zosconnect_endpointConnection ?? []) {
    used.add(endpoint); // the roots: nothing refers to them
    const id = endpoint.attrs.id ?? 'endpoint';
    const from = `<zosconnect_endpointConnection id="${id}">`;
    const refs = (endpoint.attrs.authenticationConfigRef ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    let oauth: XmlElement | undefined;
    let authToken: XmlElement | undefined;
    for (const ref of refs) {
      const found = byId.get(ref);
      if (!found) {
        notes.push(`${from} refers to "${ref}", which is not in the file.`);
      } else if (found.kind === 'zosconnect_oAuthConfig' && !oauth) {
        oauth = found.el;
      } else if (found.kind === 'zosconnect_authToken' && !authToken) {
        authToken = found.el;
      } else {
        notes.push(`${from}: authentication "${ref}" (<${found.kind}>) is not imported.`);
      }
    }
    if (!oauth) {
      notes.push(
        `${from} has no OAuth configuration${authToken ? ' (an authentication-server JWT alone is not a Tokensmith connection)' : ''}; skipped.`,
      );
      continue;
    }
    oauthUsed.add(oauth);
    used.add(oauth);
    if (authToken) used.add(authToken);
    build(uniqueName(id), oauth, endpoint, authToken);
  }
  for (const oauth of server.children.zosconnect_oAuthConfig ?? []) {
    if (oauthUsed.has(oauth)) continue;
    const id = oauth.attrs.id ?? 'oauth';
    notes.push(
      `<zosconnect_oAuthConfig id="${id}"> is not used by an endpoint connection; imported on its own.`,
    );
    used.add(oauth);
    build(uniqueName(id), oauth, undefined, undefined);
  }
  for (const { kind, el } of byId.values()) {
    if (!used.has(el))
      notes.push(`<${kind} id="${el.attrs.id}"> is not referred to and was not imported.`);
  }
  if (connections.length === 0) {
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the file has no zosconnect_oAuthConfig with grantType client_credentials or password.${notes.length ? `\n  ${notes.join('\n  ')}` : ''}`,
      { detail: { notes } },
    );
  }
  return { document: { format: EXPORT_FORMAT, version: 1, connections }, notes };
}

export type { Connection };
