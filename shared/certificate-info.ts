/** What Tokensmith shows about a certificate and about each alias of a keystore. */

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  expired: boolean;
  notYetValid: boolean;
  selfSigned: boolean;
  keyType: string;
  /** RSA modulus length in bits. */
  keySize?: number;
  /** EC named curve, e.g. prime256v1. */
  curve?: string;
  /** Upper-case hex with colons, as `openssl x509 -fingerprint` prints it. */
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  /** base64url SHA-1 of the DER (RFC 7515 §4.1.7). */
  x5t: string;
  /** base64url SHA-256 of the DER (RFC 7515 §4.1.8). */
  x5tS256: string;
}

export interface KeystoreAliasInfo {
  alias: string;
  hasPrivateKey: boolean;
  /** The leaf certificate; absent only for a key without a certificate. */
  certificate?: CertificateInfo;
  chainLength: number;
}
