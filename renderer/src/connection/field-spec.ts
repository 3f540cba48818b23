/** Helpers on a descriptor's field, shared by the field components. */
import type { Connection } from '../../../shared/connection.js';
import type { FieldSpec } from '../../../shared/connection-types/ui.js';

export type Field = FieldSpec<Connection>;

/** The field's help text for the current values. */
export function helpOf(field: Field, values: Connection): string | undefined {
  return typeof field.help === 'function' ? field.help(values) : field.help;
}

/**
 * The `id` of a field's input in one editor (several editors are open at once): stable, so an
 * error can focus it and its label points at it.
 */
export const fieldId = (prefix: string, path: string) => `${prefix}-${path.replace(/\./g, '-')}`;

/** A controller's field for a TextField: its ref goes to the input, so focusing it works. */
export function textProps<F extends { ref: unknown }>(
  field: F,
): Omit<F, 'ref'> & { inputRef: F['ref'] } {
  const { ref, ...rest } = field;
  return { ...rest, inputRef: ref };
}
