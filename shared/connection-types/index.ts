/**
 * The registry of connection types. Adding a type is a module beside these (its schema and its
 * descriptor), one entry in CONNECTION_SCHEMAS and one in DESCRIPTORS; the compiler then names
 * every other registry that lacks it (the engine's grants).
 */
import type { z } from 'zod';
import type { ConnectionTypeDescriptor, FieldProblem } from './descriptor.js';
import { fieldsOf, type ConnectionUi } from './ui.js';
import { authorizationCode, authorizationCodeConnection } from './authorization-code.js';
import { clientCredentials, clientCredentialsConnection } from './client-credentials.js';
import { deviceCode, deviceCodeConnection } from './device-code.js';
import { jwtBearer, jwtBearerConnection } from './jwt-bearer.js';
import { jwtClientAssertion, jwtClientAssertionConnection } from './jwt-client-assertion.js';
import { jwtConnection, jwtToken } from './jwt.js';
import { password, passwordConnection } from './password.js';
import { tokenExchange, tokenExchangeConnection } from './token-exchange.js';

/** One schema per type, in the order of the Connection Type drop-down. */
export const CONNECTION_SCHEMAS = [
  authorizationCodeConnection,
  jwtBearerConnection,
  jwtClientAssertionConnection,
  clientCredentialsConnection,
  passwordConnection,
  deviceCodeConnection,
  tokenExchangeConnection,
  jwtConnection,
] as const;

/** A connection of any type (before the cross-section rules of `connectionSchema`). */
export type AnyConnection = z.infer<(typeof CONNECTION_SCHEMAS)[number]>;
export type ConnectionType = AnyConnection['type'];
export type ConnectionOf<T extends ConnectionType> = Extract<AnyConnection, { type: T }>;

/** Every type's descriptor: a missing type, or a descriptor missing a part, does not compile. */
export type DescriptorRegistry = {
  [T in ConnectionType]: ConnectionTypeDescriptor<ConnectionOf<T>>;
};

export const DESCRIPTORS = {
  authorization_code: authorizationCode,
  jwt_bearer: jwtBearer,
  jwt_client_assertion: jwtClientAssertion,
  client_credentials: clientCredentials,
  password,
  device_code: deviceCode,
  token_exchange: tokenExchange,
  jwt: jwtToken,
} as const satisfies DescriptorRegistry;

export const CONNECTION_TYPES = CONNECTION_SCHEMAS.map(
  (s) => s.shape.type.value,
) as readonly ConnectionType[];

/**
 * The descriptor of a connection's type, typed for any connection. (A registry lookup by a
 * union-typed key loses the link between key and value; this is the one place that restores it.)
 */
export function descriptorOf<C extends AnyConnection>(conn: C): ConnectionTypeDescriptor<C> {
  return DESCRIPTORS[conn.type] as unknown as ConnectionTypeDescriptor<C>;
}

/** The descriptor of a type named by a string from outside (a URL, a file). */
export function descriptorOfType(type: ConnectionType): ConnectionTypeDescriptor<AnyConnection> {
  return DESCRIPTORS[type] as unknown as ConnectionTypeDescriptor<AnyConnection>;
}

/**
 * What a connection still needs before a token can be requested (its type's prerequisites), as
 * field messages: the engine refuses the request with the first, the page shows them all.
 */
export function prerequisitesOf(conn: AnyConnection): FieldProblem[] {
  return descriptorOf(conn).prerequisites?.(conn) ?? [];
}

/** How API calls carry a connection's token: `Authorization: Bearer …` unless its type says otherwise. */
export function apiTokenOf(conn: AnyConnection): { header: string; bearer: boolean } {
  return descriptorOf(conn).apiToken?.(conn) ?? { header: 'Authorization', bearer: true };
}

export type {
  ConnectionTypeDescriptor,
  FieldProblem,
  JwtSigning,
  ServerXmlMapping,
} from './descriptor.js';
export { clientAuthSigning } from './descriptor.js';

/**
 * The paths of every field whose role is `endpoint` in any type's descriptor, in first-seen
 * order: where a connection's secrets go. Rules that bind secrets to their destination ask this,
 * so a new type's endpoint field is covered by being declared.
 */
export function endpointPaths(
  descriptors: ReadonlyArray<{ ui: ConnectionUi<never> }> = Object.values(DESCRIPTORS) as never,
): string[] {
  const paths = new Set<string>();
  for (const d of descriptors)
    for (const f of fieldsOf(d.ui)) if (f.role === 'endpoint') paths.add(f.path);
  return [...paths];
}
