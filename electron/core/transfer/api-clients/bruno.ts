/**
 * Bruno: a collection folder — `bruno.json`, a request (`API.bru`) whose `auth:oauth2` block has
 * the connection's grant, token URL, client ID, client authentication and parameters, and an
 * environment (`environments/Tokensmith.bru`) whose secrets are declared `vars:secret` with no
 * value (Bruno keeps their values on the user's machine, outside the collection). `bru run`
 * fetches the token itself (client credentials and password).
 *
 * The `.bru` format reads a value to the end of its line, trimmed: a value Bruno would read
 * differently (leading or trailing spaces, a multi-line or list opener) is refused, as is a
 * parameter name its keys cannot hold.
 */
import { TokensmithError } from '../../errors.js';
import type { ClientOAuth } from './client-oauth.js';

export const BRUNO_ENVIRONMENT = 'Tokensmith';

function checkValue(o: ClientOAuth, what: string, value: string): string {
  if (value !== value.trim() || value.startsWith("'''") || value.startsWith('['))
    throw new TokensmithError(
      'unsupported',
      `Not exported to Bruno: "${o.name}" has ${what} ${JSON.stringify(value)}, which a .bru file would not read back as it is (spaces at an end, or ''' or [ first).`,
    );
  return value;
}

function checkKey(o: ClientOAuth, key: string): string {
  if (!/^[A-Za-z0-9_.[\]-]+$/.test(key))
    throw new TokensmithError(
      'unsupported',
      `Not exported to Bruno: "${o.name}" sends the parameter ${JSON.stringify(key)}; a .bru key holds letters, digits and _ . - [ ] only.`,
    );
  return key;
}

const block = (name: string, pairs: Array<[string, string]>) =>
  `${name} {\n${pairs.map(([k, v]) => `  ${k}: ${v}`.trimEnd()).join('\n')}\n}\n`;

/** The files of the collection folder, by path inside it. */
export function brunoExport(o: ClientOAuth): Array<{ path: string; content: string }> {
  const names = o.extra.map(([k]) => k);
  const repeated = names.find((k, i) => names.indexOf(k) !== i);
  if (repeated)
    throw new TokensmithError(
      'unsupported',
      `Not exported to Bruno: "${o.name}" sends the parameter ${repeated} more than once; Bruno sends each additional parameter once.`,
    );
  const v = (what: string, value: string) => checkValue(o, what, value);
  const hasSecret = o.secrets.some((s) => s.variable === 'client_secret');
  const auth: Array<[string, string]> = [
    ['grant_type', o.grant],
    ['access_token_url', v('the token URL', o.tokenUrl)],
    ['refresh_token_url', v('the token URL', o.tokenUrl)],
    ...(o.grant === 'password'
      ? ([
          ['username', v('the username', o.username)],
          ['password', '{{password}}'],
        ] as Array<[string, string]>)
      : []),
    ['client_id', v('the client ID', o.clientId)],
    ['client_secret', hasSecret ? '{{client_secret}}' : ''],
    ['scope', v('the scope', o.scope)],
    ['credentials_placement', o.clientAuth === 'basic' ? 'basic_auth_header' : 'body'],
    ['credentials_id', 'tokensmith'],
    ['token_source', o.tokenMember],
    ['token_placement', 'header'],
    ['token_header_prefix', 'Bearer'],
    ['auto_fetch_token', 'true'],
    ['auto_refresh_token', 'true'],
  ];
  const request = [
    block('meta', [
      ['name', 'API'],
      ['type', 'http'],
      ['seq', '1'],
    ]),
    block('get', [
      ['url', '{{base_url}}'],
      ['body', 'none'],
      ['auth', 'oauth2'],
    ]),
    block('headers', [['Accept', 'application/json']]),
    block('auth:oauth2', auth),
    ...(o.extra.length
      ? [
          block(
            'auth:oauth2:additional_params:access_token_req:body',
            o.extra.map(([k, value]) => [checkKey(o, k), v(`the ${k} parameter`, value)]),
          ),
        ]
      : []),
  ].join('\n');
  const environment = [
    block('vars', [['base_url', o.apiUrl ? v('the API URL', o.apiUrl) : '']]),
    ...(o.secrets.length
      ? [`vars:secret [\n${o.secrets.map((s) => `  ${s.variable}`).join(',\n')}\n]\n`]
      : []),
  ].join('\n');
  const collection = {
    version: '1',
    name: o.name,
    type: 'collection',
    ignore: ['node_modules', '.git'],
  };
  return [
    { path: 'bruno.json', content: JSON.stringify(collection, null, 2) + '\n' },
    { path: 'API.bru', content: request },
    { path: `environments/${BRUNO_ENVIRONMENT}.bru`, content: environment },
  ];
}
