/**
 * The Liberty side of the z/OS Connect server.xml mapping (seeds 000, 001, 002): the elements
 * and attributes Tokensmith understands, and how Liberty writes values — the file parsed by
 * fast-xml-parser, `{xor}` passwords and `${env.NAME}` variables, durations, booleans.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TokensmithError } from '../errors.js';

export type Attrs = Record<string, string>;
export interface XmlElement {
  attrs: Attrs;
  children: Record<string, XmlElement[]>;
  text: string;
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
  ],
  zosconnect_authToken: ['id', 'authServerRef', 'header', 'useBearerScheme'],
  tokenRequest: ['credentialLocation', 'header', 'requestMethod', 'requestBody'],
  tokenResponse: ['tokenLocation', 'header', 'responseFormat', 'tokenPath'],
};
export const CHILDREN: Record<string, string[]> = {
  zosconnect_oAuthTokenConfig: ['claims'],
  zosconnect_authToken: ['tokenRequest', 'tokenResponse'],
};

export const ALGORITHMS = new Set([
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

export function toElement(raw: unknown): XmlElement {
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
export function decodePassword(value: string, where: string, notes: string[]): string {
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
export function durationSeconds(
  value: string,
  bareUnit: 'ms' | 'm' | 'h' = 'ms',
): number | undefined {
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

export const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

/**
 * The `<server>` element of a server.xml; a file that is not well-formed, exceeds the parser's
 * limits (nesting depth, entity expansion) or has another root is refused with `invalid_input`.
 */
export function parseServerXml(xml: string): XmlElement {
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
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch (cause) {
    // The parser's own limits (nesting depth, entity expansion) refuse a hostile file.
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the XML cannot be read (${cause instanceof Error ? cause.message : String(cause)}).`,
      { cause },
    );
  }
  const root = parsed.server;
  if (root === undefined) {
    throw new TokensmithError(
      'invalid_input',
      'Nothing was imported: this is not a server.xml (no <server> root element).',
    );
  }
  return toElement(root);
}
