/**
 * How an import reports what is wrong with a file: every problem with its JSON pointer
 * (RFC 6901), in words that say what to do, and the whole import refused.
 */
import type { z } from 'zod';
import { fileStemOf } from '../../../shared/workspace-model.js';
import type { ImportProblem } from '../../../shared/transfer.js';
import { TokensmithError } from '../errors.js';

export type { ImportProblem };

export const pointerOf = (...parts: Array<string | number>) =>
  '/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The error of an import refused whole: every problem with its JSON pointer. */
export function nothingImported(problems: ImportProblem[]): TokensmithError {
  return new TokensmithError(
    'invalid_input',
    `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the file.\n` +
      problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n'),
    { detail: { problems } },
  );
}

export function problemsFromZod(error: z.ZodError): ImportProblem[] {
  return error.issues.map((issue) => ({
    pointer: pointerOf(...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))),
    // zod's "expected string, received undefined" names neither the field nor what to do.
    message:
      issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
        ? `Required: ${String(issue.path.at(-1) ?? 'a value')} is missing`
        : issue.message,
  }));
}

/** A hand-written file may leave out the connections' IDs: each gets one from its name. */
export function withDefaultIds(json: unknown): void {
  const listed = (json as { connections?: unknown } | null)?.connections;
  if (!Array.isArray(listed)) return;
  for (const c of listed as unknown[])
    if (
      c &&
      typeof c === 'object' &&
      !('id' in c) &&
      typeof (c as { name?: unknown }).name === 'string'
    )
      (c as { id: string }).id = fileStemOf((c as { name: string }).name);
}
