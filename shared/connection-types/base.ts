/**
 * The sections every connection type shares (webMethods CloudStreams Configure Connection,
 * seed 004, with the z/OS Connect token options of seeds 000–002): Request Endpoints, SSL
 * Connection, Request Parameters, client authentication, JWT Headers / Claims / Keystore,
 * timeouts, the authentication-server JWT and the API. Each connection type's module adds its
 * own fields to `connectionBase`. Pure TypeScript.
 */
import * as z from 'zod';
import { zosSettings } from './zos.js';

/** Default scope of the JWT Client Assertion dialog (CloudStreams, Microsoft Graph example). */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
export const DEFAULT_TOKEN_PATH = '$.access_token';

export {
  NAME_MAX,
  audienceList,
  singleLine,
  httpUrl,
  optionalHttpUrl,
  resourceIndicator,
} from './primitives.js';
import { NAME_MAX, singleLine, optionalHttpUrl, resourceIndicator } from './primitives.js';
import { tokenBindingFields } from './token-binding.js';

/**
 * Token path: which member of the token response is "the token" used on API calls
 * (z/OS Connect `tokenPath`, e.g. `$.id_token`). Member access only: `$.a.b` or `$['a-b']`.
 */
export const tokenPath = z
  .string()
  .trim()
  .regex(
    // eslint-disable-next-line no-control-regex -- a quoted member name holds no control character
    /^\$(?:\.[A-Za-z_][\w-]*|\['[^'\u0000-\u001f]+'\])+$/,
    "Use a path such as $.access_token, $.id_token or $.data['token']",
  )
  .default(DEFAULT_TOKEN_PATH);

export const nameValue = z.object({
  name: singleLine('A parameter name').trim().min(1, 'Name is required'),
  value: singleLine('A parameter value').default(''),
});
export type NameValue = z.infer<typeof nameValue>;

/** SSL Connection section: mutual TLS with Keystore Alias + Key Alias; Truststore Alias for server trust. */
export const sslSettings = z.object({
  enabled: z.boolean().default(false),
  keystoreAlias: singleLine().default(''),
  keyAlias: singleLine().default(''),
  truststoreAlias: singleLine().default(''),
});

/**
 * Request Parameters shared by every type: scope, resource (RFC 8707, may repeat), audience and
 * custom parameters, separately for the authorization, token and refresh requests.
 */
export const requestParameters = z.object({
  scope: singleLine('Scope').default(''),
  resource: z.array(resourceIndicator).default([]),
  audience: singleLine('Audience').default(''),
  tokenParams: z.array(nameValue).default([]),
  authorizationParams: z.array(nameValue).default([]),
  refreshParams: z.array(nameValue).default([]),
});

export const CLIENT_AUTH_METHODS = [
  'auto',
  'client_secret_basic',
  'client_secret_post',
  'none',
  'private_key_jwt',
  'client_secret_jwt',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** How the client authenticates on the wire: `auto` made concrete, or nothing at all. */
export type ClientAuthAsSent = Exclude<ClientAuthMethod, 'auto'> | 'omitted';

export const CLIENT_AUTH_LABELS: Record<ClientAuthMethod, string> = {
  auto: 'Automatic (basic when a secret is set, otherwise ID only)',
  client_secret_basic: 'Basic: ID and secret in the Authorization header',
  client_secret_post: 'Body: client_id and client_secret in the form',
  none: 'ID only: client_id in the form (public client)',
  private_key_jwt: 'JWT signed with a private key (private_key_jwt)',
  client_secret_jwt: 'JWT signed with the client secret (client_secret_jwt)',
};

/** Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, z/OS Connect). */
export const clientSettings = z.object({
  id: singleLine('Client ID').trim().default(''),
  secret: singleLine('Client Secret').default(''),
  authMethod: z.enum(CLIENT_AUTH_METHODS).default('auto'),
  /** z/OS `jwtAuthenticationSetClientId`: also send client_id in the body with a client assertion. */
  sendClientIdWithAssertion: z.boolean().default(false),
});

export const JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

/** JWT header: algorithm (follows the key unless chosen) and certificate-derived members. */
export const jwtHeader = z.object({
  alg: z.enum(['auto', ...JWS_ALGORITHMS]).default('auto'),
  includeX5t: z.boolean().default(true),
  /** x5t from a browsed certificate; empty = derived from the signing alias's certificate. */
  x5t: singleLine('x5t').trim().default(''),
  includeX5tS256: z.boolean().default(false),
  x5tS256: singleLine('x5t#S256').trim().default(''),
  includeKid: z.boolean().default(false),
  /** Explicit kid; empty = the RFC 7638 thumbprint of the signing key. */
  kid: singleLine('kid').trim().default(''),
  includeX5c: z.boolean().default(false),
  typ: singleLine('typ').trim().default('JWT'),
});

/**
 * The longest an assertion Tokensmith signs may live: 24 hours. RFC 7523 assertions are meant to
 * be short-lived (seconds to minutes); a long-lived one signed with the user's key is a bearer
 * credential in whoever's hands it lands.
 */
export const MAX_ASSERTION_MINUTES = 24 * 60;

/** JWT claims (CloudStreams Claims section; z/OS `zosconnect_oAuthTokenConfig`). */
export const jwtClaims = z.object({
  issuer: singleLine('Issuer').trim().default(''),
  subject: singleLine('Subject').trim().default(''),
  /** Empty = the token endpoint (unless not `defaultAudience`); several, comma-separated: an array. */
  audience: singleLine('Audience').trim().default(''),
  /** Off: an empty Audience sends no `aud`, as a z/OS jwtBuilder without `audiences`. */
  defaultAudience: z.boolean().default(true),
  expirationMinutes: z.coerce
    .number()
    .positive('Expiration Time must be more than 0 minutes')
    .max(
      MAX_ASSERTION_MINUTES,
      `Expiration Time is at most ${MAX_ASSERTION_MINUTES} minutes (24 hours): an assertion is meant to be short-lived`,
    )
    .default(5),
  includeNotBefore: z.boolean().default(false),
  includeJti: z.boolean().default(true),
  /** Optional `scope` claim (Google service accounts). */
  scopeClaim: singleLine('scope claim').default(''),
  /** A JSON object; registered claims in it override the fields above (except `sub` for client auth). */
  customClaims: z.string().default(''),
});

/** Liberty's default `jwkRotationTime`: 720 minutes. */
export const JWK_ROTATION_MINUTES = 720;
/** Generated key sizes offered (Liberty also allows 1024, too weak to offer). */
export const JWK_KEY_SIZES = [2048, 3072, 4096] as const;

/** A jwtBuilder ID: it names the JWKS URL path `/jwt/ibm/api/{builderId}/jwk`. */
export const builderId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]*$/, 'Use letters, digits, dot, dash and underscore only')
  .max(64)
  .default('');

/**
 * Keystore and Proxy section: Keystore Name and Signing Alias (z/OS `keyStoreRef`/`keyAlias`),
 * or a key pair Tokensmith generates and rotates itself (z/OS `jwkEnabled`), published as a JWKS.
 */
export const signingSettings = z.object({
  /** z/OS `jwkEnabled`: sign with the connection's generated RS256 key, served as a JWKS. */
  jwkEnabled: z.boolean().default(false),
  /** z/OS `jwtBuilder` `id`; also the default issuer's last segment. */
  builderId,
  /**
   * z/OS `jwkRotationTime`: a generated key older than this is replaced (the previous one stays
   * published). 0: only when the user rotates it.
   */
  jwkRotationMinutes: z.coerce
    .number()
    .int('Whole minutes')
    .min(0, '0 (never) or more minutes')
    .max(525_600, 'At most a year (525600 minutes)')
    .default(JWK_ROTATION_MINUTES),
  /** z/OS `jwkSigningKeySize`: RSA modulus of generated keys, in bits. */
  jwkKeySize: z.coerce
    .number()
    .refine(
      (n) => (JWK_KEY_SIZES as readonly number[]).includes(n),
      'Key size is 2048, 3072 or 4096 bits',
    )
    .default(2048),
  keystore: singleLine('Keystore Name').default(''),
  alias: singleLine('Signing Alias').default(''),
  /** Signing with an expired certificate is refused unless this is set. */
  allowExpiredCertificate: z.boolean().default(false),
});

export const jwtSettings = z.object({
  header: jwtHeader.prefault({}),
  claims: jwtClaims.prefault({}),
  signing: signingSettings.prefault({}),
});
export type JwtSettings = z.infer<typeof jwtSettings>;

export const timeoutSettings = z.object({
  connectSeconds: z.coerce.number().positive().max(600).default(10),
  readSeconds: z.coerce.number().positive().max(3600).default(30),
});

export const AUTH_TOKEN_METHODS = ['GET', 'POST', 'PUT'] as const;

/**
 * A JWT from an authentication server that is not OAuth (z/OS `zosconnect_authToken`): the
 * user's credentials go in a named request header (Basic) or in a body template, the JWT comes
 * back in a named response header or the JSON body, and API calls carry it in `header`.
 */
export const authTokenSettings = z.object({
  enabled: z.boolean().default(false),
  /** `zosconnect_authorizationServer` `tokenEndpoint` referenced by `authServerRef`. */
  tokenEndpoint: optionalHttpUrl,
  requestMethod: z.enum(AUTH_TOKEN_METHODS).default('GET'),
  username: singleLine('User').trim().default(''),
  password: singleLine('Password').default(''),
  /** `tokenRequest credentialLocation`. */
  credentialLocation: z.enum(['header', 'body']).default('header'),
  /** `tokenRequest header`: `Basic base64(user:password)` goes in this header. */
  requestHeader: z.string().trim().default('Authorization'),
  /** `tokenRequest requestBody`: `${userid}` and `${password}` are replaced (JSON-escaped in JSON). */
  requestBody: z.string().default('{"username":"${userid}","password":"${password}"}'),
  /** `tokenResponse tokenLocation`. */
  tokenLocation: z.enum(['header', 'body']).default('header'),
  /** `tokenResponse header`. */
  responseHeader: z.string().trim().default('Authorization'),
  /** `tokenResponse responseFormat`: JSON (then `tokenPath`) or Text (the whole body). */
  responseFormat: z.enum(['JSON', 'Text']).default('JSON'),
  /** `tokenResponse tokenPath`. */
  tokenPath: z
    .string()
    .trim()
    .regex(/^\$(?:\.[A-Za-z_][\w-]*|\['[^']+'\])+$/, 'Use a path such as $.token or $.data.jwt')
    .default('$.token'),
  /** `zosconnect_authToken header`: the API request header that carries the JWT. */
  header: z.string().trim().default('JWT-header-name'),
  /** `useBearerScheme`: send `Bearer <jwt>` rather than the bare JWT. */
  useBearerScheme: z.boolean().default(true),
});
export type AuthTokenSettings = z.infer<typeof authTokenSettings>;

export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Calling the API (Try API, z/OS `zosconnect_endpointConnection` and `tokenRetryCheckLevel`). */
export const apiSettings = z.object({
  /** The API's base URL (`host` + `port` of the endpoint connection); Try API starts from it. */
  baseUrl: optionalHttpUrl,
  /** 0: retry with a new token on 401 + `invalid_token`; 1: on any 401. */
  retryCheckLevel: z.coerce.number().int().min(0).max(1).default(0),
});

/** The token cache for this connection; null: the application's settings (1 s and 60 s). */
export const cacheSettings = z.object({
  /** Refresh a token that has a refresh token this long before it expires. */
  refreshBeforeSeconds: z.number().int().min(0).max(86_400).nullable().default(null),
  /** Reuse a cached token only while it has at least this lifetime left. */
  minRemainingSeconds: z.number().int().min(0).max(3600).nullable().default(null),
  /** Off: a new token request replaces an expiring token, as z/OS Connect does (seed 001). */
  useRefreshToken: z.boolean().default(true),
});

/** The fields of every connection type; each type's schema spreads these and adds its own. */
export const connectionBase = {
  id: singleLine('An ID').min(1).max(NAME_MAX, `An ID is at most ${NAME_MAX} characters`),
  name: singleLine('A name')
    .trim()
    .min(1, 'Name is required')
    .max(NAME_MAX, `A name is at most ${NAME_MAX} characters`),
  description: z.string().default(''),
  /** Issuer for discovery (`/.well-known/...`); optional. */
  issuer: optionalHttpUrl,
  /** Empty: discovered from the issuer when the connection is used (`checkConnection`). */
  tokenEndpoint: optionalHttpUrl,
  ssl: sslSettings.prefault({}),
  proxyAlias: singleLine('Proxy Server Alias').default(''),
  client: clientSettings.prefault({}),
  params: requestParameters.prefault({}),
  jwt: jwtSettings.prefault({}),
  tokenPath,
  timeouts: timeoutSettings.prefault({}),
  authToken: authTokenSettings.prefault({}),
  api: apiSettings.prefault({}),
  ...tokenBindingFields,
  /** Ids and placements from an imported z/OS Connect server.xml, kept for its re-export. */
  zos: zosSettings.prefault({}),
  cache: cacheSettings.prefault({}),
};

/** What every connection has, whatever its type: the shape the shared rules work on. */
export type ConnectionCommon = z.infer<z.ZodObject<typeof connectionBase>>;

export const REDIRECT_HOSTS = ['127.0.0.1', '[::1]', 'localhost'] as const;

/** RFC 8252 loopback redirect. */
export const redirectSettings = z.object({
  host: z.enum(REDIRECT_HOSTS).default('127.0.0.1'),
  /** 0 = an ephemeral port chosen at each login. */
  port: z.coerce.number().int().min(0).max(65535, 'A port is 0 to 65535').default(0),
  path: z
    .string()
    .trim()
    .regex(/^\/[\w\-./~]*$/, 'A path such as /callback')
    .default('/callback'),
  https: z.boolean().default(false),
});

/**
 * `auto` made concrete (RFC 6749 §2.3): basic with an ID and a secret, the ID alone in the body
 * without a secret, nothing without an ID.
 */
export function clientAuthOf(client: ConnectionCommon['client']): ClientAuthAsSent {
  const { id, secret, authMethod } = client;
  if (authMethod !== 'auto') return authMethod;
  if (id && secret) return 'client_secret_basic';
  if (id) return 'none';
  return 'omitted';
}

type Issue = (path: string[], message: string) => void;

/**
 * The rules of a JWT request to an authentication server (z/OS `tokenRequest`/`tokenResponse`,
 * API Gateway's JWT endpoint), for the settings at `at` (e.g. `['authToken']`).
 */
export function checkJwtRequest(
  a: Omit<AuthTokenSettings, 'enabled' | 'tokenEndpoint'>,
  at: string[],
  issue: Issue,
): void {
  if (!HEADER_NAME.test(a.header)) issue([...at, 'header'], 'Enter a header name');
  if (a.credentialLocation === 'header' && !HEADER_NAME.test(a.requestHeader))
    issue([...at, 'requestHeader'], 'Enter the header that carries the credentials');
  if (a.credentialLocation === 'body' && a.requestMethod === 'GET')
    issue(
      [...at, 'requestMethod'],
      'A GET request carries no body: choose POST or PUT to send the credentials in it',
    );
  if (a.credentialLocation === 'body' && a.requestBody.trim() === '')
    issue(
      [...at, 'requestBody'],
      'Enter the request body, with ${userid} and ${password} where the credentials go',
    );
  if (a.tokenLocation === 'header' && !HEADER_NAME.test(a.responseHeader))
    issue([...at, 'responseHeader'], 'Enter the response header that carries the JWT');
}

/**
 * Rules across sections. A connection always carries its OAuth access token in Authorization, so
 * the authentication-server JWT, combined with it, must travel in another header (seed 000).
 */
export function checkConnection(
  conn: {
    type: string;
    issuer: string;
    tokenEndpoint: string;
    authorizationEndpoint?: string;
    authToken: AuthTokenSettings;
    jwt: { signing: { jwkEnabled: boolean; builderId: string } };
  },
  ctx: z.RefinementCtx,
): void {
  const a = conn.authToken;
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  // An endpoint left out is discovered from the issuer (OpenID / RFC 8414 metadata) when used.
  // The JWT type's endpoint is a JWT issuer, not OAuth: its own rules ask for it or a pasted JWT.
  if (!conn.tokenEndpoint && !conn.issuer && conn.type !== 'jwt')
    issue(['tokenEndpoint'], 'Enter the Token Endpoint, or the Issuer to discover it from');
  if (conn.authorizationEndpoint === '' && !conn.issuer)
    issue(
      ['authorizationEndpoint'],
      'Enter the Authorization Endpoint, or the Issuer to discover it from',
    );
  if (a.enabled) {
    if (!a.tokenEndpoint)
      issue(['authToken', 'tokenEndpoint'], 'Enter the URL of the authentication server');
    checkJwtRequest(a, ['authToken'], issue);
    if (a.header.toLowerCase() === 'authorization')
      issue(
        ['authToken', 'header'],
        'Choose a header other than Authorization: it carries the OAuth access token, so the JWT needs a bespoke header such as JWT-header-name',
      );
  }
  if (conn.jwt.signing.jwkEnabled && !conn.jwt.signing.builderId)
    issue(['jwt', 'signing', 'builderId'], 'Enter a JWT builder ID: it names the JWKS URL');
}
