/**
 * The registry of provider profiles (issue 25), like the connection types': one module each,
 * one entry here. Pure TypeScript; the builders are in the engine (`electron/core/providers`).
 */
import { auth0 } from './auth0.js';
import { cognito } from './cognito.js';
import { entra } from './entra.js';
import { google } from './google.js';
import { ibmVerify } from './ibm-verify.js';
import { keycloak } from './keycloak.js';
import { okta } from './okta.js';
import type { ProviderError, ProviderProfile } from './profile.js';
import { salesforce } from './salesforce.js';

export type * from './profile.js';
export { PROVIDER_VALUES } from './profile.js';

export const PROVIDERS: readonly ProviderProfile[] = [
  entra,
  google,
  salesforce,
  okta,
  auth0,
  keycloak,
  cognito,
  ibmVerify,
];

export const PROVIDER_IDS = PROVIDERS.map((p) => p.id);

export function providerById(id: string): ProviderProfile | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** The profile whose token endpoint this is, by its host, else by a path only it uses. */
export function providerOfEndpoint(url: string): ProviderProfile | undefined {
  if (!URL.canParse(url)) return undefined;
  const { hostname, pathname } = new URL(url);
  return (
    PROVIDERS.find((p) => p.match.hosts.some((h) => h.test(hostname))) ??
    PROVIDERS.find((p) => p.match.paths?.some((r) => r.test(pathname)))
  );
}

/** The profile's documented error that an OAuth error response is, if any. */
export function providerErrorOf(
  profile: ProviderProfile,
  error: string,
  description = '',
): ProviderError | undefined {
  const codes = new Set(description.match(/AADSTS\d+/g) ?? []);
  return (
    profile.errors.find((e) => e.code !== undefined && codes.has(e.code)) ??
    profile.errors.find(
      (e) =>
        e.code === undefined &&
        (e.error === undefined || e.error === error) &&
        (e.description === undefined || e.description.test(description)) &&
        (e.error !== undefined || e.description !== undefined),
    )
  );
}
