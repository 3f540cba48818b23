/**
 * PKCS#11 URIs (RFC 7512): `pkcs11:token=LABEL;object=KEY`, naming a token and, optionally, one
 * object on it. Values are percent-decoded (§2.3); the path attributes Tokensmith selects by are
 * token, manufacturer, model, serial, slot-id, object, id and type. A PIN never goes in the URI
 * (`pin-value`, `pin-source` are refused): it is the keystore's password, kept sealed like any
 * other.
 */
import { TokensmithError } from '../errors.js';

export interface Pkcs11Uri {
  token?: string;
  manufacturer?: string;
  model?: string;
  serial?: string;
  slotId?: number;
  object?: string;
  /** CKA_ID, raw bytes. */
  id?: Buffer;
  type?: 'private' | 'public' | 'cert' | 'secret-key' | 'data';
}

const PATH_ATTRIBUTES = new Set([
  'token',
  'manufacturer',
  'model',
  'serial',
  'slot-id',
  'object',
  'id',
  'type',
  'library-manufacturer',
  'library-description',
  'library-version',
  'slot-manufacturer',
  'slot-description',
]);
const TYPES = new Set(['private', 'public', 'cert', 'secret-key', 'data']);

function bad(uri: string, why: string): TokensmithError {
  return new TokensmithError('invalid_input', `Not a PKCS#11 URI (${why}): ${uri}`, {
    field: 'path',
  });
}

function decode(uri: string, value: string): Buffer {
  if (/%(?![0-9a-fA-F]{2})/.test(value)) throw bad(uri, 'a % not followed by two hex digits');
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '%') {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(value[i] as string));
  }
  return Buffer.from(bytes);
}

/** Parses a `pkcs11:` URI; a malformed one, or one carrying a PIN, is a one-line error. */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (!/^pkcs11:/i.test(uri)) throw bad(uri, 'it must start with pkcs11:');
  const [path = '', query = ''] = uri.slice('pkcs11:'.length).split('?', 2);
  const out: Pkcs11Uri = {};
  const seen = new Set<string>();
  for (const part of path.split(';').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 1) throw bad(uri, `"${part}" is not name=value`);
    const name = part.slice(0, eq).toLowerCase();
    const raw = part.slice(eq + 1);
    if (!PATH_ATTRIBUTES.has(name)) throw bad(uri, `unknown attribute "${name}"`);
    if (seen.has(name)) throw bad(uri, `"${name}" given twice`);
    seen.add(name);
    const value = decode(uri, raw);
    const text = value.toString('utf8');
    if (name === 'token') out.token = text;
    else if (name === 'manufacturer') out.manufacturer = text;
    else if (name === 'model') out.model = text;
    else if (name === 'serial') out.serial = text;
    else if (name === 'object') out.object = text;
    else if (name === 'id') out.id = value;
    else if (name === 'slot-id') {
      if (!/^\d+$/.test(text)) throw bad(uri, 'slot-id is a number');
      out.slotId = Number(text);
    } else if (name === 'type') {
      if (!TYPES.has(text)) throw bad(uri, `type is one of ${[...TYPES].join(', ')}`);
      out.type = text as Pkcs11Uri['type'];
    }
  }
  for (const part of query.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (name === 'pin-value' || name === 'pin-source')
      throw new TokensmithError(
        'invalid_input',
        'A PKCS#11 URI for Tokensmith carries no PIN: leave pin-value/pin-source out; the PIN is the keystore password (prompted, or --password-env VAR).',
        { field: 'path' },
      );
    // A library named inside a URI would be loaded on the URI's word: the module is given apart
    // (--module), and a shared file's module is a binding the user confirms.
    if (name === 'module-path' || name === 'module-name')
      throw new TokensmithError(
        'invalid_input',
        'Give the PKCS#11 module with --module PATH, not as module-path/module-name in the URI.',
        { field: 'path' },
      );
  }
  if (out.token === undefined && out.serial === undefined && out.slotId === undefined)
    throw bad(uri, 'it names no token: add token=LABEL');
  return out;
}

/** The URI without anything secret, for messages (Tokensmith refuses URIs with a PIN anyway). */
export function describeUri(uri: Pkcs11Uri): string {
  const parts: string[] = [];
  if (uri.token !== undefined) parts.push(`token "${uri.token}"`);
  if (uri.serial !== undefined) parts.push(`serial ${uri.serial}`);
  if (uri.slotId !== undefined) parts.push(`slot ${uri.slotId}`);
  return parts.join(', ');
}
