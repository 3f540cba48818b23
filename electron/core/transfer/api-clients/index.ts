/**
 * Exports to the API clients people use — Postman, Insomnia, Bruno, HTTPie — one connection at a
 * time, with secrets as the tool's variables. Each is generated from the token request the engine
 * prepares (see `./client-oauth.ts`), and a connection a tool cannot reproduce is refused.
 */
import type { Connection } from '../../../../shared/connection.js';
import type { StoreDocument } from '../../../../shared/store-model.js';
import { TokensmithError } from '../../errors.js';
import { brunoExport } from './bruno.js';
import { clientOAuthOf, fileSlug, TOOL_NAMES } from './client-oauth.js';
import { httpieExport } from './httpie.js';
import { insomniaExport } from './insomnia.js';
import { postmanExport } from './postman.js';

export const API_CLIENT_FORMATS = ['postman', 'insomnia', 'bruno', 'httpie'] as const;
export type ApiClientFormat = (typeof API_CLIENT_FORMATS)[number];

export interface ApiClientExport {
  /** The main file's suggested name (for Bruno, the folder's). */
  fileName: string;
  /** The main file (Postman: the collection; Bruno: the request). */
  content: string;
  /** Every file to write, by path inside the chosen folder, when there is more than one. */
  files?: Array<{ path: string; content: string }>;
  /** The tool's variables that stand for secrets: set them in the tool. */
  requiredSecrets: string[];
  notes: string[];
}

const json = (value: object) => JSON.stringify(value, null, 2) + '\n';

/**
 * One connection in `format`. `target`: where the user writes it (HTTPie's fill command names it).
 */
export async function exportApiClient(
  connections: Connection[],
  doc: StoreDocument,
  format: ApiClientFormat,
  target?: string,
): Promise<ApiClientExport> {
  const [conn] = connections;
  if (!conn || connections.length > 1)
    throw new TokensmithError(
      'invalid_input',
      `Name one connection to export for ${TOOL_NAMES[format]} (${connections.length ? `${connections.length} were selected` : 'none was'}).`,
    );
  const slug = fileSlug(conn.name);
  if (format === 'httpie') {
    const fileName = `${slug}.httpie-session.json`;
    const out = httpieExport(conn, target ?? fileName);
    return { fileName, content: json(out.session), requiredSecrets: [], notes: out.notes };
  }
  const o = await clientOAuthOf(conn, doc, format);
  const requiredSecrets = o.secrets.map((s) => s.variable);
  switch (format) {
    case 'postman': {
      const { collection, environment } = postmanExport(o);
      const files = [
        { path: `${slug}.postman_collection.json`, content: json(collection) },
        { path: `${slug}.postman_environment.json`, content: json(environment) },
      ];
      return {
        fileName: files[0]!.path,
        content: files[0]!.content,
        files,
        requiredSecrets,
        notes: o.notes,
      };
    }
    case 'insomnia':
      return {
        fileName: `${slug}.insomnia.json`,
        content: json(insomniaExport(o)),
        requiredSecrets,
        notes: o.notes,
      };
    case 'bruno': {
      const files = brunoExport(o);
      const request = files.find((f) => f.path.endsWith('.bru'))!;
      return { fileName: slug, content: request.content, files, requiredSecrets, notes: o.notes };
    }
  }
}
