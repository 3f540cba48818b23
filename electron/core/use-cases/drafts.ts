/** Drafts: what the user typed and has not saved, sealed like every secret, kept across restarts. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../store/atomic-file.js';
import type { Session } from './session.js';

const draftsPath = (session: Session) => join(session.workspace.dataDir, 'drafts.json');

/** Keyed by what the user chose (a connection ID); a Map, so no key is special (`__proto__`). */
async function readDrafts(session: Session): Promise<Map<string, unknown>> {
  try {
    const { sealed } = JSON.parse(await readFile(draftsPath(session), 'utf8')) as {
      sealed: string;
    };
    const entries = JSON.parse(session.workspace.cipher.decrypt(sealed)) as unknown;
    return new Map(
      Array.isArray(entries)
        ? (entries as Array<[string, unknown]>)
        : Object.entries(entries as object),
    );
  } catch {
    return new Map();
  }
}

export async function getDraft(session: Session, key: string): Promise<unknown> {
  return (await readDrafts(session)).get(key) ?? null;
}

export async function saveDraft(session: Session, key: string, draft: unknown): Promise<void> {
  const drafts = await readDrafts(session);
  if (draft === null) drafts.delete(key);
  else drafts.set(key, draft);
  await atomicWriteFile(
    draftsPath(session),
    JSON.stringify({ sealed: session.workspace.cipher.encrypt(JSON.stringify([...drafts])) }),
  );
}
