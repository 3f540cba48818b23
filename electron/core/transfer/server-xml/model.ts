/**
 * The z/OS Connect server.xml elements Tokensmith maps (seeds 000, 001, 002), as parsed: which
 * elements and attributes it understands, and the small helpers export and import share.
 */

export type Attrs = Record<string, string>;
export interface XmlElement {
  attrs: Attrs;
  children: Record<string, XmlElement[]>;
  text: string;
  /** Where the element starts in the file (1-based), for the notes. */
  line?: number;
}

/** The elements and attributes this mapping understands. */
export const KNOWN: Record<string, string[]> = {
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
    'sharedKey',
  ],
  zosconnect_authToken: ['id', 'authServerRef', 'header', 'useBearerScheme'],
  tokenRequest: ['credentialLocation', 'header', 'requestMethod', 'requestBody'],
  tokenResponse: ['tokenLocation', 'header', 'responseFormat', 'tokenPath'],
  zosconnect_apiRequesters: [],
  apiRequester: ['name', 'connectionRef', 'oAuthResource'],
};
export const CHILDREN: Record<string, string[]> = {
  zosconnect_oAuthTokenConfig: ['claims'],
  zosconnect_authToken: ['tokenRequest', 'tokenResponse'],
  zosconnect_apiRequesters: ['apiRequester'],
};

/** Elements that need no id: the roots, which nothing refers to. */
export const ROOTS = new Set(['zosconnect_endpointConnection', 'zosconnect_apiRequesters']);

export /** The signatureAlgorithm values Liberty's jwtBuilder documents (HS* with a sharedKey). */
const LIBERTY_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
]);

/** What Tokensmith signs with beyond Liberty's list: RSASSA-PSS, which Liberty does not document. */
export const UNDOCUMENTED_ALGORITHMS = new Set(['PS256', 'PS384', 'PS512']);

export const slug = (name: string) =>
  name
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'connection';

export const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

/** The text of a `#text` or `#cdata` member (an object holding `#text` when every node is one). */
const textOf = (v: unknown): string =>
  v && typeof v === 'object' ? textOf((v as Record<string, unknown>)['#text'] ?? '') : String(v);

/**
 * fast-xml-parser output as attributes, child elements and text; `lineOf` gives the line where a
 * parsed node starts (from the parser's metadata), when it is known.
 */
export function toElement(
  raw: unknown,
  lineOf: (node: object) => number | undefined = () => undefined,
): XmlElement {
  const el: XmlElement = { attrs: {}, children: {}, text: '' };
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
    el.text = String(raw);
    return el;
  }
  if (!raw || typeof raw !== 'object') return el;
  const line = lineOf(raw);
  if (line !== undefined) el.line = line;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k.startsWith('@_')) el.attrs[k.slice(2)] = String(v);
    else if (k === '#text' || k === '#cdata') el.text += textOf(v);
    else el.children[k] = (Array.isArray(v) ? v : [v]).map((item) => toElement(item, lineOf));
  }
  return el;
}
