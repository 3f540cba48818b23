/**
 * X.509 certificates: parsing PEM or DER files and describing a certificate, including its
 * `x5t` / `x5t#S256` thumbprints (RFC 7515 §4.1.7–4.1.8: base64url of the SHA-1 / SHA-256 of
 * the DER encoding), computed with Node's X509Certificate.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { CertificateInfo } from '../../../shared/certificate-info.js';
import { TokensmithError } from '../errors.js';

const PEM_CERTIFICATE =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----[\s\S]+?-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** Every certificate in a PEM bundle or a single DER certificate. */
export function parseCertificates(data: Buffer | string, source = 'the file'): X509Certificate[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const pems = text.match(PEM_CERTIFICATE);
  if (pems) {
    return pems.map((pem, i) => {
      try {
        return new X509Certificate(pem);
      } catch (cause) {
        throw new TokensmithError(
          'keystore_corrupt',
          `Certificate ${i + 1} in ${source} is damaged and cannot be read.`,
          { cause },
        );
      }
    });
  }
  if (typeof data !== 'string' && data.length > 0 && data[0] === 0x30) {
    try {
      return [new X509Certificate(data)];
    } catch (cause) {
      throw new TokensmithError(
        'keystore_corrupt',
        `${capitalise(source)} is not a valid DER certificate.`,
        { cause },
      );
    }
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new TokensmithError(
      'keystore_corrupt',
      `${capitalise(source)} holds a private key but no certificate.`,
    );
  }
  throw new TokensmithError(
    'keystore_corrupt',
    `${capitalise(source)} is not a certificate (expected PEM "-----BEGIN CERTIFICATE-----" or DER).`,
  );
}

/** The first certificate of a .cer/.crt/.pem/.der file. */
export function parseCertificate(data: Buffer | string, source?: string): X509Certificate {
  const [first] = parseCertificates(data, source);
  return first as X509Certificate;
}

export function x5t(cert: X509Certificate): string {
  return createHash('sha1').update(cert.raw).digest('base64url');
}

export function x5tS256(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}

export function isExpired(cert: X509Certificate, now = Date.now()): boolean {
  return Date.parse(cert.validTo) < now;
}

export function describeCertificate(cert: X509Certificate, now = Date.now()): CertificateInfo {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const info: CertificateInfo = {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    expired: notAfter.getTime() < now,
    notYetValid: notBefore.getTime() > now,
    selfSigned: cert.subject === cert.issuer && cert.verify(key),
    keyType: keyTypeLabel(key.asymmetricKeyType),
    sha1Fingerprint: cert.fingerprint,
    sha256Fingerprint: cert.fingerprint256,
    x5t: x5t(cert),
    x5tS256: x5tS256(cert),
  };
  if (details.modulusLength) info.keySize = details.modulusLength;
  if (details.namedCurve) info.curve = details.namedCurve;
  return info;
}

/** How messages name a certificate: its subject's `CN=…` (its whole name without one) and issuer. */
export function certificateNames(cert: X509Certificate): { subject: string; issuer: string } {
  const cn = cert.subject.split('\n').find((rdn) => rdn.startsWith('CN='));
  return { subject: cn ?? distinguishedName(cert.subject), issuer: distinguishedName(cert.issuer) };
}

export function toPem(cert: X509Certificate): string {
  return cert.toString();
}

function keyTypeLabel(type: string | undefined): string {
  switch (type) {
    case 'rsa':
      return 'RSA';
    case 'rsa-pss':
      return 'RSA-PSS';
    case 'ec':
      return 'EC';
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return type ?? 'unknown';
  }
}

/** Node prints one RDN per line; show them as `CN=…, O=…`. */
function distinguishedName(multiline: string): string {
  return multiline.split('\n').filter(Boolean).join(', ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
