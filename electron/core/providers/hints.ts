/**
 * A refused token request explained by the provider's profile: when the connection's token
 * endpoint is a known provider's (its host, or a path only it uses) and the error is one the
 * provider documents, the error says what it means and names the field that fixes it.
 */
import type { Connection } from '../../../shared/connection.js';
import { providerErrorOf, providerOfEndpoint } from '../../../shared/providers/index.js';
import { OAuthError } from '../errors.js';

export interface ProviderHint {
  provider: string;
  label: string;
  /** The provider's code (AADSTS…) or the OAuth error. */
  code: string;
  meaning: string;
  fix: string;
  field?: string;
}

/** The profile's explanation of an OAuth error of this connection, if it has one. */
export function providerHint(conn: Connection, error: OAuthError): ProviderHint | undefined {
  const profile = providerOfEndpoint(conn.tokenEndpoint || conn.issuer);
  if (!profile) return undefined;
  const known = providerErrorOf(profile, error.error, error.errorDescription);
  if (!known) return undefined;
  return {
    provider: profile.id,
    label: profile.label,
    code: known.code ?? error.error,
    meaning: known.meaning,
    fix: known.fix,
    ...(known.field ? { field: known.field } : {}),
  };
}

/** Adds the provider's explanation to an OAuth error (message, field, detail.providerHint). */
export function explainProviderError(conn: Connection, e: unknown): void {
  if (!(e instanceof OAuthError)) return;
  const hint = providerHint(conn, e);
  if (!hint) return;
  e.message += `\n${hint.label}, ${hint.code}: ${hint.meaning} To fix: ${hint.fix}${hint.field ? ` (field ${hint.field})` : ''}.`;
  const mutable = e as { field: string | undefined; detail: Record<string, unknown> | undefined };
  if (hint.field && mutable.field === undefined) mutable.field = hint.field;
  mutable.detail = { ...mutable.detail, providerHint: hint };
}
