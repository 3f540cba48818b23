/**
 * A connection type, described once: everything that varies by type lives in its descriptor,
 * and every face (the engine's cache key and exports, discovery warnings, the app's pages, the
 * CLI) asks the registry (`./index.ts`) instead of testing `conn.type`.
 */
import { clientAuthOf, type ClientAuthAsSent, type ConnectionCommon } from './base.js';
import type { ConnectionUi } from './ui.js';

/** How a connection signs a JWT, if it does (RFC 7523). */
export type JwtSigning =
  /** §2.1: the signed JWT is the grant (`assertion`). */
  | { use: 'grant'; key: 'keystore' }
  /** §2.2: the signed JWT authenticates the client (`client_assertion`). */
  | { use: 'client_auth'; key: 'keystore' | 'secret' };

/** Where a connection type goes in a z/OS Connect server.xml (seeds 000–002). */
export type ServerXmlMapping =
  /** `zosconnect_oAuthConfig` with this grant type. */
  | {
      grantType: 'client_credentials' | 'password';
      /** The grant itself sends `client_id` beside a client assertion (z/OS `jwtAuthenticationSetClientId`). */
      clientIdInBody?: boolean;
      /** What of the type has no server.xml form, said in the export's notes. */
      note?: string;
    }
  /** A `zosconnect_authToken` alone on the endpoint connection: a JWT from an authentication server. */
  | { authToken: true; note?: string }
  /** z/OS Connect has no such grant: the reason is reported, the connection is not written. */
  | { unsupported: string };

/** A setting that must be filled in before a token can be requested: its field and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ConnectionTypeDescriptor<C extends ConnectionCommon & { type: string }> {
  type: C['type'];
  /** The Connection Type drop-down's label (CloudStreams wording where the seed has one). */
  label: string;
  /** The `grant_type` the token request sends; null when the type is not OAuth (no grant). */
  grantType: string | null;
  /** Needs a person at a browser (no use in CI without a cached or refreshable token). */
  interactive: boolean;
  /** The type's own defaults for a new connection (the dialog's, e.g. the Graph scope). */
  defaults(): Record<string, unknown>;
  /** Client authentication as it is sent on the token request. */
  clientAuthAsSent(conn: C): ClientAuthAsSent;
  /** Whether, and for what, the connection signs a JWT. */
  signsJwt(conn: C): JwtSigning | undefined;
  /**
   * What the grant needs before it can run, as field messages (seed 001: client credentials needs
   * a secret or JWT authentication; the password grant a client ID). The engine refuses a token
   * request with the first; the page shows them all beside their fields. A connection may be
   * saved without them (an imported server.xml leaves secrets to be entered).
   */
  prerequisites?(conn: C): FieldProblem[];
  /** How API calls carry the token (Try API, `tokensmith call`); default `Authorization: Bearer`. */
  apiToken?(conn: C): { header: string; bearer: boolean };
  /**
   * The type's own inputs of the token-cache key, beyond the shared ones (endpoint, client,
   * request parameters, signing). Secrets must be passed through `hash`.
   */
  cacheInputs(conn: C, hash: (secret: string) => string): Record<string, unknown>;
  exports: {
    serverXml: ServerXmlMapping;
    /** What a user of the exported curl command must do first, if anything (shell comment). */
    curlPreamble?: string;
  };
  ui: ConnectionUi<C>;
}

/** The JWT a chosen private_key_jwt / client_secret_jwt client authentication signs. */
export function clientAuthSigning(conn: ConnectionCommon): JwtSigning | undefined {
  const method = clientAuthOf(conn.client);
  if (method === 'private_key_jwt') return { use: 'client_auth', key: 'keystore' };
  if (method === 'client_secret_jwt') return { use: 'client_auth', key: 'secret' };
  return undefined;
}
