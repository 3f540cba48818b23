/**
 * Settings the user sets outside a connection. For now the `${env:NAME}` allow-list of imports:
 * variables whose name starts with one of these prefixes may be kept from an imported file
 * without a confirmation (issue 12, item 3).
 */
import { settingsSchema, type Settings } from '../../../shared/store-model.js';
import { invalidInput } from './connections.js';
import type { Session } from './session.js';

export async function getSettings(session: Session): Promise<Settings> {
  return (await session.workspace.store.read()).settings;
}

/** Replaces the allow-list; each prefix is letters, digits and underscores (`MYAPP_`). */
export async function setEnvAllowPrefixes(
  session: Session,
  prefixes: readonly string[],
): Promise<string[]> {
  const parsed = settingsSchema.shape.envAllowPrefixes.safeParse([...new Set(prefixes)]);
  if (!parsed.success) throw invalidInput(parsed.error, 'envAllowPrefixes');
  await session.workspace.store.update((doc) => {
    doc.settings.envAllowPrefixes = parsed.data;
  });
  return parsed.data;
}
