/**
 * Export for the target runtime: a `curl` command line and an environment-variable file per
 * connection. Secrets never appear as values: they are `${env:NAME}` references (env file) or
 * shell variables (curl), and assertions come from `tokensmith assertion` at run time.
 */
import type { Connection } from '../../../shared/connection.js';
import { ENV_REFERENCE } from '../../../shared/store-model.js';
import { effectiveClientAuth, requestParameters } from '../oauth/token-request.js';
import { redirectUriOf } from '../oauth/authorization-code.js';

/** `Sandbox client (basic)` → `SANDBOX_CLIENT_BASIC`. */
export function envPrefix(name: string): string {
  const prefix = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z_]/.test(prefix) ? prefix : `C_${prefix}`;
}

/** The variable that holds a secret: the one it already refers to, or PREFIX_FIELD. */
function secretVariable(value: string, prefix: string, field: string): string {
  return ENV_REFERENCE.exec(value)?.[1] ?? `${prefix}_${field}`;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function envValue(v: string): string {
  return /^[\w@%+=:,./-]*$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`;
}

export function toEnvFile(conn: Connection): string {
  const p = envPrefix(conn.name);
  const lines = [`# Tokensmith connection "${conn.name}" (${conn.type})`];
  const add = (key: string, value: string) => lines.push(`${p}_${key}=${envValue(value)}`);
  add('TOKEN_ENDPOINT', conn.tokenEndpoint);
  if (conn.type === 'authorization_code') {
    add('AUTHORIZATION_ENDPOINT', conn.authorizationEndpoint);
    add('REDIRECT_URI', redirectUriOf(conn));
  }
  if (conn.client.id) add('CLIENT_ID', conn.client.id);
  if (conn.client.secret)
    lines.push(
      `${p}_CLIENT_SECRET=\${env:${secretVariable(conn.client.secret, p, 'CLIENT_SECRET')}}`,
    );
  add(
    'CLIENT_AUTH',
    conn.type === 'jwt_client_assertion' ? 'private_key_jwt' : effectiveClientAuth(conn),
  );
  if (conn.type === 'password') {
    add('USERNAME', conn.username);
    if (conn.password)
      lines.push(`${p}_PASSWORD=\${env:${secretVariable(conn.password, p, 'PASSWORD')}}`);
  }
  if (conn.params.scope) add('SCOPE', conn.params.scope);
  if (conn.params.resource.length) add('RESOURCE', conn.params.resource.join(' '));
  if (conn.params.audience) add('AUDIENCE', conn.params.audience);
  if (conn.jwt.signing.keystore) {
    add('SIGNING_KEYSTORE', conn.jwt.signing.keystore);
    add('SIGNING_ALIAS', conn.jwt.signing.alias);
  }
  add('TOKEN_PATH', conn.tokenPath);
  return lines.join('\n') + '\n';
}

export function toCurl(conn: Connection): string {
  const p = envPrefix(conn.name);
  const lines: string[] = [
    `# Tokensmith connection "${conn.name}" (${conn.type}); secrets come from the environment.`,
  ];
  const data: Array<[string, string]> = [];
  const raw: string[] = [];
  let auth: string | undefined;
  const grantType = {
    authorization_code: 'authorization_code',
    jwt_bearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    jwt_client_assertion: 'client_credentials',
    client_credentials: 'client_credentials',
    password: 'password',
  }[conn.type];
  data.push(['grant_type', grantType]);
  if (conn.type === 'authorization_code') {
    lines.push(
      `# Sign in first (\`tokensmith token ${shellQuote(conn.name)}\` does it for you), then set CODE and CODE_VERIFIER.`,
    );
    raw.push(
      `--data-urlencode "code=\${CODE}"`,
      `--data-urlencode "code_verifier=\${CODE_VERIFIER}"`,
    );
    data.push(['redirect_uri', redirectUriOf(conn)]);
  }
  if (conn.type === 'password') {
    data.push(['username', conn.username]);
    raw.push(`--data-urlencode "password=\${${secretVariable(conn.password, p, 'PASSWORD')}}"`);
  }
  if (conn.type === 'jwt_bearer') {
    raw.push(`--data-urlencode "assertion=$(npx tokensmith assertion ${shellQuote(conn.name)})"`);
  }
  const params = requestParameters(
    {
      ...conn,
      params: {
        ...conn.params,
        scope: conn.type === 'authorization_code' ? '' : conn.params.scope,
      },
    },
    'token',
  );
  data.push(...params);
  const method =
    conn.type === 'jwt_client_assertion' ? 'client_assertion' : effectiveClientAuth(conn);
  const secretVar = `\${${secretVariable(conn.client.secret, p, 'CLIENT_SECRET')}}`;
  switch (method) {
    case 'client_secret_basic':
      // curl -u does not form-urlencode (RFC 6749 §2.3.1); IDs and secrets with reserved characters need encoding first.
      auth = `-u "${conn.client.id}:${secretVar}"`;
      break;
    case 'client_secret_post':
      data.push(['client_id', conn.client.id]);
      raw.push(`--data-urlencode "client_secret=${secretVar}"`);
      break;
    case 'none':
      data.push(['client_id', conn.client.id]);
      break;
    case 'private_key_jwt':
    case 'client_secret_jwt':
    case 'client_assertion':
      if (conn.client.sendClientIdWithAssertion || method === 'client_assertion')
        data.push(['client_id', conn.client.id || conn.jwt.claims.subject]);
      data.push([
        'client_assertion_type',
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      ]);
      raw.push(
        `--data-urlencode "client_assertion=$(npx tokensmith assertion ${shellQuote(conn.name)})"`,
      );
      break;
    case 'omitted':
      break;
  }
  const args = [
    `curl -sS -X POST ${shellQuote(conn.tokenEndpoint)}`,
    `-H 'Accept: application/json'`,
    ...(auth ? [auth] : []),
    ...data.map(([k, v]) => `--data-urlencode ${shellQuote(`${k}=${v}`)}`),
    ...raw,
  ];
  lines.push(args.join(' \\\n  '));
  return lines.join('\n') + '\n';
}
