/**
 * A connection from a provider profile (issue 25): the profile's endpoint templates filled with
 * the few values it asks for (tenant, domain, realm, region), its client authentication, and an
 * assertion shaped as the provider requires (aud, iss/sub, header members, lifetime).
 */
import {
  PROVIDERS,
  PROVIDER_VALUES,
  providerById,
  type ProviderProfile,
  type ProviderValue,
} from '../../../shared/providers/index.js';
import { newConnection } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';

export interface ProviderBuildInput {
  provider: string;
  id: string;
  name: string;
  values: Partial<Record<ProviderValue, string>>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function refuse(message: string, field?: string): never {
  throw new TokensmithError('invalid_input', message, field ? { field } : {});
}

/** The profile named `id`, or a refusal that lists the known ones. */
export function requireProvider(id: string): ProviderProfile {
  const profile = providerById(id);
  if (!profile)
    refuse(
      `Unknown provider "${id}": one of ${PROVIDERS.map((p) => p.id).join(', ')} (tokensmith providers).`,
      'provider',
    );
  return profile;
}

/** An origin given as a URL (a custom domain, a proxy path): https, or http on loopback only. */
function originOf(value: string): string {
  if (!URL.canParse(value)) refuse(`"${value}" is not a URL.`, 'domain');
  const url = new URL(value);
  if (url.search || url.hash || url.username || url.password)
    refuse(`Give the domain as https://host[/path], without query, fragment or user.`, 'domain');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    refuse(`The domain must be https:// (http:// only on this computer's loopback).`, 'domain');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The profile's values, checked, with their defaults; `{origin}` made. */
export function providerValues(
  profile: ProviderProfile,
  given: Partial<Record<ProviderValue, string>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  const takes = PROVIDER_VALUES.filter((v) => profile.values[v]);
  for (const v of PROVIDER_VALUES) {
    const raw = given[v]?.trim();
    const spec = profile.values[v];
    if (raw && !spec)
      refuse(
        `${profile.label} takes no --${v}${takes.length ? `: it takes ${takes.map((t) => `--${t}`).join(', ')}` : ''}.`,
        v,
      );
    if (!spec) continue;
    const value = raw || spec.default || '';
    if (!value) {
      if (spec.required)
        refuse(`${profile.label} needs --${v}: ${spec.help} (e.g. ${spec.example}).`, v);
      continue;
    }
    if (!spec.pattern.test(value)) refuse(`--${v} "${value}" is not ${spec.patternMessage}.`, v);
    values[v] = value;
  }
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
  values.origin =
    values.domain && /^https?:\/\//.test(values.domain)
      ? originOf(values.domain)
      : fill(profile.origin);
  return values;
}

/** Fills `{origin}`, `{tenant}`… of a template. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}

/** A new connection record (before field flags and the schema) built from a profile. */
export function providerConnection(input: ProviderBuildInput): Record<string, unknown> {
  const profile = requireProvider(input.provider);
  const values = providerValues(profile, input.values);
  const tokenEndpoint = fillTemplate(profile.endpoints.token, values);
  const issuer = profile.endpoints.issuer ? fillTemplate(profile.endpoints.issuer, values) : '';
  const record = newConnection(profile.connection.type, {
    id: input.id,
    name: input.name,
    tokenEndpoint,
  }) as Record<string, unknown> & { params?: Record<string, unknown> };
  record.description = `From the ${profile.label} profile.`;
  record.client = { authMethod: profile.connection.authMethod };
  const a = profile.assertion;
  if (profile.connection.scope && !a?.scopeClaim)
    record.params = { ...record.params, scope: profile.connection.scope };
  if (a) {
    let audience = '';
    if (a.audience === 'issuer') audience = issuer;
    else if (typeof a.audience === 'object') {
      const host = values.domain && !/^https?:/.test(values.domain) ? values.domain : '';
      audience = fillTemplate(
        a.audience.sandbox && a.audience.sandbox.domain.test(host)
          ? a.audience.sandbox.template
          : a.audience.template,
        values,
      );
    }
    record.jwt = {
      header: {
        alg: 'auto',
        includeX5t: a.headerOneOf.includes('x5t'),
        includeX5tS256: a.headerOneOf.includes('x5t#S256'),
        includeKid: a.headerOneOf.includes('kid'),
      },
      claims: {
        audience,
        expirationMinutes: a.lifetimeMinutes,
        includeJti: true,
        ...(a.scopeClaim && profile.connection.scope
          ? { scopeClaim: profile.connection.scope }
          : {}),
      },
    };
  }
  return record;
}

/**
 * Sets who the assertion is from once the field flags are applied: a Salesforce consumer key
 * given as the client ID is the JWT's issuer (the request itself carries no client_id).
 */
export function settleProviderConnection(
  profile: ProviderProfile,
  record: Record<string, unknown>,
): void {
  if (profile.assertion?.iss !== 'consumer_key') return;
  const client = record.client as { id?: string };
  const jwt = record.jwt as { claims: { issuer?: string } };
  if (client.id && !jwt.claims.issuer) jwt.claims.issuer = client.id;
  client.id = '';
}
