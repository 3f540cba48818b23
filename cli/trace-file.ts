/** `--trace FILE` of `token` and `call`: the flow's HTTP legs as a redacted HAR 1.2 file. */
import type { Connection } from '../shared/connection.js';
import { Trace, writeTraceHar, type Session } from '../electron/core/index.js';
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError, type Io } from './io.js';

/** Refuses a trace file that could not be written before anything is sent. */
async function checkWritable(path: string): Promise<void> {
  const full = resolve(path);
  const target = await stat(full).catch(() => undefined);
  if (target?.isDirectory())
    throw new UsageError(`--trace ${path} is a folder: give the file to write the HAR to.`);
  try {
    await access(dirname(full), constants.W_OK);
  } catch {
    throw new UsageError(
      `--trace ${path}: the folder ${dirname(full)} does not exist or cannot be written to.`,
    );
  }
}

/**
 * Runs `run` with a trace when a path is given, and writes the HAR (mode 0600) whether the flow
 * succeeded or failed — a failure is what a trace is most often shared for.
 */
export async function withTraceFile<T>(
  session: Session,
  io: Io,
  path: string | undefined,
  conn: Connection,
  run: (trace: Trace | undefined) => Promise<T>,
): Promise<T> {
  if (path === undefined) return run(undefined);
  await checkWritable(path);
  const trace = new Trace();
  const { default: manifest } = await import('../package.json', { with: { type: 'json' } });
  const write = async () => {
    const har = await writeTraceHar(session, trace, path, {
      connection: conn,
      creatorVersion: manifest.version,
    });
    const n = har.log.entries.length;
    io.err(
      `Trace: ${n} HTTP ${n === 1 ? 'leg' : 'legs'} written to ${path} (HAR 1.2, secrets redacted)${n === 0 ? ': the token came from the cache, --no-cache sends the request' : ''}.`,
    );
  };
  let result: T;
  try {
    result = await run(trace);
  } catch (e) {
    await write().catch((w: unknown) =>
      io.err(`tokensmith: the trace was not written: ${(w as Error).message}`),
    );
    throw e;
  }
  await write();
  return result;
}
