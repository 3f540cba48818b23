/**
 * Importing a file the user chose, for the app and the CLI alike: a Tokensmith connections file
 * or a z/OS Connect server.xml (recognised by its content), checked whole and written under the
 * store's lock; JWK-enabled connections get their signing key. server.xml support loads only
 * when a file needs it. Encrypted secrets are decrypted before the lock is taken: the key
 * derivation takes a few hundred milliseconds, during which other writers must not wait. A file
 * that would use anything of the user's is refused (`confirmation_required`, listing the
 * bindings) until the options confirm them.
 */
import type { ImportBinding } from '../../../shared/transfer.js';
import type { Store } from '../store/file-store.js';
import {
  planImport,
  unsealImportSecrets,
  type ImportOptions,
  type ImportPlan,
} from './plan-import.js';

export interface ImportResult {
  imported: ImportPlan['imported'];
  missingSecrets: string[];
  /** server.xml: what was not imported, and what to do next. */
  notes: string[];
  /** What the import uses of the user's (keystores, keys, proxies, variables, files), confirmed. */
  bindings: ImportBinding[];
}

/** Whether a file's text is XML rather than JSON. */
export function looksLikeXml(text: string): boolean {
  return /^\s*(?:\uFEFF)?</.test(text);
}

export async function importFile(
  store: Store,
  text: string,
  options: Omit<ImportOptions, 'allowMissingKeystores'> = {},
): Promise<ImportResult> {
  const xml = looksLikeXml(text)
    ? (await import('./server-xml.js')).importServerXml(text)
    : undefined;
  const { passphrase, ...rest } = options;
  const unsealed = xml ? undefined : await unsealImportSecrets(text, passphrase);
  let plan: ImportPlan | undefined;
  await store.update((doc) => {
    plan = planImport(xml ? JSON.stringify(xml.document) : text, doc, {
      ...rest,
      ...(unsealed ? { unsealed } : {}),
      // server.xml names Liberty keystores the user imports afterwards (the notes say so).
      allowMissingKeystores: xml !== undefined,
    });
    return plan.document;
  });
  const { ensureStoredSigningKeys } = await import('../keys/signing-keys.js');
  await ensureStoredSigningKeys(store);
  const done = plan as ImportPlan;
  return {
    imported: done.imported,
    missingSecrets: done.missingSecrets,
    notes: xml?.notes ?? [],
    bindings: done.bindings,
  };
}
