/**
 * What an API client's own OAuth 2.0 support (Postman, Insomnia, Bruno) needs from a connection,
 * read from the very token request the engine prepares for it (the one the curl and env exports
 * render), and the refusals: a connection whose token request a tool would not send the same way
 * is not exported for that tool, with a message naming what the tool lacks. Secrets become the
 * tool's variables (`client_secret`, `password`), never values.
 */
import { descriptorOf, type Connection } from '../../../../shared/connection.js';
import {
  DEFAULT_TOKEN_PATH,
  clientAuthOf,
  type ClientAuthAsSent,
} from '../../../../shared/connection-types/base.js';
import {
  ENV_REFERENCE,
  isSecretReference,
  type StoreDocument,
} from '../../../../shared/store-model.js';
import { TokensmithError } from '../../errors.js';
import { formEncode } from '../../oauth/client-auth.js';
import { prepareForExport } from '../runtime-export.js';

export type ApiClientTool = 'postman' | 'insomnia' | 'bruno';

export const TOOL_NAMES: Record<ApiClientTool | 'httpie', string> = {
  postman: 'Postman',
  insomnia: 'Insomnia',
  bruno: 'Bruno',
  httpie: 'HTTPie',
};

/** A secret of the token request, as the tool's variable. */
export interface SecretVariable {
  variable: 'client_secret' | 'password';
  /** What the user sets it to, said in the notes and the README. */
  label: string;
}

/** A value of the exported token request: literal text, or a secret's variable. */
export type FormValue = string | { variable: SecretVariable['variable'] };

export interface ClientOAuth {
  name: string;
  grant: 'client_credentials' | 'password';
  tokenUrl: string;
  clientId: string;
  /** basic: the Authorization header; body: client_id and client_secret in the form; id-only: client_id alone in the form. */
  clientAuth: 'basic' | 'body' | 'id-only';
  username: string;
  scope: string;
  /** The other form parameters (audience, resource, custom ones) in order; none is a secret. */
  extra: Array<[string, string]>;
  /** The token request's form exactly as Tokensmith sends it, secrets as variables. */
  form: Array<[string, FormValue]>;
  /** The member of the token response used as the token (`access_token`, `id_token`). */
  tokenMember: string;
  /** The API's base URL (the request the tool sends with the token); may be empty. */
  apiUrl: string;
  secrets: SecretVariable[];
  notes: string[];
}

const refuse = (tool: string, name: string, why: string) =>
  new TokensmithError('unsupported', `Not exported to ${tool}: "${name}" ${why}`);

/** Why a connection type's grant has no form in the tools (only client credentials and password do). */
const GRANT_REFUSALS: Record<string, string> = {
  authorization_code:
    'uses Authorization Code: the sign-in happens in a browser, which the command-line runners (newman, bru) cannot do, so Tokensmith cannot show that the export behaves as it tested. Export its client credentials or password connection, or use --format httpie (HTTPie takes the token from `tokensmith token`).',
  jwt_bearer: 'uses the JWT bearer grant (RFC 7523 §2.1): the tool cannot sign the assertion.',
  jwt_client_assertion:
    'authenticates with a client assertion (private_key_jwt): the tool cannot sign it.',
  device_code: 'uses the device authorization grant (RFC 8628), which the tool does not have.',
  token_exchange: 'uses token exchange (RFC 8693), which the tool does not have.',
  jwt: 'gets a JWT from an authentication server (API Gateway / z/OS), which the tool cannot do.',
};

/** Characters each tool reads as a template in a value: such a value would not be sent as it is. */
const TEMPLATE_MARKERS: Record<ApiClientTool, RegExp> = {
  postman: /\{\{/,
  bruno: /\{\{/,
  // Insomnia renders every value with Nunjucks.
  insomnia: /\{\{|\{%|\{#/,
};

/** The connection refusals every tool shares (the request's transport and token binding). */
export function sharedRefusal(conn: Connection): string | undefined {
  if (conn.dpop.enabled)
    return 'uses DPoP (RFC 9449): each request needs a fresh proof signed with its key, which the tool cannot make.';
  if (conn.authToken.enabled)
    return 'also gets a JWT from a z/OS authentication server for a second header, which the tool cannot do.';
  return undefined;
}

const SECRET_PLACEHOLDER =
  // eslint-disable-next-line no-control-regex -- placeholders are delimited by NUL (runtime-export.ts)
  /^\u0000secret(?:-json|-uri)?:([^\u0000]*)\u0000$/;
// eslint-disable-next-line no-control-regex -- any other placeholder is a run-time value
const ANY_PLACEHOLDER = /\u0000/;

const SECRET_VARIABLES: Record<string, SecretVariable> = {
  'client.secret': { variable: 'client_secret', label: 'the Client Secret' },
  password: { variable: 'password', label: "the resource owner's Password" },
};

/** Whether RFC 6749 §2.3.1's form-urlencoding changes a value (then Basic headers differ). */
const changedByFormEncoding = (value: string) => formEncode(value) !== value;

/**
 * The token request of `conn` as `tool`'s own OAuth 2.0 sends it, or a TokensmithError
 * (`unsupported`) naming what the tool lacks.
 */
export async function clientOAuthOf(
  conn: Connection,
  doc: StoreDocument | undefined,
  tool: ApiClientTool,
): Promise<ClientOAuth> {
  const toolName = TOOL_NAMES[tool];
  const no = (why: string) => refuse(toolName, conn.name, why);
  if (conn.type !== 'client_credentials' && conn.type !== 'password')
    throw no(GRANT_REFUSALS[conn.type] ?? `is a ${descriptorOf(conn).label} connection.`);
  const shared = sharedRefusal(conn);
  if (shared) throw no(shared);
  if (conn.ssl.enabled)
    throw no(
      `uses an SSL Connection (client certificate or truststore), which a ${toolName} export cannot carry.`,
    );
  const method: ClientAuthAsSent = clientAuthOf(conn.client);
  if (method === 'private_key_jwt' || method === 'client_secret_jwt')
    throw no(`authenticates with ${method}: ${toolName} cannot sign the client assertion.`);
  if (method === 'omitted') throw no(`has no Client ID, which ${toolName}'s OAuth 2.0 requires.`);
  const member = /^\$\.([A-Za-z_][\w-]*)$/.exec(conn.tokenPath)?.[1];
  const members = tool === 'bruno' ? ['access_token', 'id_token'] : ['access_token'];
  if (!member || !members.includes(member))
    throw no(
      `uses the token path ${conn.tokenPath}: ${toolName} uses ${members.map((m) => `$.${m}`).join(' or ')} only (default ${DEFAULT_TOKEN_PATH}).`,
    );

  const { prepared } = await prepareForExport(conn);
  const notes: string[] = [];
  const secrets: SecretVariable[] = [];
  const valueOf = (value: string): FormValue => {
    const secret = SECRET_PLACEHOLDER.exec(value)?.[1];
    if (secret !== undefined) {
      const known = SECRET_VARIABLES[secret];
      if (!known) throw no(`sends the secret ${secret}, which ${toolName} has no field for.`);
      if (!secrets.some((s) => s.variable === known.variable)) secrets.push(known);
      return { variable: known.variable };
    }
    if (ANY_PLACEHOLDER.test(value))
      throw no(`sends a value made at run time, which ${toolName} cannot make.`);
    if (TEMPLATE_MARKERS[tool].test(value))
      throw no(
        `has a value with ${tool === 'insomnia' ? '{{, {% or {#' : '{{'} in it (${JSON.stringify(value)}), which ${toolName} reads as a variable: it would not send it as it is.`,
      );
    return value;
  };
  const form = prepared.form.map(([k, v]): [string, FormValue] => [k, valueOf(v)]);
  const basic = prepared.clientAuth.basic;
  let clientAuth: ClientOAuth['clientAuth'];
  if (basic) {
    clientAuth = 'basic';
    const secret = valueOf(basic.secret);
    if (typeof secret === 'string')
      throw no('sends its Client Secret as text rather than a secret.');
    if (changedByFormEncoding(conn.client.id))
      throw no(
        `has a Client ID with characters that RFC 6749 §2.3.1 form-urlencodes in the Basic header, as Tokensmith does; ${toolName} sends it as it is. Use client_secret_post if the server accepts it.`,
      );
    const stored = conn.client.secret;
    if (stored && !isSecretReference(stored) && changedByFormEncoding(stored))
      throw no(
        `has a Client Secret with characters that RFC 6749 §2.3.1 form-urlencodes in the Basic header, as Tokensmith does; ${toolName} sends it as it is. Use client_secret_post if the server accepts it.`,
      );
    notes.push(
      `${toolName} puts client_id and client_secret in the Basic header as they are, where Tokensmith form-urlencodes them (RFC 6749 §2.3.1): the same only while they hold letters, digits and - . _ * alone.`,
    );
  } else clientAuth = form.some(([k]) => k === 'client_secret') ? 'body' : 'id-only';
  // client_secret first, then password, whatever order the form has them in.
  secrets.sort((a, b) =>
    a.variable === 'client_secret' ? -1 : b.variable === 'client_secret' ? 1 : 0,
  );
  for (const s of secrets) {
    const stored =
      s.variable === 'client_secret' ? conn.client.secret : 'password' in conn ? conn.password : '';
    const env = ENV_REFERENCE.exec(stored)?.[1];
    if (env)
      notes.push(
        `Tokensmith reads ${s.label} from $${env}: set ${s.variable} in ${toolName} to its value.`,
      );
  }
  const standard = new Set([
    'grant_type',
    'scope',
    'username',
    'password',
    'client_id',
    'client_secret',
  ]);
  const extra = form
    .filter(([k]) => !standard.has(k))
    .map(([k, v]): [string, string] => {
      if (typeof v !== 'string') throw no(`sends a secret in the parameter ${k}.`);
      return [k, v];
    });
  const literal = (name: string) => {
    const v = form.find(([k]) => k === name)?.[1];
    return typeof v === 'string' ? v : '';
  };
  const proxy = doc?.proxies.find((p) => p.name === conn.proxyAlias);
  if (proxy)
    notes.push(
      `It goes through the proxy "${proxy.name}": set ${proxy.host}:${proxy.port} in ${toolName}'s proxy settings.`,
    );
  if (conn.params.refreshParams.length)
    notes.push(
      `The refresh request's own parameters are not exported: ${toolName} refreshes in its own way.`,
    );
  if (!conn.api.baseUrl)
    notes.push('The connection has no API URL: set the variable base_url to the API to call.');
  return {
    name: conn.name,
    grant: conn.type,
    tokenUrl: valueOf(prepared.request.url) as string,
    clientId: valueOf(conn.client.id) as string,
    clientAuth,
    username: literal('username'),
    scope: literal('scope'),
    extra,
    form,
    tokenMember: member,
    apiUrl: conn.api.baseUrl ? (valueOf(conn.api.baseUrl) as string) : '',
    secrets,
    notes,
  };
}

/** A file name from a connection name: letters, digits, dot, dash and underscore only. */
export function fileSlug(name: string): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return slug || 'connection';
}
