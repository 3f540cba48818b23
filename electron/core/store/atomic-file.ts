/**
 * Crash-safe files: a write goes to a temporary file in the same folder, is flushed to disk and
 * renamed over the old one, so a reader sees the old or the new content, never half of one. A
 * lock file serialises read-modify-write cycles between processes (the app and the CLI).
 */
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TokensmithError } from '../errors.js';

export async function atomicWriteFile(path: string, data: string): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  // Make the rename itself durable.
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  if (dir) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}

const STALE_LOCK_MS = 30_000;

/** A lock whose holder (same machine) has died is stale at once, not after the timeout. */
async function holderIsGone(lockPath: string): Promise<boolean> {
  const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `fn` holding `lockPath` (created exclusively); waits up to `timeoutMs` for it. */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const info = await stat(lockPath).catch(() => undefined);
      if ((info && Date.now() - info.mtimeMs > STALE_LOCK_MS) || (await holderIsGone(lockPath))) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new TokensmithError(
          'internal',
          `The data folder is locked by another Tokensmith process (${lockPath}).`,
        );
      }
      await sleep(20 + Math.random() * 30);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}
