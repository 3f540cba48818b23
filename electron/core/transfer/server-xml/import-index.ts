/**
 * A parsed server.xml, indexed for the import: every element by id, what was used, and the notes
 * — each element or attribute Tokensmith does not import, each reference that leads nowhere, each
 * secret that cannot be read — so that nothing is dropped silently.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ZosNetworkAttribute, ZosNetworkAttributes } from '../../../../shared/connection.js';
import { TokensmithError } from '../../errors.js';
import { CHILDREN, KNOWN, ROOTS, toElement, type XmlElement } from './model.js';

/** The root `<server>` element of a well-formed server.xml. */
export function parseServer(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the file is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`,
      { detail: { problems: [{ pointer: `line ${valid.err.line}`, message: valid.err.msg }] } },
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    cdataPropName: '#cdata',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
  });
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch (cause) {
    // The parser's own limits (nesting depth, entity expansion) refuse a hostile file.
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the XML cannot be read (${cause instanceof Error ? cause.message : String(cause)}).`,
      { cause },
    );
  }
  const root = parsed.server;
  if (root === undefined) {
    throw new TokensmithError(
      'invalid_input',
      'Nothing was imported: this is not a server.xml (no <server> root element).',
    );
  }
  return toElement(root);
}

/** Liberty `{xor}` encoding (securityUtility encode): base64 of the bytes XOR '_'. */
function decodePassword(value: string, where: string, notes: string[], what: string): string {
  const env = /^\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  if (env) return `\${env:${env[1]}}`;
  if (/^\$\{[^}]+\}$/.test(value)) {
    notes.push(`${where}: the ${what} is the Liberty variable ${value}; enter it in Tokensmith.`);
    return '';
  }
  if (/^\{xor\}/i.test(value)) {
    return Buffer.from(Buffer.from(value.slice(5), 'base64').map((b) => b ^ 0x5f)).toString('utf8');
  }
  if (/^\{(aes|hash)\}/i.test(value)) {
    notes.push(
      `${where}: the ${what} is ${value.slice(0, 5)}-encoded and cannot be read; enter it in Tokensmith.`,
    );
    return '';
  }
  return value;
}

export const label = (kind: string, el: XmlElement | undefined) =>
  `<${kind}${el?.attrs.id ? ` id="${el.attrs.id}"` : ''}>`;

export class ServerXmlIndex {
  readonly notes: string[] = [];
  readonly byId = new Map<string, { kind: string; el: XmlElement }>();
  readonly used = new Set<XmlElement>();

  constructor(readonly server: XmlElement) {
    for (const [kind, list] of Object.entries(server.children)) {
      if (!(kind in KNOWN)) {
        this.notes.push(
          `<${kind}> (${list.length}×) is not used by Tokensmith and was not imported${kind === 'keyStore' || kind === 'ssl' ? ': import the keystore itself on the Keystores page, with the same name' : ''}.`,
        );
        continue;
      }
      for (const el of list) this.#scan(kind, el);
    }
  }

  #scan(kind: string, el: XmlElement): void {
    const where = label(kind, el);
    for (const attr of Object.keys(el.attrs))
      if (!KNOWN[kind]?.includes(attr))
        this.notes.push(`${where}: attribute ${attr} is not imported.`);
    for (const [child, items] of Object.entries(el.children)) {
      if (!CHILDREN[kind]?.includes(child)) {
        this.notes.push(`${where}: <${child}> is not imported.`);
        continue;
      }
      for (const item of items)
        for (const attr of Object.keys(item.attrs))
          if (!(KNOWN[child] ?? []).includes(attr))
            this.notes.push(`${where} <${child}>: attribute ${attr} is not imported.`);
    }
    const id = el.attrs.id;
    if (id) this.byId.set(id, { kind, el });
    else if (!ROOTS.has(kind)) this.notes.push(`${where} has no id, so nothing can refer to it.`);
  }

  /** The element `id` refers to, if it is of the expected kind; a note when it is not there. */
  lookup(id: string | undefined, kind: string, from: string): XmlElement | undefined {
    if (!id) return undefined;
    const found = this.byId.get(id);
    if (!found) {
      this.notes.push(
        `${from} refers to ${kind} "${id}", which is not in the file (documentation examples often show only part of a configuration: add the element, or complete the connection after the import).`,
      );
      return undefined;
    }
    if (found.kind !== kind) {
      this.notes.push(
        `${from} refers to "${id}", a <${found.kind}>, where a <${kind}> is expected.`,
      );
      return undefined;
    }
    this.used.add(found.el);
    return found.el;
  }

  /** A password attribute, decoded where Liberty's encoding allows (`where` names it in notes). */
  secret(value: string | undefined, where: string, what = 'password'): string {
    return value ? decodePassword(value, where, this.notes, what) : '';
  }

  /** The password of a zosconnect_authData. */
  password(authData: XmlElement | undefined): string {
    return this.secret(authData?.attrs.password, label('zosconnect_authData', authData));
  }

  /** The network attributes an element sets, as written. */
  static network(el: XmlElement | undefined): ZosNetworkAttributes {
    const out: ZosNetworkAttributes = {};
    for (const attr of ['connectionTimeout', 'receiveTimeout', 'sslCertsRef'] as const) {
      const value: string | undefined = el?.attrs[attr as ZosNetworkAttribute];
      if (value !== undefined) out[attr] = value.trim();
    }
    return out;
  }
}
