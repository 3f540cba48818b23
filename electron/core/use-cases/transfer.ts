/** Export by format (JSON, curl, env, z/OS server.xml) and import, for the app and the CLI. */
import type { StoreDocument } from '../../../shared/store-model.js';
import { exportConnections, selectConnections } from '../transfer/connections-json.js';
import { importFile, type ImportResult } from '../transfer/import-file.js';
import { exportCurl, exportEnv } from '../transfer/runtime-export.js';
import type { Session } from './session.js';

export const EXPORT_FORMATS = ['json', 'curl', 'env', 'server.xml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  names: string[];
  format: ExportFormat;
  /** JSON: include the secrets, encrypted with this passphrase. */
  passphrase?: string;
  /** server.xml: write secrets in clear text instead of Liberty variables. */
  includeSecrets?: boolean;
}

export interface ExportResult {
  fileName: string;
  content: string;
  /** JSON: secrets left out; server.xml: the Liberty variables to set. */
  requiredSecrets: string[];
  /** What did not map (server.xml). */
  notes: string[];
}

export async function exportAs(session: Session, req: ExportRequest): Promise<ExportResult> {
  return exportDocument(await session.workspace.store.read(), req);
}

export async function exportDocument(
  doc: StoreDocument,
  req: ExportRequest,
): Promise<ExportResult> {
  switch (req.format) {
    case 'json': {
      const out = await exportConnections(doc, {
        names: req.names,
        ...(req.passphrase ? { passphrase: req.passphrase } : {}),
      });
      return {
        fileName: 'tokensmith-connections.json',
        content: JSON.stringify(out, null, 2) + '\n',
        requiredSecrets: out.requiredSecrets,
        notes: [],
      };
    }
    case 'server.xml': {
      // Loaded when asked for: `tokensmith token` starts without the XML library.
      const { exportServerXml } = await import('../transfer/server-xml.js');
      const out = exportServerXml(doc, {
        names: req.names,
        includeSecrets: req.includeSecrets === true,
      });
      return {
        fileName: 'server.xml',
        content: out.xml,
        requiredSecrets: out.variables,
        notes: out.notes,
      };
    }
    case 'curl':
      return {
        fileName: 'tokensmith-connections.sh',
        content: await exportCurl(selectConnections(doc, req.names), doc),
        requiredSecrets: [],
        notes: [],
      };
    case 'env':
      return {
        fileName: 'tokensmith-connections.env',
        content: await exportEnv(selectConnections(doc, req.names)),
        requiredSecrets: [],
        notes: [],
      };
  }
}

export interface ImportRequest {
  replace?: boolean;
  passphrase?: string;
  /** IDs of the bindings the user confirmed (`confirmation_required` lists them). */
  confirm?: readonly string[];
  /** Every binding confirmed at once: the CLI's `--allow-bind`. */
  confirmAll?: boolean;
}

/**
 * Imports a connections file or server.xml. A file that would use the user's keystores,
 * generated keys, proxies, environment variables or files is refused with
 * `confirmation_required` (detail: `ConfirmationDetail`) until each binding is confirmed.
 */
export async function importText(
  session: Session,
  text: string,
  options: ImportRequest,
): Promise<ImportResult> {
  return importFile(session.workspace.store, text, {
    replace: options.replace === true,
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
    ...(options.confirmAll ? { confirmAll: true } : {}),
  });
}
