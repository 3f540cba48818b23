/**
 * Reading a keystore or certificate file by path. A path may come from a file someone else
 * wrote (an imported connection), so only a regular file of reasonable size is read: a FIFO
 * would block the read for ever, a device such as /dev/zero would fill memory, a directory is
 * no keystore. Messages speak only of the path that was configured, never of other files.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { TokensmithError } from '../errors.js';

/** The largest keystore or certificate file read: real ones are a few KB. */
export const KEYSTORE_FILE_MAX_BYTES = 10 * 1024 * 1024;
const MAX_LABEL = `${KEYSTORE_FILE_MAX_BYTES / (1024 * 1024)} MB`;

// O_NONBLOCK: should the path become a FIFO between the stat and the open, the open returns at
// once instead of waiting for a writer (the fstat below then refuses it). O_NOCTTY: a terminal
// device never becomes the controlling terminal. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function refuseUnlessSmallRegularFile(info: Stats, path: string, label: string): void {
  if (!info.isFile()) {
    throw new TokensmithError(
      'invalid_input',
      `The file of ${label} is not a regular file: ${path}`,
      { field: 'path' },
    );
  }
  if (info.size > KEYSTORE_FILE_MAX_BYTES) {
    throw new TokensmithError(
      'invalid_input',
      `The file of ${label} is larger than ${MAX_LABEL}: ${path}`,
      { field: 'path' },
    );
  }
}

function unreadable(cause: unknown, path: string, label: string): TokensmithError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new TokensmithError(
    'not_found',
    code === 'ENOENT' || code === 'ENOTDIR'
      ? `The file of ${label} is missing: ${path}`
      : `The file of ${label} cannot be read (${code ?? 'error'}): ${path}`,
    { cause, field: 'path' },
  );
}

/**
 * Reads the keystore or certificate file at `path` (symbolic links followed) for `label`
 * ("keystore "prod""). Refuses anything but a regular file of at most
 * {@link KEYSTORE_FILE_MAX_BYTES}: checked before opening, and again on the opened file, so a
 * path swapped in between is caught too.
 */
export async function readKeystoreFile(path: string, label: string): Promise<Buffer> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (cause) {
    throw unreadable(cause, path, label);
  }
  refuseUnlessSmallRegularFile(info, path, label);

  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (cause) {
    throw unreadable(cause, path, label);
  }
  try {
    refuseUnlessSmallRegularFile(await handle.stat(), path, label);
    // The file may still grow while it is read: read up to one byte past the cap to notice.
    let buffer = Buffer.alloc(Math.min(info.size, KEYSTORE_FILE_MAX_BYTES) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > KEYSTORE_FILE_MAX_BYTES) {
          throw new TokensmithError(
            'invalid_input',
            `The file of ${label} is larger than ${MAX_LABEL}: ${path}`,
            { field: 'path' },
          );
        }
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, KEYSTORE_FILE_MAX_BYTES + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } catch (cause) {
    if (cause instanceof TokensmithError) throw cause;
    throw unreadable(cause, path, label);
  } finally {
    await handle.close();
  }
}
