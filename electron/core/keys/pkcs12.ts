/**
 * PKCS#12 (.p12/.pfx) with node-forge. forge decrypts the bags (including OpenSSL 3's
 * PBES2/AES defaults); keys and certificates are then handed to Node's crypto as DER, which
 * also covers EC keys that forge itself cannot represent.
 */
import {
  X509Certificate,
  createHash,
  createPrivateKey,
  pbkdf2Sync,
  type KeyObject,
} from 'node:crypto';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import { TokensmithError } from '../errors.js';
import { orderChain, type KeyEntry } from './model.js';

interface Bag {
  type: string;
  key?: Forge.pki.PrivateKey | null;
  cert?: Forge.pki.Certificate | null;
  asn1?: Forge.asn1.Asn1;
  attributes: { friendlyName?: string[]; localKeyId?: string[] };
}

/**
 * The most iterations of a password-based key derivation (the MAC key, PBES2/PBKDF2 or PKCS#12
 * PBE) a PKCS#12 file may ask for. The file sets the count and nothing is authenticated before
 * the derivation runs; forge derives in JavaScript on the calling thread (about 25 µs an
 * iteration on the reference machine), so a 2.5 KB file asking for 2,000,000 held the process
 * for 67 s, and 2^31 would hold it for hours. OpenSSL writes 2048, Java 10,000; 100,000 takes
 * about 2.5 s.
 */
export const MAX_PKCS12_ITERATIONS = 100_000;

class IterationLimit extends Error {
  constructor(readonly iterations: number) {
    super('iteration limit');
  }
}

type Kdf = (...args: unknown[]) => unknown;

let loaded: typeof Forge | undefined;
/**
 * node-forge, loaded on first use (synchronously, like the parsing it serves): a command that
 * opens no PKCS#12 file, such as `tokensmith token` for a client secret, starts without it.
 */
function forgeLibrary(): typeof Forge {
  loaded ??= createRequire(import.meta.url)('node-forge') as typeof Forge;
  return loaded;
}

/** A forge message digest as node:crypto names it (`sha512/256` → `sha512-256`); forge's default. */
interface ForgeMd {
  algorithm: string;
  digestLength: number;
  blockLength: number;
}
const nodeDigest = (md: unknown): string =>
  md && typeof md === 'object'
    ? (md as ForgeMd).algorithm.replace('/', '-')
    : typeof md === 'string'
      ? md
      : 'sha1';

/** A forge byte string or buffer as bytes. */
const bytesOf = (v: unknown): Buffer =>
  Buffer.from(
    typeof v === 'string' ? v : ((v as { bytes(): string } | null | undefined)?.bytes() ?? ''),
    'binary',
  );

/**
 * forge's PBKDF2 (PBES2 keys) on node:crypto's native PBKDF2: forge derives in JavaScript when
 * the file names its PRF (OpenSSL 3 writes HMAC-SHA-256), about half of a PKCS#12 load.
 */
function nativePbkdf2(...args: unknown[]): unknown {
  const [p, s, c, dkLen, md] = args;
  // The password is the user's text: UTF-8, as OpenSSL encodes it for PBES2 (forge's own
  // derivation took only the low byte of each character, so no non-ASCII password opened).
  const password = typeof p === 'string' ? Buffer.from(p, 'utf8') : bytesOf(p);
  return pbkdf2Sync(password, bytesOf(s), Number(c), Number(dkLen), nodeDigest(md)).toString(
    'binary',
  );
}

/**
 * The PKCS#12 key derivation (RFC 7292 Appendix B.2: the MAC key, and the keys of the older
 * PBE schemes) with node:crypto's hashes, as forge's `generatePkcs12Key` computes it in
 * JavaScript; returns forge's byte buffer.
 */
function nativePkcs12Key(forge: typeof Forge, ...args: unknown[]): unknown {
  const [password, salt, id, iter, n, mdArg] = args as [
    string | null | undefined,
    unknown,
    number,
    number,
    number,
    ForgeMd | undefined,
  ];
  if (!(iter >= 1)) throw new Error('PKCS#12 key derivation iteration count must be >= 1.');
  const md = mdArg ?? { algorithm: 'sha1', digestLength: 20, blockLength: 64 };
  const name = nodeDigest(md);
  const [u, v] = [md.digestLength, md.blockLength];
  // The password as a BMPString with its two-byte terminator; none at all for no password.
  const pass =
    password === null || password === undefined
      ? Buffer.alloc(0)
      : Buffer.from(
          [...password]
            .flatMap((ch) => {
              const units: number[] = [];
              for (let k = 0; k < ch.length; k++)
                units.push(ch.charCodeAt(k) >> 8, ch.charCodeAt(k) & 0xff);
              return units;
            })
            .concat([0, 0]),
        );
  const saltBytes = bytesOf(salt);
  const fill = (source: Buffer) => {
    const out = Buffer.alloc(v * Math.ceil(source.length / v));
    for (let l = 0; l < out.length; l++) out[l] = source[l % source.length] as number;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(saltBytes), fill(pass)]);
  const parts: Buffer[] = [];
  for (let i = 1, c = Math.ceil(n / u); i <= c; i++) {
    let A = Buffer.concat([D, I]);
    for (let round = 0; round < iter; round++) A = createHash(name).update(A).digest();
    parts.push(A);
    if (i === c) break;
    // I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v bytes.
    const B = Buffer.alloc(v);
    for (let l = 0; l < v; l++) B[l] = A[l % u] as number;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let l = v - 1; l >= 0; l--) {
        const sum = (I[j + l] as number) + (B[l] as number) + carry;
        I[j + l] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return forge.util.createBuffer(Buffer.concat(parts).subarray(0, n).toString('binary'));
}

/**
 * Runs `work` with forge's key derivations on node:crypto and refusing more than
 * MAX_PKCS12_ITERATIONS.
 */
function withIterationLimit<T>(work: () => T): T {
  const forge = forgeLibrary();
  // forge looks these up on its module objects at each call; the loading is synchronous, so the
  // replacements are in place for exactly this file.
  const pkcs12Key: Kdf = (...args) => nativePkcs12Key(forge, ...args);
  const holders: Array<[Record<string, unknown>, string, number, Kdf]> = [
    [forge.pkcs12 as unknown as Record<string, unknown>, 'generateKey', 3, pkcs12Key],
    [
      (forge.pki as unknown as { pbe: Record<string, unknown> }).pbe,
      'generatePkcs12Key',
      3,
      pkcs12Key,
    ],
    [forge.pkcs5 as unknown as Record<string, unknown>, 'pbkdf2', 2, nativePbkdf2],
  ];
  const originals = holders.map(([holder, name]) => holder[name] as Kdf);
  holders.forEach(([holder, name, countAt, native], i) => {
    const original = originals[i] as Kdf;
    holder[name] = (...args: unknown[]) => {
      const count = Number(args[countAt]);
      if (!(count <= MAX_PKCS12_ITERATIONS)) throw new IterationLimit(count);
      // A callback (forge's asynchronous form) is left to forge.
      return args.some((a) => typeof a === 'function') ? original(...args) : native(...args);
    };
  });
  try {
    return work();
  } finally {
    holders.forEach(([holder, name], i) => (holder[name] = originals[i]));
  }
}

export function loadPkcs12(data: Buffer, password: string, label: string): KeyEntry[] {
  const forge = forgeLibrary();
  let p12: Forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
    p12 = withIterationLimit(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, password));
  } catch (cause) {
    if (cause instanceof IterationLimit) {
      throw new TokensmithError(
        'keystore_corrupt',
        `${label} asks for ${cause.iterations} iterations of its password-based key derivation, more than Tokensmith allows (${MAX_PKCS12_ITERATIONS}): it was not opened. Export it again with the usual count (OpenSSL writes 2048).`,
        { cause },
      );
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/Invalid password|wrong password|decrypt/i.test(message)) {
      throw new TokensmithError(
        'keystore_password',
        `Wrong password for ${label}: the PKCS#12 integrity check failed.`,
        { cause, field: 'password' },
      );
    }
    throw new TokensmithError(
      'keystore_corrupt',
      `${label} is not a readable PKCS#12 file (it may be damaged or of another format).`,
      { cause },
    );
  }

  const keys: Array<{ id: string; name?: string; key: KeyObject }> = [];
  const certs: Array<{ id?: string; name?: string; cert: X509Certificate }> = [];
  try {
    for (const safe of p12.safeContents) {
      for (const bag of safe.safeBags as Bag[]) {
        const name = bag.attributes.friendlyName?.[0];
        const localKeyId = bag.attributes.localKeyId?.[0];
        const id = localKeyId !== undefined ? forge.util.bytesToHex(localKeyId) : undefined;
        if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
          const der = bag.key
            ? forge.asn1
                .toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)))
                .getBytes()
            : bag.asn1
              ? forge.asn1.toDer(bag.asn1).getBytes()
              : undefined;
          if (der === undefined) continue;
          keys.push({
            id: id ?? name ?? `key-${keys.length + 1}`,
            ...(name ? { name } : {}),
            key: createPrivateKey({
              key: Buffer.from(der, 'binary'),
              format: 'der',
              type: 'pkcs8',
            }),
          });
        } else if (bag.type === forge.pki.oids.certBag) {
          const der = bag.cert
            ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes()
            : bag.asn1
              ? forge.asn1.toDer(bag.asn1).getBytes()
              : undefined;
          if (der === undefined) continue;
          certs.push({
            ...(id ? { id } : {}),
            ...(name ? { name } : {}),
            cert: new X509Certificate(Buffer.from(der, 'binary')),
          });
        }
      }
    }
  } catch (cause) {
    throw new TokensmithError(
      'keystore_corrupt',
      `${label} holds a key or certificate that cannot be read.`,
      {
        cause,
      },
    );
  }
  if (keys.length === 0 && certs.length === 0) {
    throw new TokensmithError('keystore_corrupt', `${label} is empty: no key and no certificate.`);
  }

  const used = new Set<X509Certificate>();
  const entries: KeyEntry[] = keys.map((k, i) => {
    const own = certs.filter((c) => c.id !== undefined && c.id === k.id);
    const others = certs.filter((c) => !own.includes(c));
    const chain = orderChain(
      [...own, ...others].map((c) => c.cert),
      k.key,
    );
    // A key's chain is its leaf plus the certificates that issued it.
    const leaf = chain[0];
    const trimmed = leaf && !leaf.checkPrivateKey(k.key) ? [] : chainFrom(chain);
    trimmed.forEach((c) => used.add(c));
    return {
      alias: k.name ?? own[0]?.name ?? (keys.length === 1 ? 'key' : `key-${i + 1}`),
      chain: trimmed,
      privateKey: k.key,
    };
  });
  // Certificates not in any key's chain are trusted-certificate entries.
  certs
    .filter((c) => !used.has(c.cert))
    .forEach((c, i) => entries.push({ alias: c.name ?? `certificate-${i + 1}`, chain: [c.cert] }));
  return entries;
}

/** The leaf and its issuers, stopping at the first certificate that is not the issuer. */
function chainFrom(ordered: X509Certificate[]): X509Certificate[] {
  const chain: X509Certificate[] = [];
  for (const cert of ordered) {
    const last = chain[chain.length - 1];
    if (last && !last.checkIssued(cert)) break;
    chain.push(cert);
  }
  return chain;
}
