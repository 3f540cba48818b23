/**
 * `tokensmith`: the headless face of Tokensmith, on the same core and the same store as the
 * app. Exit codes tell failure classes apart (see EXIT_CODES); errors are one clear line on
 * stderr; `--json` gives machine-readable output.
 */
import { readFile } from 'node:fs/promises';
import { writePrivateFile } from '../electron/core/store/atomic-file.js';
import { parseArgs } from 'node:util';
import type { ErrorCode } from '../shared/result.js';
import { CONNECTION_TYPE_LABELS } from '../shared/connection.js';
import type { StoreDocument } from '../shared/store-model.js';
import { TokensmithError, toErrorData } from '../electron/core/errors.js';
import { HttpClient } from '../electron/core/http/http-client.js';
import { defaultDataDir } from '../electron/core/paths.js';
import { openWorkspace, type Workspace } from '../electron/core/workspace.js';
import { obtainToken } from '../electron/core/token-service.js';
import { buildConnectionAssertion } from '../electron/core/oauth/grants.js';
import { parseCertificate, describeCertificate } from '../electron/core/keys/certificate.js';
import { exportConnections } from '../electron/core/transfer/connections-json.js';
import { importFile } from '../electron/core/transfer/import-file.js';
import { toCurl, toEnvFile } from '../electron/core/transfer/runtime-export.js';
import type { FlowContext } from '../electron/core/oauth/flow-context.js';
import { decodeToken } from '../electron/core/jwt/jwt-inspect.js';
import { callApi, type ApiRequest } from '../electron/core/api-call.js';
// Loaded by the commands that use them, so that `tokensmith token` starts without them.
const signingKeys = () => import('../electron/core/keys/signing-keys.js');
const serverXml = () => import('../electron/core/transfer/server-xml.js');

/** Exit codes per failure class. */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  network: 4,
  server: 5,
  keys: 6,
  authorization: 7,
  cancelled: 130,
} as const;

const CODE_CLASS: Record<ErrorCode, keyof typeof EXIT_CODES> = {
  invalid_input: 'input',
  claims_json: 'input',
  not_found: 'input',
  unsupported: 'input',
  cancelled: 'cancelled',
  dns: 'network',
  connection_refused: 'network',
  network: 'network',
  timeout: 'network',
  tls_untrusted: 'network',
  tls_hostname: 'network',
  tls_expired: 'network',
  tls: 'network',
  proxy: 'network',
  proxy_auth: 'network',
  port_in_use: 'network',
  http_status: 'server',
  oauth_error: 'server',
  invalid_response: 'server',
  missing_token: 'server',
  response_too_large: 'server',
  keystore_password: 'keys',
  keystore_corrupt: 'keys',
  keystore_no_key: 'keys',
  alias_not_found: 'keys',
  certificate_expired: 'keys',
  key_algorithm: 'keys',
  state_mismatch: 'authorization',
  authorization_denied: 'authorization',
  internal: 'internal',
};

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `Usage: tokensmith [--data-dir DIR] <command> [options]

Commands:
  token <connection>          Get an access token (cached while valid; refreshed before expiry)
  list                        List connections
  assertion <connection>      Print a freshly signed JWT assertion of a connection
  x5t <certificate-file>      x5t and x5t#S256 of a .cer/.crt/.pem/.der certificate
  jwt decode <token>          Decode a JWT's header and claims (no signature check)
  call <connection> <url>     Call an API with the connection's token (retries once on 401 invalid_token)
  authtoken <connection>      Get the JWT from the connection's authentication server
  keys show|rotate <connection | builder-id>
                              Generated signing keys (jwkEnabled): JWKS, or a new signing key
  jwks serve [--port N]       Serve the generated keys at /jwt/ibm/api/{builderId}/jwk
  cache list | cache clear [connection]
                              Show or clear cached tokens
  export [connection...]      Export connections (JSON, curl, env file or z/OS server.xml)
  import <file>               Import connections from a JSON export or a server.xml
  help [command]              Help for a command

Global options:
  --data-dir DIR              Data folder (default: $TOKENSMITH_HOME or the user config folder)
  --json                      Machine-readable output
  -h, --help                  Help

Exit codes: 0 ok, 2 usage, 3 bad input or unknown connection, 4 network/TLS/proxy,
5 the server refused or answered badly, 6 keystore/certificate, 7 authorization denied or
state mismatch, 130 cancelled, 1 unexpected.`,
  token: `Usage: tokensmith token <connection> [--json] [--no-cache] [--no-browser]

Prints the access token (the field the connection's token path selects) on stdout.
  --json         The whole result: token, token type, expiry, refresh token, scope, every field
                 returned, and the exchange with secrets masked
  --no-cache     Neither use nor store a cached token
  --no-browser   Authorization Code: print the sign-in URL instead of opening the browser
Secrets written as \${env:NAME} are read from the environment.`,
  list: `Usage: tokensmith list [--json]

Lists connections: name, type, token endpoint.`,
  assertion: `Usage: tokensmith assertion <connection> [--json]

Signs and prints a new assertion of the connection (JWT bearer grant, client assertion, or
private_key_jwt / client_secret_jwt). --json adds the decoded header, claims and the check.`,
  x5t: `Usage: tokensmith x5t <certificate-file> [--json]

Prints x5t (base64url SHA-1 of the DER) and x5t#S256; --json adds subject, issuer, validity
and fingerprints.`,
  call: `Usage: tokensmith call <connection> <url> [-X METHOD] [-H 'Name: value']... [-d BODY]
                       [--retry-any-401] [--json]

Sends the request with the connection's access token in Authorization: Bearer, through the
connection's proxy and TLS settings. When the API answers 401 with WWW-Authenticate containing
invalid_token, a new token is obtained and the request is retried once (--retry-any-401: on any
401, z/OS tokenRetryCheckLevel=1). Prints the body on stdout and the status on stderr; exits 0
for 2xx, 5 otherwise. A connection with an authentication-server JWT sends it as well, in its
own header (z/OS zosconnect_authToken); a retry renews both tokens. The retry-check level is the
connection's unless --retry-any-401 is given.`,
  authtoken: `Usage: tokensmith authtoken <connection> [--json] [--no-cache]

Requests the JWT from the connection's authentication server (z/OS zosconnect_authToken):
credentials as Basic in the configured request header or in the body template, the JWT read
from the configured response header or JSON path. Cached until the JWT's exp.`,
  keys: `Usage: tokensmith keys show <connection | builder-id> [--json]
       tokensmith keys rotate <connection | builder-id>

What a JWT builder publishes at its JWK API: show prints the JWK Set (public keys only) and
where it is served — the keys Tokensmith generated (z/OS jwkEnabled="true") and the public key
of each keystore alias a connection signs with under that builder ID (keyStoreRef/keyAlias).
rotate makes a new generated RS256 key the signing key and keeps the previous one published so
assertions signed before still verify; a generated key is also replaced by itself once it is
older than the connection's rotation time (jwkRotationTime, 720 minutes by default).`,
  jwks: `Usage: tokensmith jwks serve [--port N]

Serves every builder's keys (generated, or the public key of its keystore alias) at
http://127.0.0.1:{port}/jwt/ibm/api/{builderId}/jwk until Ctrl+C (default port: the Settings' JWKS port, 9480). Loopback only.`,
  jwt: `Usage: tokensmith jwt decode <token> [--json]

Decodes a JWT's protected header and claims without verifying the signature.`,
  cache: `Usage: tokensmith cache list [--json]
       tokensmith cache clear [connection]

Lists cached tokens (connection, scope, time left) or clears them: one connection's or all.`,
  export: `Usage: tokensmith export [connection...] [--format json|curl|env|server.xml] [-o FILE]
                         [--passphrase-env VAR | --passphrase P] [--include-secrets]

json (default): the Tokensmith connections file. Secrets are left out and listed as required,
unless a passphrase is given: then they are included, encrypted (scrypt + AES-256-GCM).
Prefer --passphrase-env: a --passphrase value is visible to other users in the process list.
curl: a curl command per connection; env: an environment file per connection. Both refer to
secrets as environment variables, never as values.
server.xml: z/OS Connect elements (zosconnect_endpointConnection, zosconnect_oAuthConfig,
zosconnect_authorizationServer, zosconnect_authData, zosconnect_oAuthTokenConfig, jwtBuilder,
zosconnect_authToken). Secrets are written as Liberty variables to set in server.env, unless
--include-secrets writes them in clear. What has no server.xml form is listed on stderr.`,
  import: `Usage: tokensmith import <file> [--replace] [--passphrase-env VAR | --passphrase P]

Validates the whole file first and imports all or nothing; each problem is reported with its
JSON pointer. --replace overwrites connections, keystores and proxies with the same name.
A server.xml (recognised by its content) is mapped back to connections; elements and attributes
that are not imported, and references to define in Tokensmith, are listed on stderr.`,
};

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Opens a URL in the system browser; undefined to only print it. */
  openUrl?: (url: string) => void;
}

function passphraseOf(
  values: { passphrase?: string; 'passphrase-env'?: string },
  env: Io['env'],
): string | undefined {
  if (values['passphrase-env']) {
    const value = env[values['passphrase-env']];
    if (value === undefined)
      throw new TokensmithError(
        'invalid_input',
        `The environment variable ${values['passphrase-env']} is not set.`,
      );
    return value;
  }
  return values.passphrase;
}

/** The store, the named connection (secrets resolved), and the cache set up by the settings. */
async function openConnection(ws: Workspace, name: string) {
  const doc = await ws.store.read();
  ws.cache.minRemainingMs = doc.settings.cacheMinRemainingSeconds * 1000;
  return { doc, conn: ws.connection(doc, name) };
}

/** Runs `fn` with a flow context over the data folder; its HTTP connections are closed after. */
async function withFlowContext<T>(
  ws: Workspace,
  doc: StoreDocument,
  signal: AbortSignal | undefined,
  fn: (ctx: FlowContext) => Promise<T>,
): Promise<T> {
  const http = new HttpClient();
  try {
    return await fn({ http, resources: ws.registry(doc), ...(signal ? { signal } : {}) });
  } finally {
    await http.close();
  }
}

function formatSeconds(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

async function commandToken(
  ws: Workspace,
  name: string,
  values: Record<string, unknown>,
  io: Io,
  signal: AbortSignal,
): Promise<void> {
  const { doc, conn } = await openConnection(ws, name);
  await withFlowContext(ws, doc, signal, async (base) => {
    const ctx: FlowContext = {
      ...base,
      onProgress: (p) => {
        if (p.step === 'browser' && p.url)
          io.err(
            `Sign in to continue. Open this URL in a browser:\n  ${p.url}\nWaiting for the sign-in (Ctrl+C cancels)…`,
          );
        else if (p.step === 'refresh') io.err(p.message);
      },
    };
    if (!values['no-browser'] && io.openUrl) ctx.openUrl = io.openUrl;
    const { result, source } = await obtainToken(conn, ctx, {
      cache: ws.cache,
      noCache: values['no-cache'] === true,
      refreshBeforeMs: doc.settings.refreshBeforeSeconds * 1000,
    });
    if (source !== 'cache' && values['no-cache'] !== true) await ws.saveCache();
    if (values.json) {
      io.out(JSON.stringify({ connection: conn.name, source, ...result }, null, 2));
    } else {
      io.out(result.token);
      const left = result.expiresAt
        ? `, expires in ${formatSeconds((Date.parse(result.expiresAt) - Date.now()) / 1000)}`
        : '';
      io.err(
        `${result.tokenType ?? 'Token'} from ${source === 'network' ? 'the authorization server' : source === 'refresh' ? 'a refresh' : 'the cache'}${left}.`,
      );
      for (const w of result.warnings) io.err(`warning: ${w}`);
    }
  });
}

async function commandAssertion(ws: Workspace, name: string, json: boolean, io: Io): Promise<void> {
  const { doc, conn } = await openConnection(ws, name);
  const { assertion, check } = await withFlowContext(ws, doc, undefined, (ctx) =>
    buildConnectionAssertion(conn, ctx),
  );
  if (json) io.out(JSON.stringify({ assertion, ...check }, null, 2));
  else {
    io.out(assertion);
    for (const f of check.findings.filter((x) => x.level !== 'ok'))
      io.err(`${f.level}: ${f.message}`);
  }
}

async function commandCall(
  ws: Workspace,
  name: string,
  url: string,
  values: Record<string, unknown>,
  io: Io,
  signal: AbortSignal,
): Promise<number> {
  const { doc, conn } = await openConnection(ws, name);
  const headers: Record<string, string> = {};
  for (const h of (values.header as string[] | undefined) ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`A header is "Name: value", not "${h}".`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const method = (
    (values.request as string | undefined) ?? (values.data !== undefined ? 'POST' : 'GET')
  ).toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(method))
    throw new UsageError(`Unknown method ${method}.`);
  return withFlowContext(ws, doc, signal, async (ctx) => {
    const result = await callApi(
      conn,
      {
        method: method as ApiRequest['method'],
        url,
        headers,
        ...(values.data !== undefined ? { body: values.data as string } : {}),
      },
      ctx,
      {
        cache: ws.cache,
        ...(values['retry-any-401'] ? { retryCheckLevel: 1 as const } : {}),
        refreshBeforeMs: doc.settings.refreshBeforeSeconds * 1000,
      },
    );
    if (result.tokenSource !== 'cache') await ws.saveCache();
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(result.body);
      io.err(
        `HTTP ${result.status} in ${result.durationMs} ms${result.attempts > 1 ? ' (retried once with a new token)' : ''}`,
      );
    }
    return result.status >= 200 && result.status < 300 ? EXIT_CODES.ok : EXIT_CODES.server;
  });
}

async function commandList(ws: Workspace, json: boolean, io: Io): Promise<void> {
  const doc = await ws.store.read();
  if (json) {
    io.out(
      JSON.stringify(
        doc.connections.map((c) => ({
          id: c.id,
          name: c.name,
          type: c.type,
          tokenEndpoint: c.tokenEndpoint,
        })),
        null,
        2,
      ),
    );
    return;
  }
  if (doc.connections.length === 0) {
    io.err(
      'No connections yet. Import some with `tokensmith import FILE`, or run `npm run sandbox`.',
    );
    return;
  }
  const width = Math.max(...doc.connections.map((c) => c.name.length));
  for (const c of doc.connections)
    io.out(`${c.name.padEnd(width)}  ${CONNECTION_TYPE_LABELS[c.type]}  ${c.tokenEndpoint}`);
}

async function commandCache(
  ws: Workspace,
  action: string | undefined,
  target: string | undefined,
  json: boolean,
  io: Io,
): Promise<void> {
  if (action === 'clear') {
    let removed: number;
    if (target) {
      const doc = await ws.store.read();
      const conn = ws.connection(doc, target);
      removed = ws.cache.clear(conn.id);
    } else removed = ws.cache.clear();
    await ws.saveCache();
    io.err(
      `Cleared ${removed} cached token${removed === 1 ? '' : 's'}${target ? ` of "${target}"` : ''}.`,
    );
    return;
  }
  if (action !== 'list')
    throw new UsageError('Use `tokensmith cache list` or `tokensmith cache clear [connection]`.');
  const pruned = ws.cache.prune();
  if (pruned) {
    await ws.saveCache();
    if (!json) io.err(`Pruned ${pruned} expired token(s) that could not be refreshed.`);
  }
  const rows = ws.cache.entries().map((e) => ({
    connection: e.connectionName,
    scope: e.result.scope ?? '',
    expiresAt: new Date(e.expiresAt).toISOString(),
    secondsLeft: Math.round((e.expiresAt - Date.now()) / 1000),
    refreshable: Boolean(e.result.refreshToken),
  }));
  if (json) io.out(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) io.err('The token cache is empty.');
  else
    for (const r of rows)
      io.out(
        `${r.connection}  ${r.scope || '(no scope)'}  ${r.secondsLeft > 0 ? `${formatSeconds(r.secondsLeft)} left` : 'expired'}${r.refreshable ? ', refreshable' : ''}`,
      );
}

function commandX5t(text: Buffer, file: string, json: boolean, io: Io): void {
  const info = describeCertificate(parseCertificate(text, file));
  if (json) io.out(JSON.stringify(info, null, 2));
  else {
    io.out(`x5t       ${info.x5t}`);
    io.out(`x5t#S256  ${info.x5tS256}`);
    io.err(`${info.subject} — valid until ${info.notAfter}${info.expired ? ' (EXPIRED)' : ''}`);
  }
}

function commandJwtDecode(token: string, io: Io): void {
  io.out(JSON.stringify(decodeToken(token), null, 2));
}

async function commandExport(
  ws: Workspace,
  names: string[],
  values: Record<string, unknown>,
  io: Io,
): Promise<void> {
  const doc = await ws.store.read();
  const format = (values.format as string | undefined) ?? 'json';
  let text: string;
  if (format === 'json') {
    const passphrase = passphraseOf(values, io.env);
    const exported = exportConnections(doc, { names, ...(passphrase ? { passphrase } : {}) });
    text = JSON.stringify(exported, null, 2) + '\n';
    if (exported.requiredSecrets.length)
      io.err(
        `Secrets left out (${exported.requiredSecrets.length}); give --passphrase-env to include them encrypted.`,
      );
  } else if (format === 'curl' || format === 'env') {
    const selected = names.length ? names.map((n) => ws.connection(doc, n)) : doc.connections;
    // Unresolved: references stay references.
    const raw = selected.map((c) => doc.connections.find((x) => x.id === c.id) ?? c);
    text = raw.map((c) => (format === 'curl' ? toCurl(c) : toEnvFile(c))).join('\n');
  } else if (format === 'server.xml') {
    const { exportServerXml } = await serverXml();
    const out = exportServerXml(doc, { names, includeSecrets: values['include-secrets'] === true });
    text = out.xml;
    for (const note of out.notes) io.err(`note: ${note}`);
    if (out.variables.length)
      io.err(`Set these Liberty variables to the secrets: ${out.variables.join(', ')}.`);
  } else throw new UsageError(`Unknown format "${format}": use json, curl, env or server.xml.`);
  if (values.output) {
    await writePrivateFile(values.output as string, text);
    io.err(`Wrote ${values.output as string}.`);
  } else io.out(text.trimEnd());
}

async function commandImport(
  ws: Workspace,
  file: string,
  values: Record<string, unknown>,
  io: Io,
): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TokensmithError(
      'not_found',
      `Cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.`,
      { cause },
    );
  }
  const passphrase = passphraseOf(values, io.env);
  const { imported, missingSecrets, notes } = await importFile(ws.store, text, {
    replace: values.replace === true,
    ...(passphrase ? { passphrase } : {}),
  });
  if (!values.json) for (const note of notes) io.err(`note: ${note}`);
  if (values.json) io.out(JSON.stringify({ imported, missingSecrets, notes }, null, 2));
  else
    io.err(
      `Imported ${imported.connections.length} connection(s), ${imported.keystores.length} keystore(s), ${imported.proxies.length} proxy alias(es).`,
    );
  if (missingSecrets.length && !values.json)
    io.err(`Secrets to enter before use: ${missingSecrets.join(', ')}`);
}

async function commandAuthToken(
  ws: Workspace,
  name: string,
  values: Record<string, unknown>,
  io: Io,
  signal: AbortSignal,
): Promise<void> {
  const { doc, conn } = await openConnection(ws, name);
  if (!conn.authToken.enabled) {
    throw new TokensmithError(
      'invalid_input',
      `Connection "${conn.name}" has no authentication server JWT configured.`,
    );
  }
  const { obtainAuthToken } = await import('../electron/core/auth-token.js');
  await withFlowContext(ws, doc, signal, async (ctx) => {
    const noCache = values['no-cache'] === true;
    const { result, source } = await obtainAuthToken(conn, ctx, noCache ? {} : { cache: ws.cache });
    if (source === 'network' && !noCache) await ws.saveCache();
    if (values.json) io.out(JSON.stringify({ connection: conn.name, source, ...result }, null, 2));
    else {
      io.out(result.token);
      io.err(
        `JWT from ${source === 'network' ? 'the authentication server' : 'the cache'}; send it in ${conn.authToken.header}.`,
      );
      for (const w of result.warnings) io.err(`warning: ${w}`);
    }
  });
}

/** A builder ID given directly, or the builder of a named connection. */
async function builderOf(ws: Workspace, nameOrId: string): Promise<string> {
  const doc = await ws.store.read();
  const conn = doc.connections.find((c) => c.name === nameOrId);
  if (conn) {
    if (!conn.jwt.signing.builderId)
      throw new TokensmithError(
        'invalid_input',
        `Connection "${conn.name}" has no JWT builder ID.`,
      );
    return conn.jwt.signing.builderId;
  }
  if (doc.signingKeys.some((s) => s.builderId === nameOrId)) return nameOrId;
  if (doc.connections.some((c) => c.jwt.signing.builderId === nameOrId)) return nameOrId;
  throw new TokensmithError('not_found', `No connection or JWT builder named "${nameOrId}".`);
}

async function commandKeys(
  ws: Workspace,
  action: string | undefined,
  target: string | undefined,
  json: boolean,
  io: Io,
): Promise<void> {
  if ((action !== 'show' && action !== 'rotate') || !target)
    throw new UsageError(HELP.keys as string);
  const builderId = await builderOf(ws, target);
  const {
    builderIssuer,
    builderJwksUrl,
    currentSigningKeys,
    nextRotation,
    rotateStoredSigningKeys,
    rotationPolicy,
  } = await signingKeys();
  const { builderJwks } = await import('../electron/core/keys/builder-jwks.js');
  if (action === 'rotate') {
    const before = await ws.store.read();
    const ofBuilder = before.connections.filter((c) => c.jwt.signing.builderId === builderId);
    if (
      !before.signingKeys.some((s) => s.builderId === builderId) &&
      ofBuilder.length > 0 &&
      ofBuilder.every((c) => !c.jwt.signing.jwkEnabled)
    ) {
      throw new TokensmithError(
        'invalid_input',
        `JWT builder "${builderId}" signs with a keystore alias, not a generated key: import a new key pair into the keystore to change its key.`,
      );
    }
    const set = await rotateStoredSigningKeys(ws.store, builderId);
    io.err(
      `New signing key ${set.keys[0]?.kid} for JWT builder "${builderId}"; ${set.keys.length - 1} previous key(s) still published.`,
    );
  }
  await currentSigningKeys(ws.store, builderId);
  const doc = await ws.store.read();
  const set = doc.signingKeys.find((s) => s.builderId === builderId);
  const next = nextRotation(set, rotationPolicy(doc, builderId));
  const { jwks, published, problems } = await builderJwks(doc, builderId, ws.registry(doc));
  for (const problem of problems) io.err(`warning: ${problem}`);
  const base = `http://127.0.0.1:${doc.settings.jwkServerPort}`;
  if (json || action === 'show') {
    io.out(
      JSON.stringify(
        json
          ? {
              builderId,
              jwksUrl: builderJwksUrl(base, builderId),
              issuer: builderIssuer(base, builderId),
              keys:
                set?.keys.map(({ kid, algorithm, createdAt }) => ({ kid, algorithm, createdAt })) ??
                [],
              published,
              problems,
              ...(next ? { nextRotationAt: next.toISOString() } : {}),
              jwks,
            }
          : jwks,
        null,
        2,
      ),
    );
  }
  if (!json && action === 'show') {
    for (const { kid, source } of published) io.err(`kid ${kid}: ${source}`);
    if (next) io.err(`The signing key is replaced at ${next.toISOString()} (jwkRotationTime).`);
    io.err(
      published.length
        ? `Served at ${builderJwksUrl(base, builderId)} while the app, browser mode or \`tokensmith jwks serve\` runs.`
        : `JWT builder "${builderId}" has no key yet: run \`tokensmith keys rotate ${target}\`.`,
    );
  }
}

async function commandJwksServe(
  ws: Workspace,
  values: Record<string, unknown>,
  io: Io,
  signal: AbortSignal,
): Promise<void> {
  const doc = await ws.store.read();
  const port = values.port !== undefined ? Number(values.port) : doc.settings.jwkServerPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`--port must be 1 to 65535, not "${String(values.port)}".`);
  const { builderJwksUrl, currentSigningKeys } = await signingKeys();
  const { builderJwks, publishingBuilders } = await import('../electron/core/keys/builder-jwks.js');
  const { startJwkServer } = await import('../electron/core/jwk-server.js');
  const server = await startJwkServer(port, async (builderId) => {
    await currentSigningKeys(ws.store, builderId);
    const now = await ws.store.read();
    return (await builderJwks(now, builderId, ws.registry(now))).jwks;
  });
  const builders = publishingBuilders(doc).map((id) => `  ${builderJwksUrl(server.baseUrl, id)}`);
  io.err(
    `Serving JWKS on ${server.baseUrl} (Ctrl+C stops)${builders.length ? `:\n${builders.join('\n')}` : '; no builder has keys yet.'}`,
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}

/** Runs the CLI; returns the exit code. */
export async function run(
  argv: string[],
  io: Io,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'no-cache': { type: 'boolean' },
        'no-browser': { type: 'boolean' },
        passphrase: { type: 'string' },
        'passphrase-env': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        replace: { type: 'boolean' },
        request: { type: 'string', short: 'X' },
        header: { type: 'string', short: 'H', multiple: true },
        data: { type: 'string', short: 'd' },
        'retry-any-401': { type: 'boolean' },
        'include-secrets': { type: 'boolean' },
        port: { type: 'string' },
      },
    });
  } catch (e) {
    io.err(`tokensmith: ${(e as Error).message}\n\n${HELP.main}`);
    return EXIT_CODES.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    const topic = rest[0] && HELP[rest[0]] ? rest[0] : 'main';
    (command ? io.out : io.err)(HELP[topic] as string);
    return command ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (values.help) {
    io.out(HELP[command] ?? HELP.main);
    return EXIT_CODES.ok;
  }
  const json = values.json === true;
  const need = (n: number, what: string) => {
    if (rest.length < n) throw new UsageError(`Missing ${what}.\n\n${HELP[command] ?? HELP.main}`);
  };
  try {
    const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
    const workspace = () => openWorkspace(dataDir, io.env);
    switch (command) {
      case 'token':
        need(1, 'the connection name');
        await commandToken(await workspace(), rest[0] as string, values, io, signal);
        break;
      case 'list':
        await commandList(await workspace(), json, io);
        break;
      case 'assertion':
        need(1, 'the connection name');
        await commandAssertion(await workspace(), rest[0] as string, json, io);
        break;
      case 'x5t': {
        need(1, 'the certificate file');
        const file = rest[0] as string;
        const data = await readFile(file).catch((cause: unknown) => {
          throw new TokensmithError(
            'not_found',
            `Cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.`,
            { cause },
          );
        });
        commandX5t(data, file, json, io);
        break;
      }
      case 'jwt':
        if (rest[0] !== 'decode') throw new UsageError(HELP.jwt);
        need(2, 'the token');
        commandJwtDecode(rest[1] as string, io);
        break;
      case 'call':
        need(2, 'the connection name and the URL');
        return await commandCall(
          await workspace(),
          rest[0] as string,
          rest[1] as string,
          values,
          io,
          signal,
        );
      case 'authtoken':
        need(1, 'the connection name');
        await commandAuthToken(await workspace(), rest[0] as string, values, io, signal);
        break;
      case 'keys':
        await commandKeys(await workspace(), rest[0], rest[1], json, io);
        break;
      case 'jwks':
        if (rest[0] !== 'serve') throw new UsageError(HELP.jwks as string);
        await commandJwksServe(await workspace(), values, io, signal);
        break;
      case 'cache':
        await commandCache(await workspace(), rest[0], rest[1], json, io);
        break;
      case 'export':
        await commandExport(await workspace(), rest, values, io);
        break;
      case 'import':
        need(1, 'the file to import');
        await commandImport(await workspace(), rest[0] as string, values, io);
        break;
      default:
        throw new UsageError(`Unknown command "${command}".\n\n${HELP.main}`);
    }
    return EXIT_CODES.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tokensmith: ${e.message}`);
      return EXIT_CODES.usage;
    }
    const data = toErrorData(e);
    if (json)
      io.out(
        JSON.stringify(
          { error: data.code, message: data.message, ...(data.field ? { field: data.field } : {}) },
          null,
          2,
        ),
      );
    io.err(`tokensmith: ${data.message}`);
    return EXIT_CODES[CODE_CLASS[data.code]];
  }
}
