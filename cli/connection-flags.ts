/**
 * Command-line flags for connection fields, derived from the connection types' descriptors
 * (`shared/connection-types`): a field's label is its flag (`Token Endpoint` → `--token-endpoint`,
 * `Client Authentication` → `--client-authentication`), without what its label says in
 * parentheses. Where two fields share a label (the discovery Issuer and the Claims Issuer), the
 * first one met keeps the plain flag and the other is named after its section
 * (`--claims-issuer`). Such a field also answers to the plain flag on the types that never have
 * the first one (`--request-method` on a JWT connection is its own Request Method, which is
 * `--jwt-request-and-response-request-method` everywhere). Nothing is listed here by hand: a
 * field added to a descriptor is a flag.
 */
import type { ParseArgsConfig } from 'node:util';
import {
  CONNECTION_TYPES,
  DESCRIPTORS,
  descriptorOfType,
  type ConnectionType,
} from '../shared/connection.js';
import {
  DISPLAY_KINDS,
  type FieldKind,
  type FieldSpec,
  type SectionSpec,
} from '../shared/connection-types/ui.js';
import { isSecretReference, SECRET_PATHS } from '../shared/store-model.js';
import { UsageError } from './io.js';

export interface FieldFlag {
  flag: string;
  path: string;
  label: string;
  kind: FieldKind;
  /** The values a select accepts (empty: free text or a name from the store). */
  choices: string[];
  types: Set<ConnectionType>;
  /** The plain flag it also answers to on its types (where that flag's own field is absent). */
  alias?: string;
}

const slug = (text: string) =>
  text
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

function sectionsOf(type: ConnectionType): ReadonlyArray<SectionSpec<unknown>> {
  const ui = DESCRIPTORS[type].ui as unknown as {
    steps: ReadonlyArray<{ sections: ReadonlyArray<SectionSpec<unknown>> }>;
    advanced: ReadonlyArray<SectionSpec<unknown>>;
  };
  return [...ui.steps.flatMap((s) => s.sections), ...ui.advanced];
}

function build(): Map<string, FieldFlag> {
  const byPath = new Map<string, FieldFlag>();
  const taken = new Map<string, string>();
  // The flow dialogs' fields first, then what is folded under Advanced and z/OS Connect.
  const passes = [(s: SectionSpec<unknown>) => s.level === 'basic', () => true];
  for (const pass of passes)
    for (const type of CONNECTION_TYPES) {
      for (const section of sectionsOf(type).filter(pass)) {
        for (const field of section.fields as ReadonlyArray<FieldSpec<unknown>>) {
          if (DISPLAY_KINDS.has(field.kind)) continue;
          const known = byPath.get(field.path);
          if (known) {
            known.types.add(type);
            continue;
          }
          let flag = slug(field.label);
          if (taken.has(flag) && taken.get(flag) !== field.path)
            flag = `${slug(section.title)}-${flag}`;
          taken.set(flag, field.path);
          byPath.set(field.path, {
            flag,
            path: field.path,
            label: field.label,
            // A pasted client assertion is a secret too, whatever it is drawn as.
            kind: (SECRET_PATHS.connection as readonly string[]).includes(field.path)
              ? 'secret'
              : field.kind,
            choices: Array.isArray(field.options)
              ? (field.options as ReadonlyArray<{ value: string }>).map((o) => o.value)
              : [],
            types: new Set([type]),
          });
        }
      }
    }
  const byFlag = new Map([...byPath.values()].map((f) => [f.flag, f]));
  // A prefixed flag's plain form, on types that never have the field that took it.
  const parsed = (f: FieldFlag) => (f.kind === 'switch' ? 'boolean' : multiple(f) ? 'list' : 'one');
  for (const f of byPath.values()) {
    const plain = slug(f.label);
    const owner = byFlag.get(plain);
    if (owner === f || !owner || parsed(owner) !== parsed(f)) continue;
    if ([...f.types].some((t) => owner.types.has(t))) continue;
    f.alias = plain;
  }
  return byFlag;
}

const multiple = (f: Pick<FieldFlag, 'kind'>) => f.kind === 'lines' || f.kind === 'params';

let flags: Map<string, FieldFlag> | undefined;
/** Every field flag, by flag name. */
export function fieldFlags(): Map<string, FieldFlag> {
  flags ??= build();
  return flags;
}

/** The parseArgs options of the field flags (`--no-<flag>` turns a switch off). */
export function fieldFlagOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const f of fieldFlags().values()) {
    if (f.kind === 'switch') {
      options[f.flag] = { type: 'boolean' };
      options[`no-${f.flag}`] = { type: 'boolean' };
    } else options[f.flag] = { type: 'string', multiple: multiple(f) };
  }
  return options;
}

/** Help lines: each flag with the field it sets. */
export function fieldFlagHelp(): string {
  return [...fieldFlags().values()]
    .map((f) => {
      const value =
        f.kind === 'switch'
          ? ''
          : f.kind === 'params'
            ? ' NAME=VALUE…'
            : f.kind === 'lines'
              ? ' VALUE…'
              : f.choices.length
                ? ` ${f.choices.join('|')}`
                : f.kind === 'number'
                  ? ' N'
                  : ' VALUE';
      const where =
        f.types.size === CONNECTION_TYPES.length
          ? ''
          : ` [${[...f.types].map((t) => t).join(', ')}]`;
      const flag = (name: string) => `--${f.kind === 'switch' ? `[no-]${name}` : name}`;
      const alias = f.alias ? ` (or ${flag(f.alias)})` : '';
      return `  ${flag(f.flag)}${value}${alias}\n      ${f.label}${where}`;
    })
    .join('\n');
}

function setAt(record: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let node = record;
  for (const part of parts) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[last] = value;
}

export function valueAt(record: unknown, path: string): unknown {
  let node = record;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

const SECRET_ON_COMMAND_LINE = (flag: string) =>
  `--${flag} takes a reference such as \${env:NAME}, \${keychain:NAME} or \${file:/path}: a secret value on the command line is visible to other users (process list, shell history). Set the value with \`tokensmith secret set <connection> ${flag}\` (it prompts, or reads stdin).`;

/** The field a flag (or a field path) names on a connection of `type`: its own, else an alias. */
export function fieldFlagFor(name: string, type: ConnectionType): FieldFlag | undefined {
  const all = [...fieldFlags().values()];
  return (
    all.find((f) => (f.flag === name || f.path === name) && f.types.has(type)) ??
    all.find((f) => f.alias === name && f.types.has(type)) ??
    all.find((f) => f.flag === name || f.path === name)
  );
}

/** The flag users type for a field on a connection of `type`: the short one where it has one. */
export const flagName = (f: FieldFlag, type: ConnectionType) =>
  f.alias && f.types.has(type) ? f.alias : f.flag;

/** Applies the field flags given to a connection record of `type`; returns how many were. */
export function applyFieldFlags(
  record: Record<string, unknown>,
  type: ConnectionType,
  values: Record<string, unknown>,
): number {
  let applied = 0;
  const given = (name: string, kind: FieldKind) => ({
    on: values[name],
    off: kind === 'switch' ? values[`no-${name}`] : undefined,
  });
  for (const f of fieldFlags().values()) {
    let { on, off } = given(f.flag, f.kind);
    // The flag as typed, for the messages.
    let flag = f.flag;
    if (f.alias && f.types.has(type)) {
      const short = given(f.alias, f.kind);
      if (short.on !== undefined || short.off !== undefined) {
        if (on !== undefined || off !== undefined)
          throw new UsageError(`--${f.alias} and --${f.flag} set the same field: give one.`);
        ({ on, off } = short);
        flag = f.alias;
      }
    }
    if (on === undefined && off === undefined) continue;
    // The plain flag of a field this type lacks may be another field's alias on this type.
    const aliased = [...fieldFlags().values()].some(
      (other) => other.alias === f.flag && other.types.has(type),
    );
    if (!f.types.has(type) && aliased) continue;
    if (!f.types.has(type))
      throw new UsageError(
        `--${f.flag} (${f.label}) is not a field of ${descriptorOfType(type).label} connections.`,
      );
    applied++;
    if (f.kind === 'switch') {
      setAt(record, f.path, on === true && off !== true);
      continue;
    }
    const value = on as string | string[];
    if (f.kind === 'lines') setAt(record, f.path, value);
    else if (f.kind === 'params')
      setAt(
        record,
        f.path,
        (value as string[]).map((pair) => {
          const eq = pair.indexOf('=');
          if (eq < 1) throw new UsageError(`--${flag} takes NAME=VALUE, not "${pair}".`);
          return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
        }),
      );
    else if (f.kind === 'number') {
      const text = (value as string).trim();
      const n = Number(text);
      if (text !== '' && !Number.isFinite(n))
        throw new UsageError(`--${flag} takes a number, not "${text}".`);
      setAt(record, f.path, text === '' ? null : n);
    } else {
      const text = value as string;
      if (f.kind === 'secret' && text !== '' && !isSecretReference(text))
        throw new UsageError(SECRET_ON_COMMAND_LINE(flag));
      if (f.choices.length && !f.choices.includes(text))
        throw new UsageError(`--${flag} is one of ${f.choices.join(', ')}; not "${text}".`);
      setAt(record, f.path, text);
    }
  }
  return applied;
}

/** The secret fields a connection of some type has: flag and path. */
export function secretFlags(): FieldFlag[] {
  return [...fieldFlags().values()].filter((f) => f.kind === 'secret');
}
