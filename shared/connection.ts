/**
 * The connection model: one zod schema per connection type (`./connection-types/`, each with its
 * descriptor), joined here into the union every face parses with, plus the cross-section rules.
 * Pure TypeScript: used by the core, the renderer forms, the store and the export formats.
 */
import * as z from 'zod';
import { checkConnection } from './connection-types/base.js';
import {
  CONNECTION_SCHEMAS,
  CONNECTION_TYPES,
  DESCRIPTORS,
  descriptorOfType,
  type ConnectionType,
} from './connection-types/index.js';

export * from './connection-types/base.js';
export { JWT_BEARER_GRANT } from './connection-types/jwt-bearer.js';
export type { AuthorizationCodeConnection } from './connection-types/authorization-code.js';
export type { JwtBearerConnection } from './connection-types/jwt-bearer.js';
export type { JwtClientAssertionConnection } from './connection-types/jwt-client-assertion.js';
export type { ClientCredentialsConnection } from './connection-types/client-credentials.js';
export type { PasswordConnection } from './connection-types/password.js';
export type { DeviceCodeConnection } from './connection-types/device-code.js';
export type { TokenExchangeConnection } from './connection-types/token-exchange.js';
export { DEVICE_CODE_GRANT } from './connection-types/device-code.js';
export { TOKEN_EXCHANGE_GRANT, TOKEN_TYPES } from './connection-types/token-exchange.js';
export { DPOP_KEY_SOURCES, type DpopSettings } from './connection-types/token-binding.js';
export type { JwtConnection, JwtIssuerSettings } from './connection-types/jwt.js';
export { API_GATEWAY_JWT_PATH } from './connection-types/jwt.js';
export * from './connection-types/zos.js';
export {
  CONNECTION_TYPES,
  DESCRIPTORS,
  apiTokenOf,
  descriptorOf,
  descriptorOfType,
  prerequisitesOf,
  type ConnectionOf,
  type FieldProblem,
  type ServerXmlMapping,
  type ConnectionType,
  type ConnectionTypeDescriptor,
} from './connection-types/index.js';

export const connectionSchema = z
  .discriminatedUnion('type', [...CONNECTION_SCHEMAS])
  .superRefine(checkConnection);

export type Connection = z.infer<typeof connectionSchema>;

/**
 * The fields of a type's other dialog steps, when `actionId` is the button of a step before the
 * last (seed 004: Generate JWT Token runs before the Token Endpoint of step 2 is filled); none
 * when it is the last step's button or no step's, which need everything.
 */
export function otherStepsFields(type: ConnectionType, actionId: string): Set<string> {
  const steps = DESCRIPTORS[type].ui.steps as ReadonlyArray<{
    action: { id: string };
    sections: ReadonlyArray<{ fields: ReadonlyArray<{ path: string }> }>;
  }>;
  const own = steps.find((step) => step.action.id === actionId);
  if (!own || own === steps.at(-1)) return new Set();
  return new Set(
    steps
      .filter((step) => step !== own)
      .flatMap((step) => step.sections.flatMap((s) => s.fields.map((f) => f.path))),
  );
}

/**
 * The schema a dialog step's own button parses with: the cross-section rules about fields of
 * the type's other steps are left to those steps' buttons.
 */
export function connectionSchemaForStep(actionId: string) {
  let schema = stepSchemas.get(actionId);
  if (!schema) stepSchemas.set(actionId, (schema = makeStepSchema(actionId)));
  return schema;
}

/** Made once per step button: the assertion check asks again on every edit of step 2. */
const stepSchemas = new Map<string, ReturnType<typeof makeStepSchema>>();

function makeStepSchema(actionId: string) {
  return z.discriminatedUnion('type', [...CONNECTION_SCHEMAS]).superRefine((conn, ctx) => {
    const elsewhere = otherStepsFields(conn.type, actionId);
    checkConnection(conn, {
      ...ctx,
      addIssue: (issue) => {
        const path = typeof issue === 'string' ? '' : (issue.path ?? []).join('.');
        if (!elsewhere.has(path)) ctx.addIssue(issue);
      },
    } as z.RefinementCtx);
  });
}

export type ConnectionInput = z.input<typeof connectionSchema>;

/** Labels as the Connection Type drop-down shows them. */
export const CONNECTION_TYPE_LABELS = Object.fromEntries(
  CONNECTION_TYPES.map((t) => [t, DESCRIPTORS[t].label]),
) as Record<ConnectionType, string>;

/**
 * A new connection of a type with the dialog's defaults (e.g. the Microsoft Graph scope for
 * JWT Client Assertion).
 */
export function newConnection(
  type: ConnectionType,
  init: { id: string; name: string; tokenEndpoint?: string },
): ConnectionInput {
  return {
    ...descriptorOfType(type).defaults(),
    id: init.id,
    name: init.name,
    tokenEndpoint: init.tokenEndpoint ?? '',
    type,
  } as ConnectionInput;
}

/**
 * A name for a connection the user has not named yet (the seeds never ask for one): its type
 * and the host its requests go to, e.g. `client-credentials@login.example.com`, made unique
 * among `taken` with `-2`, `-3`… The user can change it.
 */
export function suggestedName(
  conn: {
    type: string;
    tokenEndpoint?: string;
    issuer?: string;
    authorizationEndpoint?: string;
  },
  taken: readonly string[] = [],
): string {
  const url = [conn.tokenEndpoint, conn.issuer, conn.authorizationEndpoint].find(Boolean) ?? '';
  let host = '';
  try {
    host = url ? new URL(url).hostname : '';
  } catch {
    host = '';
  }
  const base = `${conn.type.replace(/_/g, '-')}${host ? `@${host}` : ''}`;
  const used = new Set(taken);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  return name;
}

/** The connections a token exchange takes its subject or actor token from (chained), by role. */
export function chainedConnections(
  c: Connection,
): Array<{ role: 'subject' | 'actor'; connection: string }> {
  if (c.type !== 'token_exchange') return [];
  return (
    [
      ['subject', c.subjectToken],
      ['actor', c.actorToken],
    ] as const
  ).flatMap(([role, chained]) =>
    chained.source === 'connection' && chained.connection
      ? [{ role, connection: chained.connection }]
      : [],
  );
}
