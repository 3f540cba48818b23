/**
 * Client authentication at the token endpoint, one strategy per method (RFC 6749 §2.3,
 * RFC 7523 §2.2, z/OS Connect seed 001), chosen once from the connection's descriptor:
 * - basic: `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))` (§2.3.1); without a
 *   secret the ID goes in the body, as z/OS Connect does;
 * - post: `client_id` and `client_secret` in the form (z/OS `clientSecretInBody`); `client_id`
 *   alone when there is no secret;
 * - none: `client_id` in the form;
 * - private_key_jwt / client_secret_jwt: `client_assertion_type` + a freshly signed
 *   `client_assertion` whose `sub` is the client ID; `client_id` in the form only when asked
 *   (z/OS `jwtAuthenticationSetClientId`);
 * - omitted: nothing (no client ID at all).
 */
import type { ClientAuthAsSent } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import type { BuiltJwt } from '../jwt/jwt-builder.js';
import type { ResolvedConnection } from './resolve.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type FormParams = Array<[string, string]>;

/** What client authentication adds to a token request, kept apart so exports can render it. */
export interface AppliedClientAuth {
  method: ClientAuthAsSent;
  form: FormParams;
  headers: Record<string, string>;
  /**
   * Basic: the credentials before encoding (exports encode them at run time): RFC 6749 §2.3.1
   * (form-encoded first) for a client, RFC 7617 (`plain`) for a user; in `header` when it is not
   * Authorization.
   */
  basic?: { id: string; secret: string; encoding?: 'form' | 'plain'; header?: string };
  /** The client assertion sent: signed for this request, or the one given (pasted). */
  assertion?: string;
  /** The client assertion signed for this request (not when one was given). */
  signed?: BuiltJwt;
}

/** RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded, as URLSearchParams writes it. */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** RFC 6749 §2.3.1: each of ID and secret form-urlencoded before base64. */
export function basicCredentials(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
}

type Strategy = (
  resolved: ResolvedConnection,
  given: { assertion?: string },
) => Promise<Omit<AppliedClientAuth, 'method'>>;

const inBody = (form: FormParams): Omit<AppliedClientAuth, 'method'> => ({ form, headers: {} });

function requireId(id: string): void {
  if (!id) {
    throw new TokensmithError(
      'invalid_input',
      'Client ID is required for this client authentication.',
      { field: 'client.id' },
    );
  }
}

const assertionStrategy: Strategy = async (resolved, given) => {
  const id = resolved.assertionClientId;
  requireId(id);
  const signed = given.assertion ? undefined : await resolved.sign('client_auth');
  const assertion = given.assertion ?? (signed as BuiltJwt).jwt;
  const { conn } = resolved;
  const sendId = conn.client.sendClientIdWithAssertion;
  return {
    ...inBody([
      ...(sendId ? ([['client_id', id]] as FormParams) : []),
      ['client_assertion_type', CLIENT_ASSERTION_TYPE],
      ['client_assertion', assertion],
    ]),
    assertion,
    ...(signed ? { signed } : {}),
  };
};

export const CLIENT_AUTH_STRATEGIES: Record<ClientAuthAsSent, Strategy> = {
  async client_secret_basic({ conn }) {
    const { id, secret } = conn.client;
    requireId(id);
    if (!secret) return inBody([['client_id', id]]);
    return {
      form: [],
      headers: { authorization: basicCredentials(id, secret) },
      basic: { id, secret },
    };
  },
  async client_secret_post({ conn }) {
    const { id, secret } = conn.client;
    requireId(id);
    return inBody(
      secret
        ? [
            ['client_id', id],
            ['client_secret', secret],
          ]
        : [['client_id', id]],
    );
  },
  async none({ conn }) {
    requireId(conn.client.id);
    return inBody([['client_id', conn.client.id]]);
  },
  private_key_jwt: assertionStrategy,
  client_secret_jwt: assertionStrategy,
  async omitted() {
    return inBody([]);
  },
};

/** Applies the connection's client authentication (`given.assertion`: a pasted client assertion). */
export async function applyClientAuth(
  resolved: ResolvedConnection,
  given: { assertion?: string } = {},
): Promise<AppliedClientAuth> {
  const method = resolved.clientAuth;
  return { method, ...(await CLIENT_AUTH_STRATEGIES[method](resolved, given)) };
}
