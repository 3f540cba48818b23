/**
 * Export by format (JSON, curl, env, z/OS server.xml, Postman, Insomnia, Bruno, HTTPie) and
 * import, for the app and the CLI.
 */
import type { StoreDocument } from '../../../shared/store-model.js';
import { exportConnections, selectConnections } from '../transfer/connections-json.js';
import { importFile, type ImportResult } from '../transfer/import-file.js';
import { exportCurl, exportEnv } from '../transfer/runtime-export.js';
import { API_CLIENT_FORMATS, exportApiClient } from '../transfer/api-clients/index.js';
import { descriptorOf } from '../../../shared/connection.js';
import { defaultAlgorithm } from '../jwt/algorithms.js';
import { resolveSigningKey } from '../resources.js';
import { resolved, type Session } from './session.js';

export const EXPORT_FORMATS = ['json', 'curl', 'env', 'server.xml', ...API_CLIENT_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  names: string[];
  format: ExportFormat;
  /** JSON: include the secrets, encrypted with this passphrase. */
  passphrase?: string;
  /** server.xml: write secrets in clear text instead of Liberty variables. */
  includeSecrets?: boolean;
  /** HTTPie: where the session file is written (its fill command names it). */
  target?: string;
}

export interface ExportResult {
  fileName: string;
  content: string;
  /** JSON: secrets left out; server.xml: the Liberty variables to set. */
  requiredSecrets: string[];
  /** What did not map (server.xml); what to do before use (the API clients). */
  notes: string[];
  /** Postman, Bruno: every file to write, by path inside the chosen folder. */
  files?: Array<{ path: string; content: string }>;
}

export async function exportAs(session: Session, req: ExportRequest): Promise<ExportResult> {
  const doc = await session.workspace.store.read();
  return exportDocument(doc, {
    ...req,
    ...(req.format === 'server.xml'
      ? { keyAlgorithms: await keyAlgorithms(session, doc, req) }
      : {}),
  });
}

/**
 * The algorithm each keystore-signed connection's key makes when its header says `auto`: the
 * server.xml export writes it as the builder's signatureAlgorithm. A key that cannot be read is
 * left out (the export says so).
 */
async function keyAlgorithms(
  session: Session,
  doc: StoreDocument,
  req: ExportRequest,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const resources = session.workspace.registry(doc);
  for (const conn of selectConnections(doc, req.names)) {
    const { header, signing } = conn.jwt;
    if (header.alg !== 'auto' || signing.jwkEnabled) continue;
    if (descriptorOf(conn).signsJwt(conn)?.key !== 'keystore') continue;
    try {
      const key = await resolveSigningKey(resolved(session, conn), resources);
      out[conn.id] = defaultAlgorithm(key.privateKey);
    } catch {
      // Not readable here (missing keystore, unset password): the export notes it.
    }
  }
  return out;
}

export async function exportDocument(
  doc: StoreDocument,
  req: ExportRequest & { keyAlgorithms?: Record<string, string> },
): Promise<ExportResult> {
  switch (req.format) {
    case 'json': {
      const out = await exportConnections(doc, {
        names: req.names,
        ...(req.passphrase ? { passphrase: req.passphrase } : {}),
      });
      return {
        fileName: 'connections.tokensmith.json',
        content: JSON.stringify(out, null, 2) + '\n',
        requiredSecrets: out.requiredSecrets,
        notes: [],
      };
    }
    case 'server.xml': {
      // Loaded when asked for: `tokensmith token` starts without the XML library.
      const { exportServerXml } = await import('../transfer/server-xml/index.js');
      const out = exportServerXml(doc, {
        names: req.names,
        includeSecrets: req.includeSecrets === true,
        ...(req.keyAlgorithms ? { keyAlgorithms: req.keyAlgorithms } : {}),
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
    case 'postman':
    case 'insomnia':
    case 'bruno':
    case 'httpie':
      return exportApiClient(selectConnections(doc, req.names), doc, req.format, req.target);
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
    env: session.env,
    replace: options.replace === true,
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
    ...(options.confirmAll ? { confirmAll: true } : {}),
  });
}
