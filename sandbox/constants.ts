/** Names, paths and demo credentials the sandbox's modules and its users share. */

export const SANDBOX_SECRET = 'sandbox-secret-with-enough-entropy-0123456789';
export const SANDBOX_USER = { username: 'alice', password: 'wonderland' };
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const JWT_BEARER_ISSUER = 'tokensmith-jwt-bearer-client';
/** RFC 8628 §3.4 and RFC 8693 §2.1 grant types. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
/** The audience of exchanged tokens when the request names none. */
export const EXCHANGE_DEFAULT_AUDIENCE = 'https://api.sandbox.test';

export const PROTECTED_API_PATH = '/api/whoami';
/** The same API, answering a bad token with a bare 401 (no error="invalid_token"). */
export const PLAIN_401_API_PATH = '/api/whoami-plain';
/** The same API, wanting a DPoP nonce it issued in every proof (RFC 9449 §9). */
export const DPOP_NONCE_API_PATH = '/api/whoami-nonce';
/** The same API, refusing every nonce (a cluster whose nodes do not share nonces). */
export const DPOP_NONCE_REFUSED_API_PATH = '/api/whoami-nonce-refused';
/** An API that wants the OAuth access token and the authentication server's JWT (seed 000). */
export const COMBINED_API_PATH = '/api/combined';
/** The JWT authentication server (z/OS `zosconnect_authToken`): credentials and JWT in headers. */
export const AUTH_JWT_HEADER_PATH = '/authjwt/header';
/** The same with the credentials in a JSON body and the JWT at `$.data.jwt` of the answer. */
export const AUTH_JWT_BODY_PATH = '/authjwt/body';
export const AUTH_JWT_REQUEST_HEADER = 'JWTReqAuthorization';
export const AUTH_JWT_RESPONSE_HEADER = 'JWTResAuthorization';
export const AUTH_JWT_API_HEADER = 'JWT-header-name';

/** Scopes the sandbox knows. */
export const SANDBOX_SCOPES = [
  'openid',
  'offline_access',
  'profile',
  'email',
  'api:read',
  'api:write',
];
