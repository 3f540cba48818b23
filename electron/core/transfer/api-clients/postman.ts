/**
 * Postman: a collection (format v2.1) whose auth is OAuth 2.0 with the connection's grant,
 * token URL, client ID, client authentication and parameters — what Postman's own "Get New
 * Access Token" uses — and an environment where the secrets are variables with no value.
 *
 * newman (Postman's runner) does not fetch OAuth 2.0 tokens: only the Postman app does. So the
 * collection also carries a pre-request script that sends the token request exactly as Tokensmith
 * sends it (RFC 6749 §2.3.1 Basic credentials included) when no unexpired token is kept, and puts
 * the token in the `access_token` variable the auth block sends. The script is generated from the
 * same prepared request as the curl export; every value in it is a JSON literal.
 */
import { createHash } from 'node:crypto';
import type { ClientOAuth } from './client-oauth.js';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** A stable UUID-shaped ID from a connection name (re-exports keep their IDs). */
function idOf(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const param = (key: string, value: unknown) => ({
  key,
  value,
  type: typeof value === 'string' ? 'string' : 'any',
});
const variable = (name: string) => `{{${name}}}`;

/** Postman's names for the grants (its collection format). */
const GRANT = {
  client_credentials: 'client_credentials',
  password: 'password_credentials',
} as const;

function authBlock(o: ClientOAuth) {
  const params = [
    param('grant_type', GRANT[o.grant]),
    param('accessTokenUrl', o.tokenUrl),
    param('clientId', o.clientId),
    ...(o.secrets.some((s) => s.variable === 'client_secret')
      ? [param('clientSecret', variable('client_secret'))]
      : []),
    // Postman sends the ID alone in the body when there is no secret and body is chosen.
    param('client_authentication', o.clientAuth === 'basic' ? 'header' : 'body'),
    ...(o.grant === 'password'
      ? [param('username', o.username), param('password', variable('password'))]
      : []),
    ...(o.scope ? [param('scope', o.scope)] : []),
    ...(o.extra.length
      ? [
          param(
            'tokenRequestParams',
            o.extra.map(([key, value]) => ({ key, value, enabled: true, send_as: 'request_body' })),
          ),
        ]
      : []),
    param('tokenName', `Tokensmith ${o.name}`),
    param('addTokenTo', 'header'),
    param('headerPrefix', 'Bearer'),
    // What newman and the collection runner send: the token the pre-request script got.
    param('accessToken', variable('access_token')),
  ];
  return { type: 'oauth2', oauth2: params };
}

/** The pre-request script: the token request as Tokensmith sends it, when no valid token is kept. */
function tokenScript(o: ClientOAuth): string[] {
  const form = o.form.map(([k, v]) =>
    typeof v === 'string'
      ? `[${JSON.stringify(k)}, ${JSON.stringify(v)}]`
      : `[${JSON.stringify(k)}, secret(${JSON.stringify(v.variable)})]`,
  );
  const basic =
    o.clientAuth === 'basic'
      ? [
          `    // RFC 6749 §2.3.1: the client ID and secret are form-urlencoded before Basic encoding.`,
          `    { key: 'Authorization', value: 'Basic ' + btoa(formEncode(${JSON.stringify(o.clientId)}) + ':' + formEncode(secret('client_secret'))) },`,
        ]
      : [];
  return [
    '// Tokensmith: gets the token as Tokensmith sends it, unless an unexpired one is kept.',
    "const kept = pm.collectionVariables.get('access_token');",
    "const expiresAt = Number(pm.collectionVariables.get('access_token_expires_at') || 0);",
    'if (!kept || Date.now() >= expiresAt) {',
    '  // application/x-www-form-urlencoded as URLSearchParams writes it (space as +).',
    '  const formEncode = (s) =>',
    '    encodeURIComponent(s)',
    "      .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())",
    "      .replace(/%20/g, '+');",
    '  const secret = (name) => {',
    '    const value = pm.variables.get(name);',
    "    if (!value) throw new Error('Set the variable ' + name + ' (Tokensmith leaves secrets out of the export).');",
    '    return value;',
    '  };',
    '  const form = [',
    ...form.map((f) => `    ${f},`),
    '  ];',
    '  pm.sendRequest(',
    '    {',
    `      url: ${JSON.stringify(o.tokenUrl)},`,
    "      method: 'POST',",
    '      header: [',
    "        { key: 'Content-Type', value: 'application/x-www-form-urlencoded' },",
    "        { key: 'Accept', value: 'application/json' },",
    ...basic.map((l) => `    ${l}`),
    '      ],',
    "      body: { mode: 'raw', raw: form.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&') },",
    '    },',
    '    (err, res) => {',
    "      if (err) return console.error('Tokensmith token request failed: ' + err);",
    '      let body;',
    '      try {',
    '        body = res.json();',
    '      } catch (e) {',
    "        return console.error('Tokensmith token request: HTTP ' + res.code + ', not JSON');",
    '      }',
    `      const token = body[${JSON.stringify(o.tokenMember)}];`,
    '      if (res.code !== 200 || typeof token !== "string")',
    "        return console.error('Tokensmith token request: HTTP ' + res.code + ' ' + (body.error || '') + ' ' + (body.error_description || ''));",
    "      pm.collectionVariables.set('access_token', token);",
    '      const lifetime = Number(body.expires_in);',
    '      pm.collectionVariables.set(',
    "        'access_token_expires_at',",
    '        String(lifetime > 0 ? Date.now() + (lifetime - 1) * 1000 : Number.MAX_SAFE_INTEGER),',
    '      );',
    '    },',
    '  );',
    '}',
  ];
}

export interface PostmanExport {
  collection: object;
  environment: object;
}

/** The collection and environment of one connection. */
export function postmanExport(o: ClientOAuth): PostmanExport {
  const collection = {
    info: {
      _postman_id: idOf('collection', o.name),
      name: o.name,
      description: `Exported by Tokensmith. Set the environment's ${o.secrets.map((s) => s.variable).join(' and ') || 'variables'} before use; secrets are never in this file.`,
      schema: SCHEMA,
    },
    auth: authBlock(o),
    event: [
      {
        listen: 'prerequest',
        script: { type: 'text/javascript', exec: tokenScript(o) },
      },
    ],
    variable: [
      { key: 'base_url', value: o.apiUrl, type: 'string' },
      { key: 'access_token', value: '', type: 'string' },
      { key: 'access_token_expires_at', value: '', type: 'string' },
    ],
    item: [
      {
        name: 'API',
        request: {
          method: 'GET',
          header: [{ key: 'Accept', value: 'application/json' }],
          url: variable('base_url'),
        },
      },
    ],
  };
  const environment = {
    id: idOf('environment', o.name),
    name: `${o.name} (Tokensmith)`,
    values: o.secrets.map((s) => ({ key: s.variable, value: '', type: 'secret', enabled: true })),
    _postman_variable_scope: 'environment',
    _postman_exported_using: 'Tokensmith',
  };
  return { collection, environment };
}
