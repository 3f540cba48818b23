/**
 * A provider profile (issue 25): what Tokensmith knows of one identity provider, as data — its
 * endpoint templates, discovery quirks, the client authentication and algorithms it accepts,
 * what it requires of an assertion, and its documented error codes with the field that fixes
 * each. One module per provider beside this one, registered in `./index.ts`. Pure TypeScript.
 */
import type { ClientAuthAsSent, ClientAuthMethod, JwsAlgorithm } from '../connection-types/base.js';

/** The few values a profile asks for: they fill its endpoint templates. */
export const PROVIDER_VALUES = ['tenant', 'domain', 'realm', 'region'] as const;
export type ProviderValue = (typeof PROVIDER_VALUES)[number];

export interface ProviderValueSpec {
  label: string;
  /** What the value is, where the provider's console shows it. */
  help: string;
  required: boolean;
  default?: string;
  example: string;
  /** The value as the provider spells it (checked before any URL is made from it). */
  pattern: RegExp;
  patternMessage: string;
}

/** One documented error of the provider: how to recognise it, what it means, what fixes it. */
export interface ProviderError {
  /** The OAuth `error` it comes with, when that narrows it. */
  error?: string;
  /** The provider's own code, as it appears in `error_description` (Entra's AADSTS…). */
  code?: string;
  /** Matched against `error_description` (case-insensitive) when there is no code. */
  description?: RegExp;
  meaning: string;
  /** The connection field to fix (a dotted path of the model), when one does. */
  field?: string;
  fix: string;
}

/** What a provider requires of a JWT it accepts (RFC 7523 §3 and the provider's own rules). */
export interface AssertionRequirements {
  /** `client_auth`: a client assertion (private_key_jwt); `grant`: the JWT is the grant. */
  use: 'client_auth' | 'grant';
  /** Who `aud` names: the token endpoint, the issuer, or a fixed value (template). */
  audience:
    | 'token_endpoint'
    | 'issuer'
    | { template: string; sandbox?: { domain: RegExp; template: string } };
  iss: 'client_id' | 'client_email' | 'consumer_key';
  sub: 'client_id' | 'username' | 'optional';
  /** Header members of which at least one must be sent. */
  headerOneOf: ReadonlyArray<'x5t' | 'x5t#S256' | 'kid'>;
  algorithms: readonly JwsAlgorithm[];
  /** The lifetime the profile sets, in minutes: short, and within what the provider accepts. */
  lifetimeMinutes: number;
  /** A `scope` claim in the JWT (Google). */
  scopeClaim?: boolean;
}

/** The key or certificate file a provider's console hands out. */
export type ProviderCredentials = 'google_service_account' | 'certificate';

export interface ProviderProfile {
  id: string;
  label: string;
  /** The provider's documentation of the flow the profile sets up. */
  docs: string;
  values: Partial<Record<ProviderValue, ProviderValueSpec>>;
  /**
   * URL templates: `{origin}` is `origin` filled in (a `--domain` of a full https URL replaces
   * it, e.g. a custom domain or a reverse proxy), `{tenant}` `{domain}` `{realm}` `{region}`
   * the values.
   */
  origin: string;
  endpoints: { token: string; issuer?: string; authorization?: string };
  /** Where the OpenID / RFC 8414 metadata is, and what is odd about it. */
  discovery: { url?: string; quirks: readonly string[] };
  /** The connection the profile builds. */
  connection: {
    type: 'jwt_client_assertion' | 'jwt_bearer' | 'client_credentials';
    authMethod: ClientAuthMethod;
    scope?: string;
  };
  /** The client authentication methods and signing algorithms the provider accepts. */
  clientAuth: { methods: readonly ClientAuthAsSent[]; algorithms: readonly JwsAlgorithm[] };
  assertion?: AssertionRequirements;
  credentials?: ProviderCredentials;
  /** Token endpoint hosts (and distinctive paths) that identify the provider. */
  match: { hosts: readonly RegExp[]; paths?: readonly RegExp[] };
  errors: readonly ProviderError[];
}
