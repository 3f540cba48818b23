/**
 * What a server.xml export builds up: its elements in document order, unique ids (an imported
 * connection keeps its own), secrets as Liberty variables, the notes of what has no server.xml
 * form, and where each timeout and `sslCertsRef` goes (where the imported file had it, else where
 * Tokensmith used it). Liberty replaces every `${…}` in the file with a variable of the server
 * (`${env.NAME}` reads its environment) and has no escape for it: the only `${…}` written are the
 * secrets' variables and the `${userid}`/`${password}` of a request body; any other is refused,
 * naming the connection's field.
 */
import { XMLBuilder } from 'fast-xml-parser';
import {
  timeoutSettings,
  type Connection,
  type ZosElement,
  type ZosNetworkAttribute,
  type ZosNetworkElement,
} from '../../../../shared/connection.js';
import { ENV_REFERENCE, SECRET_PATHS } from '../../../../shared/store-model.js';
import { TokensmithError } from '../../errors.js';
import { durationSeconds, formatSeconds } from './durations.js';
import { slug } from './model.js';

export interface ServerXmlExportOptions {
  names?: string[];
  /** Write secrets in clear text (the user asked for it). */
  includeSecrets?: boolean;
  /**
   * The algorithm each keystore-signed connection's key signs with when its header says `auto`,
   * by connection id (the caller loads the keys; the export itself reads no file).
   */
  keyAlgorithms?: Record<string, string>;
}

export interface ServerXmlExport {
  xml: string;
  /** What did not map, and what the file expects to be defined elsewhere. */
  notes: string[];
  /** Liberty variables the file refers to for secrets (set them in server.env or bootstrap.properties). */
  variables: string[];
}

type Element = Record<string, unknown>;

const DEFAULT_TIMEOUTS = timeoutSettings.parse({});

/** What Liberty expands: `${` starts a variable expression anywhere in a value. */
const EXPRESSION = /\$\{[^}]{0,60}\}?/;
/** One variable, as the secrets are written (`${env.NAME}`, `${id.password}`). */
const ONE_VARIABLE = /^\$\{[^${}]+\}$/;
/** z/OS Connect's own placeholders of `tokenRequest requestBody` (seed 000). */
const BODY_PLACEHOLDERS = /\$\{(?:userid|password)\}/g;

/** Every string of a record with its path (`params.scope`, `params.resource.0`). */
function stringsOf(value: unknown, path: string, out: Array<[string, string]>): typeof out {
  if (typeof value === 'string') out.push([path, value]);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) stringsOf(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** The connection field a written expression came from, and whether it is a secret. */
function fieldOf(
  conn: Connection,
  expression: string,
): { path: string; secret: boolean } | undefined {
  const secrets = new Set<string>(SECRET_PATHS.connection);
  const wanted = expression.toLowerCase();
  const found = stringsOf(conn, '', [])
    .filter(([, v]) => v.toLowerCase().includes(wanted))
    .map(([path]) => ({ path, secret: secrets.has(path) }));
  return found.find((f) => !f.secret) ?? found[0];
}

/** Attributes as fast-xml-parser's builder wants them; empty values are left out. */
export function attrs(record: Record<string, string | undefined>): Element {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [`@_${k}`, v]),
  );
}

/** The element each role of a connection is written as. */
const ROLE_TAGS: Record<ZosElement, string> = {
  endpointConnection: 'zosconnect_endpointConnection',
  oAuthConfig: 'zosconnect_oAuthConfig',
  authorizationServer: 'zosconnect_authorizationServer',
  authData: 'zosconnect_authData',
  oAuthTokenConfig: 'zosconnect_oAuthTokenConfig',
  authToken: 'zosconnect_authToken',
  authTokenServer: 'zosconnect_authorizationServer',
  authTokenUser: 'zosconnect_authData',
  apiRequester: 'apiRequester',
};

/** The attributes that refer to other elements by id (`authenticationConfigRef`: a list). */
const REFERENCES = new Set([
  '@_authenticationConfigRef',
  '@_authServerRef',
  '@_basicAuthRef',
  '@_jwtAuthenticationTokenRef',
  '@_tokenGeneratorRef',
  '@_connectionRef',
]);

/** JSON with sorted keys: two elements built in different orders compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export class ServerXmlWriter {
  readonly notes: string[] = [];
  readonly variables: string[] = [];
  readonly #elements: Array<[string, Element]> = [];
  readonly #used = new Set<string>();
  /**
   * Imported ids, with the element they name: connections imported from one file share its
   * elements (an endpoint with several references, one server for two configurations), which
   * are written once.
   */
  readonly #shared = new Map<string, string>();
  /** Ids of the current connection written under another name, because they differ. */
  readonly #renamed = new Map<string, string>();
  /** Where the current connection's elements start. */
  #first = 0;
  /** The variables secret() wrote: the only `${…}` an element may hold besides a body's own. */
  readonly #references = new Set<string>();
  #conn: Connection | undefined;
  /** JWT builders already written (two connections may share one). */
  readonly builders = new Set<string>();

  constructor(readonly options: ServerXmlExportOptions) {}

  /** The connection whose elements follow (named when one of its values is refused). */
  begin(conn: Connection): void {
    this.#conn = conn;
    this.#renamed.clear();
    this.#first = this.#elements.length;
  }

  /** A note about a connection. */
  note(conn: Connection, text: string): void {
    this.notes.push(`"${conn.name}": ${text}`);
  }

  /**
   * The id of an element: the imported one (shared with the other connections imported from
   * the same element), else `{name}{suffix}`, made unique in the file.
   */
  id(conn: Connection, role: ZosElement, suffix: string): string {
    const imported = conn.zos.ids[role];
    const tag = ROLE_TAGS[role];
    if (imported && this.#shared.get(imported) === tag) return imported;
    if (imported && !this.#used.has(imported)) {
      this.#used.add(imported);
      this.#shared.set(imported, tag);
      return imported;
    }
    return this.unique(imported || `${slug(conn.name)}${suffix}`);
  }

  /** `wanted`, or `wanted-2`, `wanted-3`… when the file has it already. */
  unique(wanted: string): string {
    let id = wanted;
    for (let i = 2; this.#used.has(id); i++) id = `${wanted}-${i}`;
    this.#used.add(id);
    return id;
  }

  reserve(id: string): void {
    this.#used.add(id);
  }

  add(name: string, element: Element): void {
    this.#refuseExpressions(name, element);
    this.#rename(element);
    const text = canonical(element);
    // Written already for another connection imported from the same element.
    if (this.#elements.some(([n, e]) => n === name && canonical(e) === text)) return;
    const id = element['@_id'];
    const same = this.#elements.find(([n, e]) => n === name && e['@_id'] === id)?.[1];
    if (typeof id !== 'string' || !same || this.#shared.get(id) !== name) {
      this.#elements.push([name, element]);
      return;
    }
    const refs = '@_authenticationConfigRef';
    const merged = { ...element, [refs]: same[refs] };
    if (name === 'zosconnect_endpointConnection' && canonical(merged) === canonical(same)) {
      // One endpoint, several connections (seed 000): one element that refers to all of them.
      const list = `${String(same[refs] ?? '')},${String(element[refs] ?? '')}`.split(',');
      same[refs] = [...new Set(list.filter(Boolean))].join(',');
      return;
    }
    // Changed in Tokensmith since the import: this connection's own element, under a new id.
    const renamed = this.unique(id);
    this.#renamed.set(id, renamed);
    for (const [, e] of this.#elements.slice(this.#first)) this.#rename(e);
    this.#rename(element);
    this.#elements.push([name, element]);
    if (this.#conn)
      this.note(
        this.#conn,
        `its <${name} id="${id}"> differs from the one another connection imported from the same file writes, so it is written as "${renamed}".`,
      );
  }

  /** Applies the current connection's renamed ids to an element's id and references. */
  #rename(element: Element): void {
    if (!this.#renamed.size) return;
    for (const [key, value] of Object.entries(element)) {
      if (value && typeof value === 'object') this.#rename(value as Element);
      else if (typeof value === 'string' && (key === '@_id' || REFERENCES.has(key)))
        element[key] = value
          .split(',')
          .map((id) => this.#renamed.get(id) ?? id)
          .join(',');
    }
  }

  /** Refuses a `${…}` Liberty would expand, unless it is a secret's variable or a body's own. */
  #refuseExpressions(name: string, element: Element): void {
    for (const [key, value] of Object.entries(element)) {
      if (value && typeof value === 'object') {
        this.#refuseExpressions(key.startsWith('#') ? name : key, value as Element);
        continue;
      }
      if (typeof value !== 'string' || !value.includes('${')) continue;
      if (this.#references.has(value) && ONE_VARIABLE.test(value)) continue;
      const attribute = key.startsWith('@_') ? key.slice(2) : undefined;
      const text =
        name === 'tokenRequest' && attribute === 'requestBody'
          ? value.replace(BODY_PLACEHOLDERS, '')
          : value;
      const expression = EXPRESSION.exec(text)?.[0];
      if (expression === undefined) continue;
      const conn = this.#conn;
      const field = conn ? fieldOf(conn, expression) : undefined;
      const where = `server.xml <${name}${attribute ? ` ${attribute}` : ''}>`;
      const what = !field
        ? `the ${where} it would write holds ${expression}`
        : field.secret
          ? `its ${field.path} holds \${…}, written in clear text to ${where}`
          : `its ${field.path} holds ${expression}, written to ${where}`;
      const remedy = field?.secret
        ? 'export without the secrets in clear text (they become variables to set)'
        : 'remove it from the connection to export it';
      throw new TokensmithError(
        'invalid_input',
        `${conn ? `"${conn.name}": ` : ''}${what}. Liberty would replace it with a variable of the z/OS server (\${env.NAME} reads its environment), and server.xml has no way to write it as text: ${remedy}.`,
        field ? { field: field.path } : {},
      );
    }
  }

  /** A secret as a Liberty variable (`${env.NAME}` for `${env:NAME}`), or in clear when asked. */
  secret(value: string, variable: string): string {
    const ref = ENV_REFERENCE.exec(value);
    if (ref) return this.#reference(`\${env.${ref[1]}}`);
    if (value === '') return '';
    if (this.options.includeSecrets) return value;
    if (!this.variables.includes(variable)) this.variables.push(variable);
    return this.#reference(`\${${variable}}`);
  }

  #reference(variable: string): string {
    this.#references.add(variable);
    return variable;
  }

  /**
   * `connectionTimeout`, `receiveTimeout` and `sslCertsRef` of one element. An imported
   * connection writes what each element had, with the connection's current value where it was
   * taken from (the token server's, else the endpoint's); a connection made in Tokensmith writes
   * its timeouts on every element (its requests all used them) and its truststore on the token
   * servers.
   */
  network(
    conn: Connection,
    element: ZosNetworkElement,
    tokenServer: 'authorizationServer' | 'authTokenServer',
  ): Element {
    const ssl = conn.ssl.enabled ? conn.ssl.truststoreAlias || conn.ssl.keystoreAlias : '';
    const current: Record<ZosNetworkAttribute, string> = {
      connectionTimeout: formatSeconds(conn.timeouts.connectSeconds),
      receiveTimeout: formatSeconds(conn.timeouts.readSeconds),
      sslCertsRef: ssl,
    };
    const recorded = conn.zos.network;
    if (!recorded) {
      return attrs({
        connectionTimeout: current.connectionTimeout,
        receiveTimeout: current.receiveTimeout,
        sslCertsRef: element === 'endpointConnection' ? undefined : ssl,
      });
    }
    const same = (attr: ZosNetworkAttribute, text: string | undefined): boolean => {
      if (attr === 'sslCertsRef') return (text ?? '') === ssl;
      const seconds = attr === 'connectionTimeout' ? 'connectSeconds' : 'readSeconds';
      const value = text === undefined ? DEFAULT_TIMEOUTS[seconds] : durationSeconds(text);
      return value === conn.timeouts[seconds];
    };
    const out: Record<string, string | undefined> = {};
    for (const attr of ['connectionTimeout', 'receiveTimeout', 'sslCertsRef'] as const) {
      const source = ([tokenServer, 'endpointConnection'] as const).find(
        (e) => recorded[e]?.[attr] !== undefined,
      );
      let value = recorded[element]?.[attr];
      if (element === (source ?? tokenServer) && !same(attr, value)) value = current[attr];
      out[attr] = value;
    }
    return attrs(out);
  }

  finish(): ServerXmlExport {
    const builder = new XMLBuilder({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      cdataPropName: '#cdata',
      format: true,
      indentBy: '    ',
      suppressEmptyNode: true,
      suppressBooleanAttributes: false,
    });
    // One object per element keeps the document order (connection by connection).
    const body = this.#elements
      .map(([name, value]) => builder.build({ [name]: value }) as string)
      .join('');
    // The claims JSON is written exactly: the builder's indentation around its CDATA would add
    // whitespace to the text z/OS reads (JSON text never holds a raw line break in a string).
    const indented = body
      .replace(/<claims>\n\s*<!\[CDATA\[/g, '<claims><![CDATA[')
      .replace(/\]\]>\n\s*<\/claims>/g, ']]></claims>')
      .trimEnd()
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
    const header = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<!-- z/OS Connect configuration exported by Tokensmith. ${
        this.variables.length
          ? `Set these variables (server.env or bootstrap.properties): ${this.variables.map(commentSafe).join(', ')}.`
          : this.options.includeSecrets
            ? 'Secrets are written in clear text: protect this file.'
            : 'No secrets are written.'
      } -->`,
    ].join('\n');
    return {
      xml: `${header}\n<server>\n${indented}\n</server>\n`,
      notes: this.notes,
      variables: this.variables,
    };
  }
}

/**
 * Text inside an XML comment: `--` may not occur there (XML 1.0 §2.5), and an element ID from an
 * imported file could otherwise close the comment and add elements of its own (`x--><evil/>`).
 */
function commentSafe(text: string): string {
  return text.replace(/-(?=-)/g, '-\u200b').replace(/-$/, '-\u200b');
}
