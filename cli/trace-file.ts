/** `--trace FILE` of `token` and `call`: the flow's HTTP legs as a redacted HAR 1.2 file. */
import type { Connection } from '../shared/connection.js';
import { Trace, writeTraceHar, type Session } from '../electron/core/index.js';
import type { Io } from './io.js';

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
    await write().catch(() => undefined);
    throw e;
  }
  await write();
  return result;
}
