/**
 * Export for the target runtime: a bash script of curl commands and an environment file, each
 * rendered from the very token request the engine prepares for the connection (the grant's
 * `prepare` on the connection with placeholders for its secrets and run-time values). Secrets
 * never appear as values: they are environment variables (the one a `${env:NAME}` secret already
 * names, else PREFIX_FIELD), and assertions come from `tokensmith assertion` at run time. Every
 * value is quoted for the shell; nothing from a connection can end a word or a line.
 */
import type { BodyEncoding } from '../oauth/resolve.js';
import { descriptorOf, type Connection } from '../../../shared/connection.js';
import { ENV_REFERENCE, forEachSecret, type StoreDocument } from '../../../shared/store-model.js';
import { exportedRequest } from '../grants/registry.js';
import { formEncode, type FormParams } from '../oauth/client-auth.js';
import { ASSERTION_PLACEHOLDER, resolveConnection } from '../oauth/resolve.js';
import { ResourceRegistry } from '../resources.js';

/** `Sandbox client (basic)` → `SANDBOX_CLIENT_BASIC`. */
export function envPrefix(name: string): string {
  const prefix = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z_]/.test(prefix) ? prefix : `C_${prefix}`;
}

/** POSIX shell single quotes: nothing inside is special. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A comment that stays one line whatever the text holds. */
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const comment = (text: string) => `# ${text.replace(/[\u0000-\u001f\u007f]/g, ' ')}`;

/**
 * A piece of an exported value: literal text, an environment variable (escaped at run time as
 * the engine escapes it inside a JSON or URL-encoded body template), or a command's output.
 */
type Segment = { text: string } | { variable: string; encode?: BodyEncoding } | { command: string };

const PLACEHOLDER =
  // eslint-disable-next-line no-control-regex -- placeholders are delimited by NUL, which no real value holds
  /\u0000(secret|secret-json|secret-uri|var):([^\u0000]*)\u0000|\u0000assertion\u0000/g;

const secretPlaceholder = (path: string) => `\u0000secret:${path}\u0000`;

interface ExportContext {
  conn: Connection;
  prefix: string;
  /** Secret path → the variable that holds it. */
  variables: Map<string, string>;
}

function segmentsOf(value: string, ctx: ExportContext): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of value.matchAll(PLACEHOLDER)) {
    if (m.index > last) out.push({ text: value.slice(last, m.index) });
    if (m[0] === ASSERTION_PLACEHOLDER)
      out.push({ command: `tokensmith assertion ${shellQuote(ctx.conn.name)}` });
    else if (m[1]?.startsWith('secret')) {
      const variable = ctx.variables.get(m[2] as string) ?? `${ctx.prefix}_SECRET`;
      const encode = m[1] === 'secret-json' ? 'json' : m[1] === 'secret-uri' ? 'uri' : undefined;
      out.push(encode ? { variable, encode } : { variable });
    } else out.push({ variable: m[2] as string });
    last = m.index + m[0].length;
  }
  if (last < value.length || out.length === 0) out.push({ text: value.slice(last) });
  return out;
}

/** One shell word: literals single-quoted, variables and commands double-quoted. */
function shellWord(parts: Segment[]): string {
  const segments: Segment[] = [];
  for (const s of parts) {
    const last = segments[segments.length - 1];
    if (last && 'text' in last && 'text' in s)
      segments[segments.length - 1] = { text: last.text + s.text };
    else segments.push(s);
  }
  return segments
    .map((s) =>
      'text' in s
        ? shellQuote(s.text)
        : 'variable' in s
          ? s.encode
            ? `"$(${s.encode === 'json' ? 'json_escape' : 'uri_encode'} "\${${s.variable}}")"`
            : `"\${${s.variable}}"`
          : `"$(${s.command})"`,
    )
    .join('');
}

const variableName = (path: string) =>
  path
    .replace(/\./g, '_')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();

/** The connection with placeholders for its secrets, and which variable stands for each. */
function symbolic(conn: Connection): ExportContext {
  const prefix = envPrefix(conn.name);
  const variables = new Map<string, string>();
  const copy = structuredClone(conn);
  forEachSecret('connection', copy as unknown as Record<string, unknown>, (path, value, set) => {
    variables.set(path, ENV_REFERENCE.exec(value)?.[1] ?? `${prefix}_${variableName(path)}`);
    set(secretPlaceholder(path));
  });
  return { conn: copy, prefix, variables };
}

/** The token request of a connection with placeholders for its secrets and run-time values. */
export async function prepareForExport(conn: Connection) {
  const ctx = symbolic(conn);
  // Nothing is loaded or signed while exporting: an empty registry proves it.
  const resolved = resolveConnection(
    ctx.conn,
    { resources: new ResourceRegistry() },
    {
      exporting: true,
    },
  );
  return { ctx, prepared: await exportedRequest(resolved) };
}

/** Values in single quotes are meant literally: `$(…)` in a value is data, never a command. */
const SHELLCHECK_LITERALS =
  '# shellcheck disable=SC2016 # single-quoted values are literal on purpose';

/** RFC 6749 §2.3.1 in bash: the exported command encodes Basic credentials as the engine does. */
const FORM_URLENCODE = `# RFC 6749 §2.3.1: client ID and secret are form-urlencoded before Basic encoding.
form_urlencode() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < \${#s}; i++)); do
    c=\${s:i:1}
    case $c in
      [a-zA-Z0-9*._-]) out+=$c ;;
      ' ') out+='+' ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}`;

/** What a body template does with `${password}` (auth-token.ts fillRequestBody), in bash. */
const BODY_ESCAPES = `# A secret in a body template, escaped as Tokensmith escapes it: JSON.stringify in a JSON body,
# encodeURIComponent in a form body.
json_escape() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < \${#s}; i++)); do
    c=\${s:i:1}
    case $c in
      '"') out+='\\"' ;;
      \\\\) out+="\\\\\\\\" ;;
      $'\\n') out+='\\n' ;;
      $'\\r') out+='\\r' ;;
      $'\\t') out+='\\t' ;;
      $'\\b') out+='\\b' ;;
      $'\\f') out+='\\f' ;;
      [$'\\x01'-$'\\x1f']) out+=$(printf '\\\\u%04x' "'$c") ;;
      *) out+=$c ;;
    esac
  done
  printf '%s' "$out"
}
uri_encode() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < \${#s}; i++)); do
    c=\${s:i:1}
    case $c in
      [a-zA-Z0-9_.!~*\\'\\(\\)-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}`;

function curlOf(
  ctx: ExportContext,
  prepared: Awaited<ReturnType<typeof exportedRequest>>,
  doc: StoreDocument | undefined,
): { lines: string[]; usesBasic: boolean; usesBody: boolean } {
  const { conn } = ctx;
  const descriptor = descriptorOf(conn);
  const lines = [comment(`Tokensmith connection "${conn.name}" (${descriptor.label})`)];
  if (descriptor.exports.curlPreamble) lines.push(comment(descriptor.exports.curlPreamble));
  const needed = [
    ...new Set(
      prepared.form
        .flatMap(([, v]) => segmentsOf(v, ctx))
        .flatMap((s) => ('variable' in s ? [s.variable] : [])),
    ),
  ];
  const basic = prepared.clientAuth.basic;
  if (basic)
    needed.push(
      ...segmentsOf(basic.secret, ctx).flatMap((s) => ('variable' in s ? [s.variable] : [])),
    );
  if (needed.length)
    lines.push(comment(`From the environment: ${[...new Set(needed)].join(', ')}`));
  if (conn.ssl.enabled)
    lines.push(
      comment(
        'It uses an SSL Connection: add --cert/--key for the client certificate and --cacert for the truststore.',
      ),
    );
  if (conn.dpop.enabled)
    lines.push(
      comment(
        'It uses DPoP (RFC 9449): each request needs a fresh DPoP proof header, which curl cannot sign; the server may refuse it without one.',
      ),
    );
  if (!prepared.request.url) {
    // A pasted token: nothing to request.
    lines.push(comment('It uses a pasted token: there is no request to make.'));
    return { lines, usesBasic: false, usesBody: false };
  }
  const { method, headers, body } = prepared.request;
  const args = [
    `curl -sS -X ${method} ${shellQuote(prepared.request.url)}`,
    `--connect-timeout ${conn.timeouts.connectSeconds} --max-time ${conn.timeouts.connectSeconds + conn.timeouts.readSeconds}`,
    `-H ${shellQuote(`Accept: ${headers.accept ?? 'application/json'}`)}`,
  ];
  const proxy = doc?.proxies.find((p) => p.name === conn.proxyAlias);
  if (proxy) {
    args.push(`--proxy ${shellQuote(`${proxy.protocol}://${proxy.host}:${proxy.port}`)}`);
    if (proxy.username)
      lines.push(comment(`The proxy "${proxy.name}" wants credentials: add --proxy-user.`));
  }
  const formBasic = basic !== undefined && basic.encoding !== 'plain';
  if (basic) {
    const id = shellWord(segmentsOf(basic.id, ctx));
    const secret = shellWord(segmentsOf(basic.secret, ctx));
    // RFC 6749 §2.3.1 for a client; RFC 7617 (as typed) for a user's credentials.
    const pair = formBasic
      ? `"$(form_urlencode ${id})" "$(form_urlencode ${secret})"`
      : `${id} ${secret}`;
    const value = `Basic $(printf '%s:%s' ${pair} | base64 | tr -d '\\n')`;
    // Another header's name is quoted apart: a token character such as $ or ` means nothing there.
    args.push(
      basic.header && basic.header !== 'Authorization'
        ? `-H ${shellQuote(`${basic.header}: `)}"${value}"`
        : `-H "Authorization: ${value}"`,
    );
  }
  const bodySegments = body !== undefined ? segmentsOf(body, ctx) : [];
  const usesBody = bodySegments.some((s) => 'encode' in s && s.encode);
  if (prepared.form.length === 0 && body !== undefined) {
    args.push(`-H ${shellQuote(`Content-Type: ${headers['content-type'] ?? 'application/json'}`)}`);
    args.push(`--data-binary ${shellWord(bodySegments)}`);
  }
  for (const [name, value] of prepared.form) {
    // curl url-encodes what follows the first '='; the name must be encoded already.
    args.push(
      `--data-urlencode ${shellWord([{ text: `${formEncode(name)}=` }, ...segmentsOf(value, ctx)])}`,
    );
  }
  lines.push(args.join(' \\\n  '));
  return { lines, usesBasic: formBasic, usesBody };
}

/** A bash script with one curl command per connection: the token requests Tokensmith sends. */
export async function exportCurl(connections: Connection[], doc?: StoreDocument): Promise<string> {
  const blocks: string[] = [];
  let usesBasic = false;
  let usesBody = false;
  for (const conn of connections) {
    const { ctx, prepared } = await prepareForExport(conn);
    const out = curlOf(ctx, prepared, doc);
    usesBasic ||= out.usesBasic;
    usesBody ||= out.usesBody;
    blocks.push(out.lines.join('\n'));
  }
  const head = [
    '#!/usr/bin/env bash',
    comment('Token requests exported by Tokensmith: each sends what Tokensmith sends.'),
    comment('Assertions are signed at run time by `tokensmith assertion` (the CLI on PATH).'),
    SHELLCHECK_LITERALS,
    'set -euo pipefail',
  ];
  if (usesBasic) head.push('', FORM_URLENCODE);
  if (usesBody) head.push('', BODY_ESCAPES);
  return [head.join('\n'), ...blocks].join('\n\n') + '\n';
}

/** The variable name of a form parameter: `client_id` → `CLIENT_ID`. */
const envName = (param: string) => param.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * An environment file per connection, sourceable by POSIX shells and read by dotenv: the token
 * endpoint, the client authentication and every parameter of the token request, with secrets as
 * references to variables that are never written here.
 */
export async function exportEnv(connections: Connection[]): Promise<string> {
  const blocks: string[] = [];
  for (const conn of connections) {
    const { ctx, prepared } = await prepareForExport(conn);
    const p = ctx.prefix;
    const lines = [comment(`Tokensmith connection "${conn.name}" (${descriptorOf(conn).label})`)];
    const seen = new Set<string>();
    const add = (key: string, segments: Segment[]) => {
      const name = `${p}_${key}`;
      if (seen.has(name)) return;
      seen.add(name);
      if (segments.some((s) => 'command' in s)) {
        lines.push(comment(`${name}: made at run time by \`tokensmith assertion ${conn.name}\``));
        return;
      }
      const variable =
        segments.length === 1 && 'variable' in segments[0]! ? segments[0].variable : undefined;
      if (variable === name)
        lines.push(comment(`${name}: a secret; set it in the environment, never in this file`));
      else if (segments.some((s) => 'variable' in s && /^(CODE|CODE_VERIFIER)$/.test(s.variable)))
        return;
      else
        lines.push(
          `${name}=${segments.map((s) => ('text' in s ? shellQuote(s.text) : 'variable' in s ? `"\${${s.variable}}"` : '')).join('')}`,
        );
    };
    add('TOKEN_ENDPOINT', [{ text: prepared.request.url }]);
    if ('authorizationEndpoint' in conn)
      add('AUTHORIZATION_ENDPOINT', [{ text: conn.authorizationEndpoint }]);
    add('CLIENT_AUTH', [{ text: prepared.clientAuth.method }]);
    const basic = prepared.clientAuth.basic;
    if (basic) {
      const user = basic.encoding === 'plain';
      add(user ? 'USERNAME' : 'CLIENT_ID', segmentsOf(basic.id, ctx));
      add(user ? 'PASSWORD' : 'CLIENT_SECRET', segmentsOf(basic.secret, ctx));
    }
    const grouped = new Map<string, string[]>();
    for (const [name, value] of prepared.form as FormParams)
      grouped.set(name, [...(grouped.get(name) ?? []), value]);
    for (const [name, values] of grouped) add(envName(name), segmentsOf(values.join(' '), ctx));
    add('TOKEN_PATH', [{ text: 'jwtIssuer' in conn ? conn.jwtIssuer.tokenPath : conn.tokenPath }]);
    blocks.push(lines.join('\n'));
  }
  return [SHELLCHECK_LITERALS, ...blocks].join('\n\n') + '\n';
}
