/** The form's errors as path → message (errors hold DOM refs: never serialise them whole). */
import type { FieldErrors } from 'react-hook-form';

export function errorMessages(errors: FieldErrors, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== 'object') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') out.set(path, message);
    else for (const [p, m] of errorMessages(value as FieldErrors, path)) out.set(p, m);
  }
  return out;
}

/** The first error in the order the fields are shown (an error under a list: its list's path). */
export function firstError(
  errors: Map<string, string>,
  order: string[],
): { path: string; message: string } | undefined {
  for (const path of order) {
    for (const [p, message] of errors) {
      if (p === path || p.startsWith(`${path}.`)) return { path, message };
    }
  }
  const [p, message] = [...errors][0] ?? [];
  return p && message ? { path: p, message } : undefined;
}
