/**
 * Tokensmith's core: plain Node, never `electron`. The desktop main process, the CLI and browser
 * mode all call this API.
 */
export {
  TokensmithError,
  OAuthError,
  HttpStatusError,
  CancelledError,
  toErrorData,
} from './errors.js';
export { HttpClient, type HttpRequest, type HttpResponse } from './http/http-client.js';
export {
  DEFAULT_NETWORK_PROFILE,
  type NetworkProfile,
  type ProxySettings,
} from './http/network-profile.js';
export type { FlowContext } from './oauth/flow-context.js';
export { requestToken } from './oauth/request-token.js';
export {
  clientCredentials,
  passwordGrant,
  jwtBearer,
  generateClientAssertion,
  checkClientAssertion,
  submitClientAssertion,
  refreshToken,
} from './oauth/grants.js';
export {
  authorizationCode,
  buildAuthorizationUrl,
  redirectUriOf,
} from './oauth/authorization-code.js';
export { startLoopbackRedirect } from './oauth/loopback-redirect.js';
export {
  prepareTokenRequest,
  effectiveClientAuth,
  basicCredentials,
} from './oauth/token-request.js';
export { discover, checkAgainstMetadata, endpointsFromMetadata } from './oauth/discovery.js';
export { buildJwt, parseCustomClaims } from './jwt/jwt-builder.js';
export { checkAssertion } from './jwt/assertion-check.js';
export {
  ResourceRegistry,
  networkProfileFor,
  resolveSigningKey,
  type ResourceResolver,
} from './resources.js';
export {
  loadKeystore,
  listAliases,
  detectKeystoreKind,
  type Keystore,
  type KeyEntry,
} from './keys/keystore.js';
export {
  parseCertificate,
  parseCertificates,
  describeCertificate,
  x5t,
  x5tS256,
} from './keys/certificate.js';
export { generateKeyPair, entryToPem, privateKeyToPem, KEY_ALGORITHMS } from './keys/keygen.js';
export { toJwks, publicJwk } from './keys/jwks.js';
