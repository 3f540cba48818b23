/**
 * One connection from server.xml: an OAuth configuration (seed 001) with its server, client,
 * JWT authentication (seed 002) and an authentication-server JWT beside it (seed 000); or a
 * `zosconnect_authToken` alone, which is a JWT connection. The endpoint's host and port become
 * the API base URL; the element ids and each element's timeouts and `sslCertsRef` are kept so
 * that a re-export writes them back as they were.
 */
import { randomBytes } from 'node:crypto';
import {
  timeoutSettings,
  type ConnectionInput,
  type ZosNetworkElement,
} from '../../../../shared/connection.js';
import { durationSeconds } from './durations.js';
import { ServerXmlIndex, label } from './import-index.js';
import { jwtAuthenticationFrom } from './import-jwt.js';
import { isTrue, type XmlElement } from './model.js';

type Json = Record<string, unknown>;

const LIMITS = timeoutSettings.shape;
const MAX_SECONDS = {
  connectSeconds: LIMITS.connectSeconds.unwrap().maxValue ?? 600,
  readSeconds: LIMITS.readSeconds.unwrap().maxValue ?? 3600,
};

/**
 * z/OS Connect's token cache (seed 001): a cached token is reused while it has one second or more
 * left, then a new one is obtained; refresh tokens are not used.
 */
const ZOS_CACHE = { minRemainingSeconds: 1, useRefreshToken: false };

/** The elements a connection came from, by role. */
export interface ConnectionElements {
  endpoint?: XmlElement;
  oauth?: XmlElement;
  authToken?: XmlElement;
}

/** API base URL from the endpoint connection's host and port. */
function apiFrom(ix: ServerXmlIndex, name: string, endpoint: XmlElement | undefined): Json {
  const api: Json = {};
  const host = endpoint?.attrs.host ?? '';
  const port = endpoint?.attrs.port ?? '';
  if (host && URL.canParse(host)) {
    const url = new URL(host);
    if (port) url.port = port;
    api.baseUrl = url.toString().replace(/\/$/, '');
  } else if (host) {
    ix.notes.push(
      `"${name}": host "${host}" is not an http:// or https:// URL; the API base URL is left empty.`,
    );
  }
  return api;
}

/**
 * The timeouts and truststore Tokensmith uses, from the token server's attributes, else the
 * endpoint's; every element's own attributes are kept in `zos.network`.
 */
function networkFrom(
  ix: ServerXmlIndex,
  name: string,
  elements: Partial<Record<ZosNetworkElement, XmlElement>>,
  tokenServer: 'authorizationServer' | 'authTokenServer',
  conn: Json,
): void {
  const network: Json = {};
  for (const [role, el] of Object.entries(elements))
    if (el) network[role] = ServerXmlIndex.network(el);
  conn.zos = { ...(conn.zos as Json), network };
  const first = (attr: string) =>
    [elements[tokenServer], elements.endpointConnection]
      .map((el) => (el ? { el, value: el.attrs[attr] } : undefined))
      .find((found) => found?.value !== undefined);
  const timeouts: Json = {};
  for (const [attr, key] of [
    ['connectionTimeout', 'connectSeconds'],
    ['receiveTimeout', 'readSeconds'],
  ] as const) {
    const found = first(attr);
    if (!found?.value) continue;
    const seconds = durationSeconds(found.value);
    const where = label(
      found.el === elements.endpointConnection
        ? 'zosconnect_endpointConnection'
        : 'zosconnect_authorizationServer',
      found.el,
    );
    if (seconds === undefined || seconds <= 0)
      ix.notes.push(
        `${where}: ${attr}="${found.value}" is not a duration; Tokensmith's default is used.`,
      );
    else if (seconds > MAX_SECONDS[key]) {
      timeouts[key] = MAX_SECONDS[key];
      ix.notes.push(
        `${where}: ${attr}="${found.value}" is more than Tokensmith allows; ${MAX_SECONDS[key]} s is used.`,
      );
    } else timeouts[key] = seconds;
  }
  if (Object.keys(timeouts).length) conn.timeouts = timeouts;
  const ssl = first('sslCertsRef')?.value?.trim();
  if (ssl) {
    conn.ssl = { enabled: true, truststoreAlias: ssl };
    ix.notes.push(
      `"${name}": TLS uses the truststore named "${ssl}"; import it on the Keystores page.`,
    );
  }
}

/** A zosconnect_authToken's request and response settings, server and user. */
function authTokenFrom(
  ix: ServerXmlIndex,
  authToken: XmlElement,
): { settings: Json; server?: XmlElement; user?: XmlElement } {
  const a = authToken.attrs;
  const where = label('zosconnect_authToken', authToken);
  const server = ix.lookup(a.authServerRef, 'zosconnect_authorizationServer', where);
  const user = ix.lookup(
    server?.attrs.basicAuthRef,
    'zosconnect_authData',
    label('zosconnect_authorizationServer', server),
  );
  const req = authToken.children.tokenRequest?.[0]?.attrs ?? {};
  const res = authToken.children.tokenResponse?.[0]?.attrs ?? {};
  const settings: Json = {
    tokenEndpoint: server?.attrs.tokenEndpoint ?? '',
    username: user?.attrs.user ?? '',
    password: ix.password(user),
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
  if (!settings.tokenEndpoint) ix.notes.push(`${where}: no token endpoint for its JWT; enter it.`);
  return { settings, ...(server ? { server } : {}), ...(user ? { user } : {}) };
}

/** The ids by role: an element's own, or the id a reference names that the file lacks. */
const ids = (entries: Record<string, XmlElement | string | undefined>): Json =>
  Object.fromEntries(
    Object.entries(entries).flatMap(([role, el]) => {
      const id = typeof el === 'string' ? el : el?.attrs.id;
      return id ? [[role, id]] : [];
    }),
  );

/** An OAuth connection: `zosconnect_oAuthConfig` and what it refers to. */
export function oauthConnection(
  ix: ServerXmlIndex,
  name: string,
  { endpoint, oauth, authToken }: ConnectionElements & { oauth: XmlElement },
): ConnectionInput | undefined {
  const from = label('zosconnect_oAuthConfig', oauth);
  const grant = oauth.attrs.grantType ?? '';
  if (grant !== 'client_credentials' && grant !== 'password') {
    ix.unmapped(
      'zosconnect_oAuthConfig',
      oauth,
      `: grantType "${grant}" is not client_credentials or password; skipped`,
    );
    return undefined;
  }
  const server = ix.lookup(oauth.attrs.authServerRef, 'zosconnect_authorizationServer', from);
  const client = ix.lookup(
    server?.attrs.basicAuthRef,
    'zosconnect_authData',
    label('zosconnect_authorizationServer', server),
  );
  const tokenConfig = ix.lookup(
    oauth.attrs.jwtAuthenticationTokenRef,
    'zosconnect_oAuthTokenConfig',
    from,
  );
  const conn: Json & { client: Json } = {
    id: randomBytes(8).toString('hex'),
    name,
    cache: ZOS_CACHE,
    type: grant,
    tokenEndpoint: server?.attrs.tokenEndpoint ?? '',
    client: {
      id: client?.attrs.user ?? '',
      secret: ix.password(client),
      authMethod: isTrue(oauth.attrs.clientSecretInBody) ? 'client_secret_post' : 'auto',
      sendClientIdWithAssertion: isTrue(oauth.attrs.jwtAuthenticationSetClientId),
    },
  };
  if (!server?.attrs.tokenEndpoint) ix.notes.push(`"${name}": no token endpoint; enter it.`);
  if (grant === 'password')
    ix.notes.push(
      `"${name}": enter the resource owner's user name and password (z/OS takes them from the application).`,
    );
  if (oauth.attrs.tokenPath) conn.tokenPath = oauth.attrs.tokenPath;
  const api = apiFrom(ix, name, endpoint);
  if (oauth.attrs.tokenRetryCheckLevel !== undefined)
    api.retryCheckLevel = oauth.attrs.tokenRetryCheckLevel === '1' ? 1 : 0;
  conn.api = api;
  let jwt: ReturnType<typeof authTokenFrom> | undefined;
  if (authToken) {
    jwt = authTokenFrom(ix, authToken);
    conn.authToken = { ...jwt.settings, enabled: true };
  }
  conn.zos = {
    ids: ids({
      endpointConnection: endpoint,
      oAuthConfig: oauth,
      authorizationServer: server ?? ix.missing(oauth.attrs.authServerRef),
      authData: client,
      oAuthTokenConfig: tokenConfig ?? ix.missing(oauth.attrs.jwtAuthenticationTokenRef),
      authToken,
      authTokenServer: jwt?.server ?? ix.missing(authToken?.attrs.authServerRef),
      authTokenUser: jwt?.user,
    }),
  };
  networkFrom(
    ix,
    name,
    { endpointConnection: endpoint, authorizationServer: server, authTokenServer: jwt?.server },
    'authorizationServer',
    conn,
  );
  if (tokenConfig) jwtAuthenticationFrom(ix, name, tokenConfig, conn);
  return conn as unknown as ConnectionInput;
}

/** A JWT connection: a zosconnect_authToken alone on its endpoint (API Gateway's JWT, seed 003). */
export function jwtConnection(
  ix: ServerXmlIndex,
  name: string,
  { endpoint, authToken }: ConnectionElements & { authToken: XmlElement },
): ConnectionInput {
  const { settings, server, user } = authTokenFrom(ix, authToken);
  const { tokenEndpoint, ...jwtIssuer } = settings;
  const conn: Json = {
    id: randomBytes(8).toString('hex'),
    name,
    cache: ZOS_CACHE,
    type: 'jwt',
    tokenEndpoint,
    jwtIssuer,
    api: apiFrom(ix, name, endpoint),
    zos: {
      ids: ids({
        endpointConnection: endpoint,
        authToken,
        authTokenServer: server ?? ix.missing(authToken.attrs.authServerRef),
        authTokenUser: user,
      }),
    },
  };
  ix.notes.push(
    `"${name}": a JWT from an authentication server alone is imported as a JWT connection (it sends the JWT in ${String(jwtIssuer.header)}).`,
  );
  networkFrom(
    ix,
    name,
    { endpointConnection: endpoint, authTokenServer: server },
    'authTokenServer',
    conn,
  );
  return conn as unknown as ConnectionInput;
}
