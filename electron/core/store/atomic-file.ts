/**
 * Crash-safe files: a write goes to a temporary file in the same folder, is flushed to disk and
 * renamed over the old one, so a reader sees the old or the new content, never half of one. A
 * lock file serialises read-modify-write cycles between processes (the app and the CLI).
 */
import { link, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * Writes a file that may hold secrets (an export) to a path the user chose: a 0600 temporary file
 * in the same folder, renamed over the target. An existing file is replaced, not rewritten in
 * place, so it does not keep its old mode (a 0644 file would otherwise receive the secrets) and
 * a reader never sees half of it.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  try {
    await atomicWriteFile(path, text);
  } catch (cause) {
    throw new TokensmithError(
      'invalid_input',
      `Cannot write ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'}): choose a file in a folder you can write to.`,
      { cause },
    );
  }
}

const STALE_LOCK_MS = 30_000;
/** A lock file with no PID in it this long after it was made was left by a process that died. */
const EMPTY_LOCK_MS = 2_000;

function pidIsGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * A lock is stale when its holder (same machine) has died, when it carries no PID a moment after
 * it was made (a lock written by `wx` on a file system without hard links, its writer killed
 * between creating and filling it), or when it has not been touched for STALE_LOCK_MS.
 */
async function lockIsStale(lockPath: string): Promise<boolean> {
  const info = await stat(lockPath).catch(() => undefined);
  if (!info) return false;
  const age = Date.now() - info.mtimeMs;
  if (age > STALE_LOCK_MS) return true;
  const text = (await readFile(lockPath, 'utf8').catch(() => '')).trim();
  if (text === '') return age > EMPTY_LOCK_MS;
  return pidIsGone(Number(text));
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates the lock file with this process's PID already in it: the PID is written to a private
 * file first and hard-linked to the lock's name, which fails with EEXIST when the lock is held.
 * A process killed at any moment leaves either no lock or one naming it (so it is recognised
 * as dead at once), never an empty lock. Returns false when the lock is held.
 */
async function tryCreateLock(lockPath: string): Promise<boolean> {
  const mine = join(
    dirname(lockPath),
    `.${basename(lockPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  await writeFile(mine, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(mine, lockPath);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw e;
  } finally {
    await rm(mine, { force: true });
  }
  try {
    await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Removes the temporary files (`.name.PID.hex.tmp`) that processes killed mid-write left in
 * `dir`. Only files of dead processes are touched; call it while holding the lock.
 */
export async function removeOrphans(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (m && pidIsGone(Number(m[1]))) {
      await rm(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Runs `fn` holding `lockPath`; waits up to `timeoutMs` for it. */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryCreateLock(lockPath))) {
    if (await lockIsStale(lockPath)) {
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
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}
