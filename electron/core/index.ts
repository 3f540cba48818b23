/**
 * Tokensmith's engine, its public face: plain Node, never `electron`. The desktop main process,
 * the browser-mode host, the CLI and the sandbox import it only through this file (lint checks).
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
export { defaultDataDir } from './paths.js';
export { openWorkspace, type Workspace, type WorkspaceProblem } from './workspace.js';
export {
  findWorkspaceFolder,
  listWorkspace,
  listedWorkspaces,
  locateWorkspace,
  openWorkspaceAt,
  type OpenOptions,
} from './workspace/locate.js';
export type { WorkspaceBinding } from './workspace/trust.js';
export { openSealingKey, type SealingKey } from './store/sealing-key.js';
export { fileSchemas, FILE_SCHEMA_NAMES, type FileSchemaName } from './workspace/file-schemas.js';
export type { SecretCipher } from './store/secret-cipher.js';
export { writePrivateFile } from './store/atomic-file.js';
export { resolveReference, type Environment } from './store/env-references.js';
export { createAppService, type AppService, type AppServiceOptions } from './app-service.js';

// Use cases: one function per user action, the same for every face.
export * from './use-cases/session.js';
export * from './use-cases/connections.js';
export * from './use-cases/tokens.js';
export * from './use-cases/token-management.js';
export * from './use-cases/assertions.js';
export * from './use-cases/keystores.js';
export * from './use-cases/proxies.js';
export * from './use-cases/signing-keys.js';
export * from './use-cases/cache.js';
export * from './use-cases/transfer.js';
export * from './use-cases/last-token.js';
export * from './use-cases/workspaces.js';
export * from './use-cases/endpoints.js';
export * from './use-cases/settings.js';
export * from './use-cases/trace.js';
export { JwkServerControl } from './use-cases/jwk-server.js';
export { maskSecrets } from './use-cases/secret-masks.js';
export { providerConnection, providerValues, requireProvider } from './providers/build.js';
export {
  addProviderConnection,
  type ProviderConnectionRequest,
  type ProviderConnectionResult,
} from './providers/add.js';
export { credentialFileNeedsPassword } from './providers/credentials.js';
export { providerHint, type ProviderHint } from './providers/hints.js';
export { dropSecretsIfMoved } from './transfer/kept-secrets.js';

// The engine's building blocks.
export type { FlowContext } from './oauth/flow-context.js';
export { requestToken, GRANTS } from './grants/registry.js';
export { refreshToken } from './grants/refresh.js';
export { buildConnectionAssertion, checkClientAssertion } from './grants/assertions.js';
export { obtainToken, tokenCacheKey, type TokenSource } from './token-service.js';
export { introspectToken, revokeToken } from './oauth/token-management.js';
export { dpopProver, htuOf, athOf } from './oauth/dpop.js';
export { callApi, type ApiRequest, type ApiCallResult } from './api-call.js';
export { resolveConnection, type ResolvedConnection } from './oauth/resolve.js';
export { prepareTokenRequest, requestParameters } from './oauth/token-request.js';
export { basicCredentials, CLIENT_AUTH_STRATEGIES } from './oauth/client-auth.js';
export { buildAuthorizationUrl, redirectUriOf } from './oauth/authorization-request.js';
export { startLoopbackRedirect } from './oauth/loopback-redirect.js';
export { discover, checkAgainstMetadata, endpointsFromMetadata } from './oauth/discovery.js';
export { buildJwt, parseCustomClaims } from './jwt/jwt-builder.js';
export { checkAssertion as checkAssertionJwt } from './jwt/assertion-check.js';
export { decodeToken, verifyToken } from './jwt/jwt-inspect.js';
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
  requirePrivateKey,
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
export { readKeystoreFile } from './keys/keystore-file.js';
export { builderJwksUrl, ensureStoredSigningKeys } from './keys/signing-keys.js';
export { publishingBuilders } from './keys/builder-jwks.js';
export { startJwkServer, type JwkServer } from './jwk-server.js';
