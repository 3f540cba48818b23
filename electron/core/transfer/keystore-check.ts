/**
 * The keystores a connections file brings, opened before anything is imported: a wrong password
 * or a damaged file is refused with its JSON pointer, as the app's keystore import does. A file
 * that is not on this machine, or a password the file leaves out (listed in `requiredSecrets`,
 * to be entered afterwards), is not checked.
 */
import { keystoreEntry } from '../../../shared/resources.js';
import type { ImportProblem } from './import-problems.js';
import type { UnsealedSecrets } from './sealed-secrets.js';
import { toErrorData } from '../errors.js';
import { ResourceRegistry } from '../resources.js';
import type { Environment } from '../store/env-references.js';

export async function checkImportedKeystores(
  text: string,
  unsealed: UnsealedSecrets | undefined,
  env: Environment,
): Promise<ImportProblem[]> {
  let json: { keystores?: unknown; requiredSecrets?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return []; // planImport reports it
  }
  if (!Array.isArray(json?.keystores)) return [];
  const required = new Set(Array.isArray(json.requiredSecrets) ? json.requiredSecrets : []);
  const values = unsealed && 'values' in unsealed ? unsealed.values : {};
  const problems: ImportProblem[] = [];
  for (const [i, raw] of (json.keystores as unknown[]).entries()) {
    const parsed = keystoreEntry.safeParse(raw);
    if (!parsed.success) continue; // planImport reports it
    const entry = parsed.data;
    const pointer = `/keystores/${i}/password`;
    if (values[pointer] !== undefined) entry.password = values[pointer];
    else if (required.has(pointer)) continue;
    try {
      await new ResourceRegistry({ keystores: [entry], env }).keystore(entry.name);
    } catch (e) {
      const error = toErrorData(e);
      // A file that is not on this machine (a colleague's path) is imported, to be pointed at
      // later; one that is here but will not open with the file's password is refused.
      if (error.code === 'keystore_password' || error.code === 'keystore_corrupt')
        problems.push({
          pointer: error.code === 'keystore_password' ? pointer : `/keystores/${i}/path`,
          message: error.message,
        });
    }
  }
  return problems;
}
