/**
 * PKCS#12 (.p12/.pfx) with node-forge. forge decrypts the bags (including OpenSSL 3's
 * PBES2/AES defaults); keys and certificates are then handed to Node's crypto as DER, which
 * also covers EC keys that forge itself cannot represent.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { TokensmithError } from '../errors.js';
import { orderChain, type KeyEntry } from './keystore.js';

interface Bag {
  type: string;
  key?: forge.pki.PrivateKey | null;
  cert?: forge.pki.Certificate | null;
  asn1?: forge.asn1.Asn1;
  attributes: { friendlyName?: string[]; localKeyId?: string[] };
}

export function loadPkcs12(data: Buffer, password: string, label: string): KeyEntry[] {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (cause) {
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
