/**
 * PKCS#12 (.p12/.pfx) with node-forge. forge decrypts the bags (including OpenSSL 3's
 * PBES2/AES defaults); keys and certificates are then handed to Node's crypto as DER, which
 * also covers EC keys that forge itself cannot represent.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
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

/** Runs `work` with forge's key derivations refusing more than MAX_PKCS12_ITERATIONS. */
function withIterationLimit<T>(work: () => T): T {
  const forge = forgeLibrary();
  // forge looks these up on its module objects at each call; the loading is synchronous, so the
  // bound is in place for exactly this file.
  const holders: Array<[Record<string, unknown>, string, number]> = [
    [forge.pkcs12 as unknown as Record<string, unknown>, 'generateKey', 3],
    [(forge.pki as unknown as { pbe: Record<string, unknown> }).pbe, 'generatePkcs12Key', 3],
    [forge.pkcs5 as unknown as Record<string, unknown>, 'pbkdf2', 2],
  ];
  const originals = holders.map(([holder, name]) => holder[name] as Kdf);
  holders.forEach(([holder, name, countAt], i) => {
    const original = originals[i] as Kdf;
    holder[name] = (...args: unknown[]) => {
      const count = Number(args[countAt]);
      if (!(count <= MAX_PKCS12_ITERATIONS)) throw new IterationLimit(count);
      return original(...args);
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
