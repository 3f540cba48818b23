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
    // Every element an object (text in #text), each with where it starts: the notes name lines.
    alwaysCreateTextNode: true,
    captureMetaData: true,
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
  return toElement(root, lineFinder(xml));
}

/** The line of a parsed node, from the start index fast-xml-parser records (captureMetaData). */
function lineFinder(xml: string): (node: object) => number | undefined {
  const starts = [0];
  for (let i = xml.indexOf('\n'); i !== -1; i = xml.indexOf('\n', i + 1)) starts.push(i + 1);
  const symbol = XMLParser.getMetaDataSymbol() as unknown as symbol;
  return (node) => {
    const index = (node as Record<symbol, { startIndex?: number } | undefined>)[symbol]?.startIndex;
    if (index === undefined) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
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
  `<${kind}${el?.attrs.id ? ` id="${el.attrs.id}"` : el?.attrs.name ? ` name="${el.attrs.name}"` : ''}>`;

/** `line N: `, where an element starts, before a note about it. */
export const at = (el: XmlElement | undefined) => (el?.line ? `line ${el.line}: ` : '');

export class ServerXmlIndex {
  readonly notes: string[] = [];
  readonly byId = new Map<string, { kind: string; el: XmlElement }>();
  readonly used = new Set<XmlElement>();

  constructor(readonly server: XmlElement) {
    for (const [kind, list] of Object.entries(server.children)) {
      if (!(kind in KNOWN)) {
        const hint =
          kind === 'keyStore' || kind === 'ssl'
            ? ': import the keystore itself on the Keystores page, with the same name'
            : '';
        for (const el of list) this.unmapped(kind, el, `is not used by Tokensmith${hint}`);
        continue;
      }
      for (const el of list) this.#scan(kind, el);
    }
  }

  /** A note for an element that was not imported: where it is, what it is, and why. */
  unmapped(kind: string, el: XmlElement, why: string): void {
    const text = `${why.startsWith(':') ? '' : ' '}${why}${/[.:]$/.test(why) ? '' : '.'}`;
    this.notes.push(`${at(el)}${label(kind, el)}${text}`);
  }

  #scan(kind: string, el: XmlElement): void {
    const where = label(kind, el);
    for (const attr of Object.keys(el.attrs))
      if (!KNOWN[kind]?.includes(attr))
        this.notes.push(`${at(el)}${where}: attribute ${attr} is not imported.`);
    for (const [child, items] of Object.entries(el.children)) {
      if (!CHILDREN[kind]?.includes(child)) {
        for (const item of items)
          this.notes.push(`${at(item)}${where}: <${child}> is not imported.`);
        continue;
      }
      for (const item of items)
        for (const attr of Object.keys(item.attrs))
          if (!(KNOWN[child] ?? []).includes(attr))
            this.notes.push(`${at(item)}${where} <${child}>: attribute ${attr} is not imported.`);
    }
    const id = el.attrs.id;
    if (id) this.byId.set(id, { kind, el });
    else if (!ROOTS.has(kind))
      this.unmapped(kind, el, 'has no id, so nothing can refer to it; not imported');
  }

  /**
   * The element a reference names: by its exact id, else the one element whose id differs only
   * in case (seed 002 refers to `myOAuthConfig` and defines `myoAuthConfig`), taken as the one
   * meant, with a note: the re-export writes the reference as the element's id.
   */
  find(
    id: string,
    from: string,
    kinds?: readonly string[],
    attr = 'the reference',
  ): { kind: string; el: XmlElement } | undefined {
    const exact = this.byId.get(id);
    if (exact) return exact;
    const lower = id.toLowerCase();
    const similar = [...this.byId.entries()].filter(
      ([other, { kind }]) => other.toLowerCase() === lower && (!kinds || kinds.includes(kind)),
    );
    if (similar.length !== 1) return undefined;
    const [other, found] = similar[0]!;
    this.notes.push(
      `${from} refers to "${id}", which is not in the file; ${label(found.kind, found.el)}${found.el.line ? ` (line ${found.el.line})` : ''} differs only in case and is taken as the one meant (z/OS Connect may not find it: correct the reference). The re-export writes ${attr} "${other}".`,
    );
    return found;
  }

  /**
   * The element `id` refers to, if it is of the expected kind. A reference to an element the
   * file lacks is reported; the caller keeps its id, so the re-export writes the element under it.
   */
  lookup(id: string | undefined, kind: string, from: string): XmlElement | undefined {
    if (!id) return undefined;
    const found = this.find(id, from, [kind]);
    if (!found) {
      this.notes.push(
        `${from} refers to ${kind} "${id}", which is not in the file (documentation examples often show only part of a configuration: add the element, or complete the connection after the import; the re-export writes it with this id).`,
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

  /** `ref` when it names no element of the file (its id is kept for the re-export). */
  missing(ref: string | undefined): string | undefined {
    const lower = ref?.trim().toLowerCase();
    if (!lower || [...this.byId.keys()].some((id) => id.toLowerCase() === lower)) return undefined;
    return ref!.trim();
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
