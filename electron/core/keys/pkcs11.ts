/**
 * PKCS#11 keystores: the keys and certificates of a token (a smart card, an HSM, SoftHSM2) as
 * aliases, signing on the token. Loaded through pkcs11js, a Node-API binding over the module's
 * C_* functions, required on first use (a token request without a PKCS#11 keystore never loads
 * it). The PIN logs the session in and is not kept here; messages never carry it.
 *
 * Signing (RFC 7518): RS* with CKM_SHA*_RSA_PKCS, PS* with CKM_SHA*_RSA_PKCS_PSS (MGF1 of the
 * same hash, salt as long as the hash), ES256/ES384 with CKM_ECDSA over the SHA-256/384 digest,
 * whose output (R || S, each as long as the curve) is already the JWS form.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as Pkcs11Js from 'pkcs11js';
import { TokensmithError } from '../errors.js';
import { orderChain, type KeyEntry, type Keystore } from './model.js';
import { describeUri, parsePkcs11Uri, type Pkcs11Uri } from './pkcs11-uri.js';
import { registerTokenKey } from './token-keys.js';

type Binding = typeof Pkcs11Js;
let binding: Binding | Error | undefined;

function pkcs11js(): Binding {
  if (!binding) {
    try {
      // A native addon: required, not bundled (the CLI bundle keeps it external).
      binding = createRequire(import.meta.url)('pkcs11js') as Binding;
    } catch (e) {
      binding = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (binding instanceof Error)
    throw new TokensmithError(
      'unsupported',
      `PKCS#11 keystores are not available here: the pkcs11js binding cannot be loaded (${binding.message.split('\n')[0]}).`,
    );
  return binding;
}

/** Loaded and initialised modules, by path: C_Initialize runs once per process. */
const modules = new Map<string, Pkcs11Js.PKCS11>();

/** The PKCS#11 return value's name (CKR_PIN_INCORRECT…) of a pkcs11js error, else ''. */
function ckr(e: unknown): string {
  const m = /^(CKR_\w+)/.exec(e instanceof Error ? e.message : '');
  return m?.[1] ?? '';
}

function openModule(path: string, label: string): Pkcs11Js.PKCS11 {
  if (!path)
    throw new TokensmithError(
      'invalid_input',
      `${label} needs its PKCS#11 module (--module PATH).`,
      {
        field: 'module',
      },
    );
  const file = resolve(path);
  const cached = modules.get(file);
  if (cached) return cached;
  try {
    if (!statSync(file).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TokensmithError(
      'not_found',
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `The PKCS#11 module of ${label} is missing: ${file}`
        : `The PKCS#11 module of ${label} is not a readable file (${code ?? 'error'}): ${file}`,
      { field: 'module' },
    );
  }
  const { PKCS11, CKR_CRYPTOKI_ALREADY_INITIALIZED } = pkcs11js();
  const module = new PKCS11();
  try {
    module.load(file);
  } catch (e) {
    throw new TokensmithError(
      'invalid_input',
      `The PKCS#11 module of ${label} cannot be loaded: ${(e as Error).message.split('\n')[0]}`,
      { field: 'module' },
    );
  }
  try {
    module.C_Initialize();
  } catch (e) {
    if ((e as { code?: number }).code !== CKR_CRYPTOKI_ALREADY_INITIALIZED)
      throw new TokensmithError(
        'invalid_input',
        `The PKCS#11 module of ${label} failed to start (${ckr(e) || 'C_Initialize failed'}): ${file}`,
        { field: 'module' },
      );
  }
  modules.set(file, module);
  return module;
}

const trimmed = (s: string) => s.replace(/[\s\0]+$/, '');

function findSlot(p: Pkcs11Js.PKCS11, uri: Pkcs11Uri, label: string, file: string): Buffer {
  const seen: string[] = [];
  for (const slot of p.C_GetSlotList(true)) {
    const info = p.C_GetTokenInfo(slot);
    const tokenLabel = trimmed(info.label);
    if (tokenLabel) seen.push(`"${tokenLabel}"`);
    if (uri.token !== undefined && tokenLabel !== uri.token) continue;
    if (uri.serial !== undefined && trimmed(info.serialNumber) !== uri.serial) continue;
    if (uri.manufacturer !== undefined && trimmed(info.manufacturerID) !== uri.manufacturer)
      continue;
    if (uri.model !== undefined && trimmed(info.model) !== uri.model) continue;
    if (uri.slotId !== undefined && slot.readUIntLE(0, Math.min(6, slot.length)) !== uri.slotId)
      continue;
    return slot;
  }
  throw new TokensmithError(
    'not_found',
    `${label}: no token with ${describeUri(uri)} in the PKCS#11 module ${file} (tokens: ${seen.join(', ') || 'none'}).`,
    { field: 'path' },
  );
}

function login(p: Pkcs11Js.PKCS11, session: Buffer, pin: string, label: string): void {
  const { CKU_USER, CKR_USER_ALREADY_LOGGED_IN } = pkcs11js();
  try {
    p.C_Login(session, CKU_USER, pin);
  } catch (e) {
    if ((e as { code?: number }).code === CKR_USER_ALREADY_LOGGED_IN) {
      // Another keystore of this process logged the token in: check this PIN all the same.
      p.C_Logout(session);
      return login(p, session, pin, label);
    }
    const code = ckr(e);
    const why =
      code === 'CKR_PIN_INCORRECT' || code === 'CKR_PIN_LEN_RANGE'
        ? 'the PIN (its password) is wrong'
        : code === 'CKR_PIN_LOCKED'
          ? 'the token PIN is locked (too many wrong PINs)'
          : code === 'CKR_PIN_EXPIRED'
            ? 'the token PIN has expired'
            : `the token refused the login (${code || 'C_Login failed'})`;
    throw new TokensmithError('keystore_password', `Cannot open ${label}: ${why}.`, {
      field: 'password',
    });
  }
}

interface TokenObject {
  handle: Buffer;
  label: string;
  id: Buffer;
}

function findObjects(p: Pkcs11Js.PKCS11, session: Buffer, template: Pkcs11Js.Template) {
  p.C_FindObjectsInit(session, template);
  try {
    return p.C_FindObjects(session, 1000);
  } finally {
    p.C_FindObjectsFinal(session);
  }
}

function objectsOf(p: Pkcs11Js.PKCS11, session: Buffer, cls: number, uri: Pkcs11Uri) {
  const { CKA_CLASS, CKA_LABEL, CKA_ID } = pkcs11js();
  const template: Pkcs11Js.Template = [{ type: CKA_CLASS, value: cls }];
  if (uri.object !== undefined) template.push({ type: CKA_LABEL, value: uri.object });
  if (uri.id !== undefined) template.push({ type: CKA_ID, value: uri.id });
  return findObjects(p, session, template).map((handle): TokenObject => {
    const [l, i] = p.C_GetAttributeValue(session, handle, [{ type: CKA_LABEL }, { type: CKA_ID }]);
    return { handle, label: l?.value.toString('utf8') ?? '', id: i?.value ?? Buffer.alloc(0) };
  });
}

const CURVES: Record<string, { crv: 'P-256' | 'P-384'; size: number }> = {
  '06082a8648ce3d030107': { crv: 'P-256', size: 32 },
  '06052b81040022': { crv: 'P-384', size: 48 },
};

/** The EC point's X and Y from CKA_EC_POINT: DER OCTET STRING of 04||X||Y, or the raw point. */
function pointXY(point: Buffer, size: number): { x: string; y: string } | undefined {
  let raw = point;
  if (point.length !== 2 * size + 1) {
    const lengthBytes = point[1] === 0x81 ? 2 : 1;
    raw = point.subarray(1 + lengthBytes);
  }
  if (raw.length !== 2 * size + 1 || raw[0] !== 0x04) return undefined;
  return {
    x: raw.subarray(1, 1 + size).toString('base64url'),
    y: raw.subarray(1 + size).toString('base64url'),
  };
}

const same = (a: TokenObject, b: TokenObject) =>
  a.id.length > 0 || b.id.length > 0 ? a.id.equals(b.id) : a.label === b.label;

/** The public half of a private key object, from its own attributes, its public key or its cert. */
function publicKeyOf(
  p: Pkcs11Js.PKCS11,
  session: Buffer,
  key: TokenObject,
  publics: TokenObject[],
  cert: X509Certificate | undefined,
): KeyObject | undefined {
  const b = pkcs11js();
  const [type] = p.C_GetAttributeValue(session, key.handle, [{ type: b.CKA_KEY_TYPE }]);
  const keyType = type?.value.readUIntLE(0, Math.min(6, type.value.length));
  if (keyType === b.CKK_RSA) {
    const [n, e] = p.C_GetAttributeValue(session, key.handle, [
      { type: b.CKA_MODULUS },
      { type: b.CKA_PUBLIC_EXPONENT },
    ]);
    if (n?.value.length && e?.value.length)
      return createPublicKey({
        key: { kty: 'RSA', n: n.value.toString('base64url'), e: e.value.toString('base64url') },
        format: 'jwk',
      });
  }
  if (keyType === b.CKK_EC) {
    const [params] = p.C_GetAttributeValue(session, key.handle, [{ type: b.CKA_EC_PARAMS }]);
    const curve = CURVES[params?.value.toString('hex') ?? ''];
    const pub = publics.find((o) => same(o, key));
    if (curve && pub) {
      const [point] = p.C_GetAttributeValue(session, pub.handle, [{ type: b.CKA_EC_POINT }]);
      const xy = point && pointXY(point.value, curve.size);
      if (xy) return createPublicKey({ key: { kty: 'EC', crv: curve.crv, ...xy }, format: 'jwk' });
    }
  }
  return cert?.publicKey;
}

const HASH_BITS: Record<string, number> = { '256': 256, '384': 384, '512': 512 };

function signerFor(
  p: Pkcs11Js.PKCS11,
  holder: { session: Buffer },
  key: TokenObject,
  publicKey: KeyObject,
  label: string,
) {
  const b = pkcs11js();
  const rsa = publicKey.asymmetricKeyType === 'rsa';
  const size = rsa
    ? (publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8
    : publicKey.asymmetricKeyDetails?.namedCurve === 'secp384r1'
      ? 96
      : 64;
  return (alg: string, data: Buffer): Buffer => {
    const bits = HASH_BITS[alg.slice(2)];
    const family = alg.slice(0, 2);
    let mechanism: Pkcs11Js.Mechanism;
    let input = data;
    if (rsa && bits && family === 'RS') {
      mechanism = { mechanism: b[`CKM_SHA${bits}_RSA_PKCS` as 'CKM_SHA256_RSA_PKCS'] };
    } else if (rsa && bits && family === 'PS') {
      mechanism = {
        mechanism: b[`CKM_SHA${bits}_RSA_PKCS_PSS` as 'CKM_SHA256_RSA_PKCS_PSS'],
        parameter: {
          type: b.CK_PARAMS_RSA_PSS,
          hashAlg: b[`CKM_SHA${bits}` as 'CKM_SHA256'],
          mgf: b[`CKG_MGF1_SHA${bits}` as 'CKG_MGF1_SHA256'],
          saltLen: bits / 8,
        } as Pkcs11Js.RsaPSS,
      };
    } else if (!rsa && bits && family === 'ES' && size === (bits / 8) * 2) {
      mechanism = { mechanism: b.CKM_ECDSA };
      input = createHash(`sha${bits}`).update(data).digest();
    } else {
      throw new TokensmithError(
        'key_algorithm',
        `The token key "${key.label}" in ${label} cannot sign ${alg}: it signs RS256/PS256 (RSA) or ES256 (EC P-256).`,
      );
    }
    try {
      p.C_SignInit(holder.session, mechanism, key.handle);
      return Buffer.from(p.C_Sign(holder.session, input, Buffer.alloc(size)));
    } catch (e) {
      throw new TokensmithError(
        'keystore_no_key',
        `The token of ${label} did not sign with "${key.label}" (${ckr(e) || 'C_Sign failed'}).`,
      );
    }
  };
}

/** Closes a keystore's session once none of its keys can be reached any more. */
const sessions = new FinalizationRegistry<{ p: Pkcs11Js.PKCS11; session: Buffer }>(
  ({ p, session }) => {
    try {
      p.C_CloseSession(session);
    } catch {
      // The module may be finalised already at exit.
    }
  },
);

export interface Pkcs11Source {
  /** The RFC 7512 URI: `pkcs11:token=LABEL;object=KEY`. */
  uri: string;
  /** The module (shared library) path. */
  module: string;
  /** The token's user PIN. */
  pin: string;
  label: string;
}

/**
 * Opens the token the URI names with the PIN, and reads its keys and certificates (only those of
 * `object=` / `id=` when the URI names one) into aliases: a private key's label (its CKA_ID in
 * hex when it has none) with the certificate of the same CKA_ID; certificates without a key are
 * aliases of their own. Every failure is a TokensmithError with a one-line message.
 */
export function loadPkcs11Keystore(source: Pkcs11Source): Keystore {
  const { label } = source;
  const uri = parsePkcs11Uri(source.uri);
  const p = openModule(source.module, label);
  const b = pkcs11js();
  const slot = findSlot(p, uri, label, resolve(source.module));
  const session = p.C_OpenSession(slot, b.CKF_SERIAL_SESSION);
  const holder = { session };
  try {
    login(p, session, source.pin, label);
  } catch (e) {
    p.C_CloseSession(session);
    throw e;
  }
  const want = (t: NonNullable<Pkcs11Uri['type']>) => uri.type === undefined || uri.type === t;
  const keys = want('private') ? objectsOf(p, session, b.CKO_PRIVATE_KEY, uri) : [];
  const publics = objectsOf(p, session, b.CKO_PUBLIC_KEY, { ...uri, type: undefined });
  const certs = (want('cert') ? objectsOf(p, session, b.CKO_CERTIFICATE, uri) : []).map((o) => {
    const [value] = p.C_GetAttributeValue(session, o.handle, [{ type: b.CKA_VALUE }]);
    return { ...o, cert: new X509Certificate(value?.value ?? Buffer.alloc(0)) };
  });
  const entries: KeyEntry[] = [];
  const used = new Set<unknown>();
  for (const key of keys) {
    const mine = certs.filter((c) => same(c, key));
    mine.forEach((c) => used.add(c));
    const publicKey = publicKeyOf(p, session, key, publics, mine[0]?.cert);
    const alias = key.label || key.id.toString('hex');
    if (!publicKey) {
      entries.push({
        alias,
        chain: mine.map((c) => c.cert),
        keyError: new TokensmithError(
          'key_algorithm',
          `The token key "${alias}" in ${label} is neither RSA nor EC P-256/P-384 with a readable public key.`,
        ),
      });
      continue;
    }
    registerTokenKey(publicKey, signerFor(p, holder, key, publicKey, label));
    // A token key is its public KeyObject (token-keys.ts): the key that signs through the token.
    entries.push({
      alias,
      chain: orderChain(
        mine.map((c) => c.cert),
        publicKey,
      ),
      privateKey: publicKey,
    });
  }
  for (const c of certs.filter((c) => !used.has(c)))
    entries.push({ alias: c.label || c.id.toString('hex'), chain: [c.cert] });
  if (entries.length === 0) {
    p.C_CloseSession(session);
    const what =
      uri.object !== undefined ? `labelled "${uri.object}"` : uri.id ? 'with that id' : '';
    throw new TokensmithError(
      'alias_not_found',
      `${label}: the token ${describeUri(uri).replace(/^token /, '')} has no key or certificate ${what}`.trim() +
        '.',
      { field: 'path' },
    );
  }
  sessions.register(holder, { p, session });
  return { kind: 'pkcs11', entries };
}
