/**
 * Nothing is dropped silently on a round trip (issue 14, items 2, 3, 5, 7, 8): the seeds' own
 * server.xml examples, completed where they refer to elements they do not show, are imported and
 * exported again, and every element and attribute of the original is compared with its re-export
 * — equal (Liberty durations and `{xor}` passwords by value), or explained by a note that names it.
 */
import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import {
  exportServerXml,
  importServerXml,
} from '../../../electron/core/transfer/server-xml/index.js';
import { durationSeconds } from '../../../electron/core/transfer/server-xml/durations.js';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { emptyStore, type StoreDocument } from '../../../shared/store-model.js';
import {
  AUTH_TOKEN_ALONE,
  SEED_000,
  SEED_001,
  SEED_002,
  SEED_002_AS_PRINTED,
  SEED_002_KEYSTORE,
} from './seed-examples.js';

type Element = { tag: string; key: string; attrs: Record<string, string> };

/** Every element (and sub-element) of a server.xml, keyed by tag and id (apiRequester: name). */
function elements(xml: string): Element[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
  });
  const out: Element[] = [];
  const walk = (tag: string, node: unknown, parent: string) => {
    for (const item of Array.isArray(node) ? node : [node]) {
      if (!item || typeof item !== 'object') continue;
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
        if (typeof v === 'string' && k !== '#text' && k !== '#cdata') attrs[k] = v;
        else if (typeof v === 'object') walk(k, v, attrs.id ?? attrs.name ?? tag);
      }
      out.push({ tag, key: `${tag}:${attrs.id ?? attrs.name ?? parent}`, attrs });
    }
  };
  const server = (parser.parse(xml) as { server: Record<string, unknown> }).server;
  for (const [tag, node] of Object.entries(server)) walk(tag, node, 'server');
  return out;
}

const xor = (v: string) =>
  /^\{xor\}/.test(v)
    ? Buffer.from(Buffer.from(v.slice(5), 'base64').map((b) => b ^ 0x5f)).toString('utf8')
    : v;
const PRECISION: Record<string, 's' | 'm' | 'h' | 'ms'> = {
  expiresInSeconds: 's',
  expiry: 'h',
  jwkRotationTime: 'm',
  connectionTimeout: 'ms',
  receiveTimeout: 'ms',
};
function same(attr: string, a: string, b: string): boolean {
  if (attr === 'password') return xor(a) === xor(b);
  if (PRECISION[attr])
    return durationSeconds(a, PRECISION[attr]) === durationSeconds(b, PRECISION[attr]);
  return a.toLowerCase() === b.toLowerCase() || a.split(',').join() === b.split(',').join();
}

function load(xml: string): StoreDocument {
  return planImport(JSON.stringify(importServerXml(xml).document), emptyStore(), {
    allowMissingKeystores: true,
  }).document;
}

/** The differences between a file and its re-export that no note explains. */
function unexplained(xml: string): string[] {
  const imported = importServerXml(xml);
  const exported = exportServerXml(load(xml), { includeSecrets: true });
  const notes = [...imported.notes, ...exported.notes];
  const after = new Map(elements(exported.xml).map((e) => [e.key, e]));
  const out: string[] = [];
  // One note names both the element (its tag, or its id or name) and the attribute.
  const names = (note: string, e: Element) =>
    note.includes(`<${e.tag}>`) || note.includes(e.attrs.id ?? e.attrs.name ?? '\u0000');
  const explained = (e: Element, attr?: string) =>
    notes.some((note) => names(note, e) && (!attr || note.includes(attr)));
  for (const e of elements(xml)) {
    const back = after.get(e.key);
    if (!back) {
      if (!explained(e)) out.push(`${e.key} is not re-exported`);
      continue;
    }
    for (const [attr, value] of Object.entries(e.attrs)) {
      const again = back.attrs[attr];
      if (again === undefined || !same(attr, value, again)) {
        // The expiry fell back to from an expiresInSeconds of -1 is the same lifetime.
        if (attr === 'expiresInSeconds' || attr === 'expiry') continue;
        if (!explained(e, attr)) out.push(`${e.key} ${attr}="${value}" → ${again ?? '(none)'}`);
      }
    }
    for (const attr of Object.keys(back.attrs))
      if (!(attr in e.attrs) && !explained(e, attr))
        out.push(`${e.key} gains ${attr}="${back.attrs[attr]}"`);
  }
  for (const key of after.keys())
    if (!elements(xml).some((e) => e.key === key)) out.push(`${key} is new in the re-export`);
  return out;
}

describe('server.xml round trip over the seeds’ examples', () => {
  it.each([
    ['seed 000 (OAuth + authentication-server JWT)', SEED_000],
    ['seed 001 (client credentials, body, resource)', SEED_001],
    ['seed 002 (JWT authentication, jwkEnabled)', SEED_002],
    ['seed 002 with a keystore key', SEED_002_KEYSTORE],
    ['seed 002 as printed (its reference differs in case; no audiences)', SEED_002_AS_PRINTED],
    ['a zosconnect_authToken alone', AUTH_TOKEN_ALONE],
  ])('%s: every element and attribute comes back, or a note says why', (_label, xml) => {
    expect(unexplained(xml)).toEqual([]);
  });

  it('re-importing the re-export gives the same connections', () => {
    for (const xml of [
      SEED_000,
      SEED_001,
      SEED_002,
      SEED_002_KEYSTORE,
      SEED_002_AS_PRINTED,
      AUTH_TOKEN_ALONE,
    ]) {
      const first = load(xml);
      const second = load(exportServerXml(first, { includeSecrets: true }).xml);
      const strip = (d: StoreDocument) => d.connections.map((c) => ({ ...c, id: undefined }));
      expect(strip(second)).toEqual(strip(first));
    }
  });
});

describe('Liberty durations (item 2)', () => {
  const withLifetime = (attrs: string) => SEED_002.replace('expiresInSeconds="10m"', attrs);
  const minutes = (xml: string) => load(xml).connections[0]!.jwt.claims.expirationMinutes;

  it.each([
    ['expiresInSeconds="600"', 10],
    ['expiresInSeconds="600s"', 10],
    ['expiresInSeconds="10m"', 10],
    ['expiresInSeconds="1m30s"', 1.5],
    ['expiresInSeconds="1h"', 60],
    ['expiresInSeconds="-1" expiry="1h"', 60],
    ['expiresInSeconds="-1"', 120],
    ['expiry="3"', 180],
    ['', 120],
  ])('%s is %s minutes, and the re-export writes the same lifetime', (attrs, expected) => {
    const xml = withLifetime(attrs);
    expect(minutes(xml)).toBe(expected);
    const again = exportServerXml(load(xml)).xml;
    expect(again).toContain(`expiresInSeconds="${expected * 60}s"`);
    expect(minutes(again)).toBe(expected);
  });

  it('a lifetime that is not a duration, or longer than 24 h, is reported', () => {
    const bad = importServerXml(withLifetime('expiresInSeconds="soon"'));
    expect(bad.notes.join('\n')).toMatch(/expiresInSeconds="soon".* is not a Liberty duration/);
    const long = importServerXml(withLifetime('expiresInSeconds="2d"'));
    expect(long.notes.join('\n')).toMatch(
      /the expiry \(2 days\) is longer than the 24 hours Tokensmith signs an assertion for/,
    );
  });

  it('timeouts: 1m30s, bare milliseconds and seconds are read; the token server’s win', () => {
    const [conn] = load(SEED_001).connections;
    // The authorization server's (10s, 20000 ms) are the token request's: Tokensmith uses those.
    expect(conn!.timeouts).toEqual({ connectSeconds: 10, readSeconds: 20 });
    expect(conn!.zos.network?.endpointConnection).toEqual({
      connectionTimeout: '30s',
      receiveTimeout: '1m30s',
    });
    // Changed in Tokensmith: the re-export writes the new value where it came from.
    conn!.timeouts.readSeconds = 25;
    const xml = exportServerXml({ ...emptyStore(), connections: [conn!] }).xml;
    expect(xml).toMatch(/<zosconnect_authorizationServer id="paymentsAS"[^>]*receiveTimeout="25s"/);
    expect(xml).toMatch(/<zosconnect_endpointConnection id="payments"[^>]*receiveTimeout="1m30s"/);
  });
});
