/**
 * JSON Schema (draft 2020-12) of the file formats, generated from the zod models the files are
 * checked with (`z.toJSONSchema`, input side: what a file may say, defaults optional), so the
 * schema and the checks cannot drift apart. Rules zod checks in code (a URL's scheme, the
 * cross-field rules) have no JSON Schema form and are checked on reading only.
 */
import * as z from 'zod';
import {
  connectionFileSchemas,
  keystoreFileSchema,
  proxyFileSchema,
  workspaceManifest,
} from '../../../shared/workspace-model.js';
import { exportDocument } from '../transfer/connections-json.js';

const SCHEMAS = {
  workspace: ['tokensmith.workspace.yaml', () => workspaceManifest],
  connection: [
    'connections/<id>.yaml',
    () => z.discriminatedUnion('type', [...connectionFileSchemas()] as never),
  ],
  keystore: ['keystores/<name>.yaml', () => keystoreFileSchema],
  proxy: ['proxies/<name>.yaml', () => proxyFileSchema],
  'connections-export': ['tokensmith export (JSON)', () => exportDocument],
} as const;

export type FileSchemaName = keyof typeof SCHEMAS;
export const FILE_SCHEMA_NAMES = Object.keys(SCHEMAS) as FileSchemaName[];

export function fileSchemas(): Record<FileSchemaName, Record<string, unknown>> {
  return Object.fromEntries(
    FILE_SCHEMA_NAMES.map((name) => {
      const [title, schema] = SCHEMAS[name];
      const json = z.toJSONSchema(schema() as z.ZodType, {
        io: 'input',
        unrepresentable: 'any',
      }) as Record<string, unknown>;
      return [name, { ...json, title: `Tokensmith ${name} file (${title})` }];
    }),
  ) as unknown as Record<FileSchemaName, Record<string, unknown>>;
}
