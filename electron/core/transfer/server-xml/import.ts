/**
 * server.xml import: the elements of seeds 000–002 mapped back to connections, with a note for
 * every element and attribute that was not imported and for what the user must do next. An
 * endpoint connection's `authenticationConfigRef` (seed 000: one or more references) gives one
 * connection for its OAuth configuration, with the first authentication-server JWT beside it; a
 * JWT alone is a JWT connection; what one connection cannot send becomes a connection of its own,
 * and the notes say so.
 */
import type { ConnectionInput } from '../../../../shared/connection.js';
import { TokensmithError } from '../../errors.js';
import { EXPORT_FORMAT } from '../connections-json.js';
import { ServerXmlIndex, at, label, parseServer } from './import-index.js';
import { jwtConnection, oauthConnection, type ConnectionElements } from './import-connection.js';
import type { XmlElement } from './model.js';

export interface ServerXmlImport {
  /** A Tokensmith connections document (format tokensmith.connections) for planImport. */
  document: { format: string; version: 1; connections: ConnectionInput[] };
  notes: string[];
}

const OAUTH = 'zosconnect_oAuthConfig';
const ENDPOINT = 'zosconnect_endpointConnection';
const AUTH_TOKEN = 'zosconnect_authToken';

interface Requester {
  el: XmlElement;
  name: string;
  resource: string;
}

/**
 * `apiRequester oAuthResource` (seed 001) by the endpoint connection it names (or the only one);
 * every apiRequester that cannot be placed is reported with its line.
 */
function resourcesByEndpoint(ix: ServerXmlIndex): Map<string, Requester> {
  const out = new Map<string, Requester>();
  const endpoints = ix.server.children.zosconnect_endpointConnection ?? [];
  for (const group of ix.server.children.zosconnect_apiRequesters ?? []) {
    ix.used.add(group);
    for (const el of group.children.apiRequester ?? []) {
      const { name = '', connectionRef, oAuthResource } = el.attrs;
      const where = label('apiRequester', el);
      if (!oAuthResource) {
        ix.unmapped(
          'apiRequester',
          el,
          'sets no oAuthResource, the one attribute Tokensmith imports from it; not imported',
        );
        continue;
      }
      const ref = connectionRef?.trim();
      const target = ref
        ? (ix.find(ref, `${at(el)}${where}`, [ENDPOINT], 'connectionRef')?.el.attrs.id ?? ref)
        : endpoints.length === 1
          ? endpoints[0]?.attrs.id
          : undefined;
      if (!target) {
        ix.unmapped(
          'apiRequester',
          el,
          `: its oAuthResource "${oAuthResource}" is not imported: it names no connectionRef and the file has ${endpoints.length} endpoint connections, so it belongs to none of them`,
        );
      } else if (out.has(target)) {
        ix.unmapped(
          'apiRequester',
          el,
          `: a second oAuthResource for "${target}" is not imported (a connection has one set of resources)`,
        );
      } else out.set(target, { el, name, resource: oAuthResource });
    }
  }
  return out;
}

export function importServerXml(xml: string): ServerXmlImport {
  const ix = new ServerXmlIndex(parseServer(xml));
  const connections: ConnectionInput[] = [];
  const names = new Set<string>();
  const referenced = new Set<XmlElement>();
  const resources = resourcesByEndpoint(ix);
  const uniqueName = (wanted: string) => {
    let n = wanted;
    for (let i = 2; names.has(n); i++) n = `${wanted} (${i})`;
    names.add(n);
    return n;
  };
  const placed = new Set<Requester>();
  const add = (conn: ConnectionInput | undefined, endpoint?: XmlElement) => {
    if (!conn) return;
    const requester = endpoint?.attrs.id ? resources.get(endpoint.attrs.id) : undefined;
    if (requester) {
      placed.add(requester);
      const c = conn as unknown as {
        params?: Record<string, unknown>;
        zos: { ids: Record<string, string> };
      };
      c.params = { ...c.params, resource: [requester.resource] };
      if (requester.name) c.zos.ids.apiRequester = requester.name;
    }
    connections.push(conn);
  };
  const build = (name: string, elements: ConnectionElements) => {
    if (elements.oauth)
      add(
        oauthConnection(ix, uniqueName(name), { ...elements, oauth: elements.oauth }),
        elements.endpoint,
      );
    else if (elements.authToken)
      add(
        jwtConnection(ix, uniqueName(name), { ...elements, authToken: elements.authToken }),
        elements.endpoint,
      );
  };

  for (const endpoint of ix.server.children.zosconnect_endpointConnection ?? []) {
    ix.used.add(endpoint); // the roots: nothing refers to them
    const id = endpoint.attrs.id ?? 'endpoint';
    const from = label(ENDPOINT, endpoint);
    const found: Record<string, XmlElement[]> = { [OAUTH]: [], [AUTH_TOKEN]: [] };
    for (const ref of (endpoint.attrs.authenticationConfigRef ?? '').split(',')) {
      if (!ref.trim()) continue;
      const target = ix.find(
        ref.trim(),
        `${at(endpoint)}${from}`,
        [OAUTH, AUTH_TOKEN],
        'authenticationConfigRef',
      );
      if (!target)
        ix.notes.push(
          `${at(endpoint)}${from} refers to "${ref.trim()}", which is not in the file (documentation examples often show only part of a configuration).`,
        );
      else if (target.kind === OAUTH || target.kind === AUTH_TOKEN) {
        if (!found[target.kind]!.includes(target.el)) found[target.kind]!.push(target.el);
      } else
        ix.notes.push(
          `${at(endpoint)}${from}: authentication "${ref.trim()}" (<${target.kind}>) is not imported: Tokensmith sends an OAuth access token (zosconnect_oAuthConfig) and a JWT from an authentication server (zosconnect_authToken).`,
        );
    }
    const [oauth, ...moreOAuth] = found[OAUTH]!;
    const [firstToken, ...otherTokens] = found[AUTH_TOKEN]!;
    let authToken: XmlElement | undefined = firstToken;
    let moreTokens = otherTokens;
    for (const el of [...found[OAUTH]!, ...found[AUTH_TOKEN]!]) {
      ix.used.add(el);
      referenced.add(el);
    }
    if (
      oauth &&
      authToken &&
      (authToken.attrs.header ?? 'Authorization').toLowerCase() === 'authorization'
    ) {
      ix.notes.push(
        `${from}: ${label(AUTH_TOKEN, authToken)} sends its JWT in Authorization, which carries the OAuth access token (seed 000 asks for another header): the JWT is imported as a connection of its own.`,
      );
      moreTokens = [authToken, ...moreTokens];
      authToken = undefined;
    }
    if (!oauth && !authToken) {
      ix.unmapped(
        ENDPOINT,
        endpoint,
        'has no OAuth configuration or authentication-server JWT; not imported',
      );
      continue;
    }
    build(id, { endpoint, ...(oauth ? { oauth } : {}), ...(authToken ? { authToken } : {}) });
    for (const el of moreOAuth) {
      ix.notes.push(
        `${from}: a connection sends one OAuth access token, so ${label(OAUTH, el)} is imported as a connection of its own.`,
      );
      build(`${id}-${el.attrs.id ?? 'oauth'}`, { endpoint, oauth: el });
    }
    for (const el of moreTokens) {
      if (authToken || !oauth)
        ix.notes.push(
          `${from}: a connection sends one JWT from an authentication server, so ${label(AUTH_TOKEN, el)} is imported as a JWT connection of its own.`,
        );
      build(`${id}-${el.attrs.id ?? 'jwt'}`, { endpoint, authToken: el });
    }
  }
  for (const oauth of ix.server.children[OAUTH] ?? []) {
    if (referenced.has(oauth)) continue;
    ix.notes.push(
      `${label(OAUTH, oauth)} is not used by an endpoint connection; imported on its own.`,
    );
    ix.used.add(oauth);
    build(oauth.attrs.id ?? 'oauth', { oauth });
  }
  for (const requester of resources.values())
    if (!placed.has(requester))
      ix.unmapped(
        'apiRequester',
        requester.el,
        `: its oAuthResource "${requester.resource}" is not imported: no connection was imported from the endpoint connection it names`,
      );
  for (const { kind, el } of ix.byId.values())
    if (!ix.used.has(el)) ix.unmapped(kind, el, 'is not referred to and was not imported');
  if (connections.length === 0) {
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the file has no zosconnect_oAuthConfig with grantType client_credentials or password, and no zosconnect_authToken on an endpoint connection.${ix.notes.length ? `\n  ${ix.notes.join('\n  ')}` : ''}`,
      { detail: { notes: ix.notes } },
    );
  }
  return { document: { format: EXPORT_FORMAT, version: 1, connections }, notes: ix.notes };
}
