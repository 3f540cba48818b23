/**
 * The connections file (DESIGN: `tokensmith.connections`, version 1) and its export. Secrets
 * are left out by default and listed as required; with a passphrase they travel encrypted
 * (`./sealed-secrets.ts`). Keystores and proxy aliases that the connections use are included by
 * name. The import is `./plan-import.ts`.
 */
import * as z from 'zod';
import { connectionSchema, type Connection } from '../../../shared/connection.js';
import {
  keystoreEntry,
  proxyAlias,
  type KeystoreEntry,
  type ProxyAlias,
} from '../../../shared/resources.js';
import {
  forEachSecret,
  isSecretReference,
  type SecretOwner,
  type StoreDocument,
} from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { pointerOf } from './import-problems.js';
import { checkPassphrase, sealedSecrets, sealSecrets } from './sealed-secrets.js';

export { EXPORT_SCRYPT, MIN_PASSPHRASE_LENGTH } from './sealed-secrets.js';

export const EXPORT_FORMAT = 'tokensmith.connections';

export const exportDocument = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  connections: z.array(connectionSchema),
  keystores: z.array(keystoreEntry).default([]),
  proxies: z.array(proxyAlias).default([]),
  /** JSON pointers of secrets that were left out. */
  requiredSecrets: z.array(z.string()).default([]),
  secrets: sealedSecrets.optional(),
});
export type ExportDocument = z.infer<typeof exportDocument>;

export { pointerOf } from './import-problems.js';

/** The keystores and proxy aliases that connections refer to. */
function referenced(
  doc: StoreDocument,
  connections: Connection[],
): { keystores: KeystoreEntry[]; proxies: ProxyAlias[] } {
  const keystoreNames = new Set(
    connections
      .flatMap((c) => [c.jwt.signing.keystore, c.ssl.keystoreAlias, c.ssl.truststoreAlias])
      .filter(Boolean),
  );
  const proxyNames = new Set(connections.map((c) => c.proxyAlias).filter(Boolean));
  return {
    keystores: doc.keystores.filter((k) => keystoreNames.has(k.name)),
    proxies: doc.proxies.filter((p) => proxyNames.has(p.name)),
  };
}

export interface ExportOptions {
  /** Names of the connections to export; all when empty. */
  names?: string[];
  /** Encrypt and include the secrets. */
  passphrase?: string;
  now?: Date;
}

/** The named connections (all when none are named); an unknown name is an error naming it. */
export function selectConnections(doc: StoreDocument, names: string[] = []): Connection[] {
  const unknown = names.filter((n) => !doc.connections.some((c) => c.name === n));
  if (unknown.length) {
    throw new TokensmithError(
      'not_found',
      `No connection named ${unknown.map((n) => `"${n}"`).join(', ')}.`,
    );
  }
  return names.length ? doc.connections.filter((c) => names.includes(c.name)) : doc.connections;
}

/** The export document with every secret taken out, and the secrets taken out by pointer. */
function exportWithoutSecrets(
  doc: StoreDocument,
  options: ExportOptions,
): { out: ExportDocument; secrets: Record<string, string> } {
  if (options.passphrase !== undefined) checkPassphrase(options.passphrase);
  const connections = structuredClone(selectConnections(doc, options.names));
  const { keystores, proxies } = structuredClone(referenced(doc, connections));
  const secrets: Record<string, string> = {};
  const strip = (owner: SecretOwner, list: object[], collection: string) =>
    list.forEach((record, i) =>
      forEachSecret(owner, record as Record<string, unknown>, (path, value, set) => {
        if (isSecretReference(value)) return; // a reference is not a secret
        secrets[pointerOf(collection, i, ...path.split('.'))] = value;
        set('');
      }),
    );
  strip('connection', connections, 'connections');
  strip('keystore', keystores, 'keystores');
  strip('proxy', proxies, 'proxies');
  const out: ExportDocument = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: (options.now ?? new Date()).toISOString(),
    connections,
    keystores,
    proxies,
    requiredSecrets: options.passphrase ? [] : Object.keys(secrets),
  };
  return { out, secrets };
}

/**
 * The export document; with a passphrase (at least {@link MIN_PASSPHRASE_LENGTH} characters) the
 * secrets travel sealed. The key is derived with the asynchronous scrypt: the event loop keeps
 * serving others (the app, browser mode) meanwhile.
 */
export async function exportConnections(
  doc: StoreDocument,
  options: ExportOptions = {},
): Promise<ExportDocument> {
  const { out, secrets } = exportWithoutSecrets(doc, options);
  if (options.passphrase && Object.keys(secrets).length)
    out.secrets = await sealSecrets(secrets, options.passphrase);
  return out;
}
