/**
 * The files of a workspace folder, one record each (`shared/workspace-model.ts`): YAML written
 * with only the values that differ from the model's defaults, in the model's key order, and
 * updated in place so that comments and the order a person gave stay as they were. Reading
 * validates each file with the zod models and reports every problem with its file, line and
 * JSON pointer (RFC 6901). A secret value found in a file is refused, never used.
 */
import { Document, isMap, isNode, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { connectionSchema } from '../../../shared/connection.js';
import { keystoreEntry, proxyAlias } from '../../../shared/resources.js';
import { forEachSecret, isSecretReference } from '../../../shared/store-model.js';
import { connectionFileSchemas } from '../../../shared/workspace-model.js';

export type RecordKind = 'connection' | 'keystore' | 'proxy';

/** A problem in a workspace file: where, and what to do. */
export interface RecordProblem {
  /** Relative to the workspace folder, with `/`. */
  file: string;
  line?: number;
  /** JSON pointer into the file's record; '' for the whole file. */
  pointer: string;
  message: string;
}

export function formatProblem(p: RecordProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}${p.pointer ? ` ${p.pointer}` : ''}: ${p.message}`;
}

const pointerOf = (path: ReadonlyArray<PropertyKey>) =>
  path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The value each key of an object schema takes when it is left out (undefined: required). */
function defaultsOf(schema: z.ZodObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodType).safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}

function withoutDefaults(value: unknown, fallback: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(fallback)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutDefaults(v, fallback[k]);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (isPlainObject(value) && Object.keys(value).length === 0 && fallback === undefined)
    return undefined;
  return same(value, fallback) ? undefined : value;
}

function schemaOf(kind: RecordKind, type?: string): z.ZodObject {
  if (kind === 'keystore') return keystoreEntry;
  if (kind === 'proxy') return proxyAlias;
  const found = connectionFileSchemas().find((s) => s.shape.type.value === type);
  return (found ?? connectionFileSchemas()[0]) as unknown as z.ZodObject;
}

/** What a record's file holds: its non-default values, `name` and `type` first. */
export function fileRecordOf(
  kind: RecordKind,
  record: Record<string, unknown>,
): Record<string, unknown> {
  const secret = findSecretValue(kind, record);
  if (secret)
    throw new Error(`Refusing to write the secret ${secret} into a workspace file (a bug).`);
  const kept = (withoutDefaults(
    record,
    defaultsOf(schemaOf(kind, record.type as string | undefined)),
  ) ?? {}) as Record<string, unknown>;
  const first = ['name', 'type', 'description'].filter((k) => k in kept);
  return Object.fromEntries([
    ...first.map((k) => [k, kept[k]]),
    ...Object.entries(kept).filter(([k]) => !first.includes(k)),
  ]);
}

/** The path of the first secret field holding a value rather than a reference. */
export function findSecretValue(
  kind: RecordKind,
  record: Record<string, unknown>,
): string | undefined {
  let found: string | undefined;
  forEachSecret(kind, record, (path, value) => {
    if (!found && !isSecretReference(value)) found = path;
  });
  return found;
}

const HEADERS: Record<RecordKind, string> = {
  connection:
    ' A Tokensmith connection (workspace format 1; `tokensmith schema connection` prints its JSON Schema).\n' +
    ' No secret values here: each user keeps theirs (`tokensmith secret set`), or write ${env:NAME}.',
  keystore:
    ' A keystore or truststore of this workspace; its password is kept by each user, not here.',
  proxy: ' A proxy server alias of this workspace; its password is kept by each user, not here.',
};

function syncMap(doc: Document, map: YAMLMap, desired: Record<string, unknown>): void {
  for (const item of [...map.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (!Object.hasOwn(desired, key)) map.delete(item.key);
  }
  for (const [key, value] of Object.entries(desired)) {
    const current = map.get(key, true);
    if (isPlainObject(value) && isMap(current)) syncMap(doc, current, value);
    else if (!same(isNode(current) ? current.toJSON() : current, value))
      map.set(key, doc.createNode(value));
  }
}

/**
 * The file text for a record: a new file in the model's key order, or the existing text with
 * only the changed values replaced (its comments and order kept). Undefined: nothing to change.
 */
export function renderRecordFile(
  kind: RecordKind,
  desired: Record<string, unknown>,
  existing?: string,
): string | undefined {
  if (existing !== undefined) {
    const doc = parseDocument(existing);
    if (doc.errors.length === 0 && isMap(doc.contents)) {
      if (same(normalise(doc.toJS()), normalise(desired))) return undefined;
      syncMap(doc, doc.contents, desired);
      return doc.toString({ lineWidth: 0 });
    }
  }
  const doc = new Document(desired);
  doc.commentBefore = HEADERS[kind];
  return doc.toString({ lineWidth: 0 });
}

/** Key order does not make two records different. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normalise(value[k])]),
    );
  return value;
}

export interface ParsedRecord {
  /** The record as the model parses it; undefined when the file has problems. */
  record?: Record<string, unknown>;
  /** The record as the file gives it (for references kept beside personal secrets). */
  raw?: Record<string, unknown>;
  problems: RecordProblem[];
}

/** Parses and validates one record file; `stem` is its file name less `.yaml`. */
export function parseRecordFile(
  kind: RecordKind,
  file: string,
  stem: string,
  text: string,
): ParsedRecord {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? undefined : lines.linePos(offset).line;
  if (doc.errors.length)
    return {
      problems: doc.errors.map((e) => ({
        file,
        line: lines.linePos(e.pos[0]).line,
        pointer: '',
        message: `Not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return {
      problems: [{ file, pointer: '', message: `Not valid YAML: ${(e as Error).message}` }],
    };
  }
  if (!isPlainObject(raw))
    return {
      problems: [{ file, pointer: '', message: 'Expected a mapping of the record fields' }],
    };
  const problem = (path: ReadonlyArray<PropertyKey>, message: string): RecordProblem => {
    const node = doc.getIn(path as unknown[], true);
    const line = lineAt(isNode(node) ? node.range?.[0] : undefined);
    return { file, ...(line ? { line } : {}), pointer: pointerOf(path), message };
  };
  const problems: RecordProblem[] = [];
  forEachSecret(kind, raw, (path, value) => {
    if (isSecretReference(value)) return;
    problems.push(
      problem(
        path.split('.'),
        `A secret value does not belong in a workspace file (it would be shared with everyone who has the folder). Remove it; then keep it in your own store with \`tokensmith secret set ${String(raw && (raw as { name?: unknown }).name)} ${path}\`, or write a reference: \${env:NAME}, \${keychain:NAME} or \${file:/path}.`,
      ),
    );
  });
  const input = kind === 'connection' ? { id: stem, ...raw } : raw;
  const schema = kind === 'connection' ? connectionSchema : schemaOf(kind);
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push(
        problem(
          issue.path,
          issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
            ? `Required: ${String(issue.path.at(-1) ?? 'a value')} is missing`
            : issue.message,
        ),
      );
  if (problems.length) return { problems };
  return { record: parsed.data as Record<string, unknown>, raw, problems: [] };
}
