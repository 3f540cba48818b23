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
import { TokensmithError } from '../errors.js';
import type { Store } from '../store/file-store.js';
import type { ServerXmlImport } from './server-xml/index.js';
import type { Environment } from '../store/env-references.js';
import { checkImportedKeystores } from './keystore-check.js';
import { nothingImported } from './import-problems.js';
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

/**
 * A server.xml whose connections the model refuses: the problems named by connection and field
 * rather than by JSON pointer (the user never saw the JSON), followed by the notes that explain
 * them (an element the file refers to but does not define, a secret that cannot be read).
 */
function serverXmlProblems(e: unknown, xml: ServerXmlImport): unknown {
  if (!(e instanceof TokensmithError) || e.code !== 'invalid_input') return e;
  const problems = (e.detail?.problems ?? []) as Array<{ pointer: string; message: string }>;
  const names = xml.document.connections.map((c) => c.name);
  const lines = problems.map(({ pointer, message }) => {
    const [, index, ...field] = /^\/connections\/(\d+)\/?(.*)$/.exec(pointer) ?? [];
    const name = index === undefined ? undefined : names[Number(index)];
    // JSON-quoted: a name with a line break or a control character is shown, not obeyed.
    return name
      ? `${JSON.stringify(name)} ${field.join('').replaceAll('/', '.') || ''}: ${message}`
      : `${pointer}: ${message}`;
  });
  return new TokensmithError(
    'invalid_input',
    `Nothing was imported from the server.xml: ${lines.length} problem${lines.length === 1 ? '' : 's'}.\n  ${lines.join('\n  ')}` +
      (xml.notes.length ? `\nWhy, and what to do:\n  ${xml.notes.join('\n  ')}` : ''),
    { detail: { problems, notes: xml.notes } },
  );
}

export async function importFile(
  store: Store,
  text: string,
  options: Omit<ImportOptions, 'allowMissingKeystores'> & { env?: Environment } = {},
): Promise<ImportResult> {
  const xml = looksLikeXml(text)
    ? (await import('./server-xml/index.js')).importServerXml(text)
    : undefined;
  const { passphrase, env, ...rest } = options;
  const unsealed = xml ? undefined : await unsealImportSecrets(text, passphrase);
  if (!xml) {
    // The file's keystores are opened only once what they use of the user's (their files, the
    // variables of their passwords) is confirmed: a dry run of the plan refuses it before.
    planImport(text, await store.read(), { ...rest, ...(unsealed ? { unsealed } : {}) });
    const keystoreProblems = await checkImportedKeystores(text, unsealed, env ?? {});
    if (keystoreProblems.length) throw nothingImported(keystoreProblems);
  }
  let plan: ImportPlan | undefined;
  await store.update((doc) => {
    try {
      plan = planImport(xml ? JSON.stringify(xml.document) : text, doc, {
        ...rest,
        ...(unsealed ? { unsealed } : {}),
        // server.xml names Liberty keystores the user imports afterwards (the notes say so).
        allowMissingKeystores: xml !== undefined,
      });
    } catch (e) {
      throw xml ? serverXmlProblems(e, xml) : e;
    }
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
