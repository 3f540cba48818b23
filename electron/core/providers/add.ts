/**
 * Adds a connection built from a provider profile, with the provider's credential file imported
 * as its keystore. The file is someone else's until proven otherwise: it is read only for the
 * members its kind has, the connection it makes goes through the same binding review as an
 * imported file (`transfer/import-bindings.ts`), and nothing is written before all is checked.
 */
import { connectionSchema, type Connection } from '../../../shared/connection.js';
import type { ProviderProfile, ProviderValue } from '../../../shared/providers/index.js';
import { uniqueStem } from '../../../shared/workspace-model.js';
import { TokensmithError } from '../errors.js';
import {
  findBindings,
  requireConfirmation,
  type Confirmation,
} from '../transfer/import-bindings.js';
import { invalidInput, saveConnection } from '../use-cases/connections.js';
import { importKeystore } from '../use-cases/keystores.js';
import type { Session } from '../use-cases/session.js';
import { providerConnection, requireProvider, settleProviderConnection } from './build.js';
import { readProviderCredentials, type CredentialFile } from './credentials.js';

export interface ProviderConnectionRequest extends Confirmation {
  provider: string;
  name: string;
  values: Partial<Record<ProviderValue, string>>;
  /** The provider's key file (Google key JSON, certificate with its key). */
  keyFile?: CredentialFile;
  /** The keystore the key file becomes; default: the connection's name. */
  keystoreName?: string;
  /** Replace a keystore of that name (a binding the user confirms). */
  replace?: boolean;
  /** The user's own field values, applied last (the CLI's field flags). */
  customize?: (record: Record<string, unknown>) => void;
}

export interface ProviderConnectionResult {
  connection: Connection;
  profile: ProviderProfile;
  keystore?: string;
  notes: string[];
}

export async function addProviderConnection(
  session: Session,
  req: ProviderConnectionRequest,
): Promise<ProviderConnectionResult> {
  const profile = requireProvider(req.provider);
  const doc = await session.workspace.store.read();
  if (doc.connections.some((c) => c.name === req.name))
    throw new TokensmithError('invalid_input', `A connection named "${req.name}" already exists.`, {
      field: 'name',
    });
  const id = uniqueStem(req.name, new Set(doc.connections.map((c) => c.id)));
  const record = providerConnection({ ...req, id });
  const credentials = req.keyFile ? readProviderCredentials(profile, req.keyFile) : undefined;
  const keystoreName = req.keystoreName || req.name;
  credentials?.apply(record, keystoreName);
  req.customize?.(record);
  settleProviderConnection(profile, record);
  const parsed = connectionSchema.safeParse(record);
  if (!parsed.success) throw invalidInput(parsed.error);
  const conn = parsed.data;
  if (credentials) {
    const signsWith = conn.jwt.signing.keystore;
    if (doc.keystores.some((k) => k.name === signsWith) && !req.replace)
      throw new TokensmithError(
        'invalid_input',
        `A keystore named "${signsWith}" already exists: give the key file's keystore another name (--keystore-name), or replace it.`,
        { field: 'jwt.signing.keystore' },
      );
    // What the connection would use of the user's (their keystore of that name, a proxy…).
    requireConfirmation(
      findBindings({ connections: [conn], keystores: [], proxies: [] }, doc),
      req,
    );
    await importKeystore(session, {
      name: signsWith,
      purpose: 'keystore',
      kind: credentials.keystore.kind,
      fileName: credentials.keystore.fileName,
      data: credentials.keystore.data,
      password: credentials.keystore.password,
      keyPasswords: {},
      replace: req.replace === true,
    });
  }
  const saved = await saveConnection(session, () => conn);
  return {
    connection: saved,
    profile,
    ...(credentials ? { keystore: conn.jwt.signing.keystore } : {}),
    notes: credentials?.notes ?? [],
  };
}
