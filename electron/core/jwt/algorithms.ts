/**
 * The JWS algorithm follows the key (DESIGN: RS256 for RSA, PS256 selectable; ES256/384/512 by
 * curve; EdDSA for Ed25519). A chosen algorithm that the key cannot make is refused.
 */
import type { KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';

const EC_CURVE_ALG: Record<string, JwsAlgorithm> = {
  prime256v1: 'ES256',
  'P-256': 'ES256',
  secp384r1: 'ES384',
  'P-384': 'ES384',
  secp521r1: 'ES512',
  'P-521': 'ES512',
};

export function defaultAlgorithm(key: KeyObject): JwsAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'EdDSA';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
      const alg = EC_CURVE_ALG[curve];
      if (alg) return alg;
      throw new TokensmithError(
        'key_algorithm',
        `EC keys on the curve ${curve} cannot sign a JWS; use P-256, P-384 or P-521.`,
      );
    }
    default:
      throw new TokensmithError(
        'key_algorithm',
        `A ${key.asymmetricKeyType ?? 'unknown'} key cannot sign a JWT; use an RSA, EC or Ed25519 key.`,
      );
  }
}

/** Describes the key for messages: "RSA 2048-bit", "EC P-256". */
export function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return `EC ${d.namedCurve ?? ''}`.trim();
  if (d.modulusLength) return `${key.asymmetricKeyType?.toUpperCase()} ${d.modulusLength}-bit`;
  return key.asymmetricKeyType ?? 'unknown';
}

/** The algorithm to sign with: the selected one if the key can make it, else the key's default. */
export function resolveAlgorithm(selected: JwsAlgorithm | 'auto', key: KeyObject): JwsAlgorithm {
  if (selected === 'auto') return defaultAlgorithm(key);
  const type = key.asymmetricKeyType;
  const fits =
    (/^(RS|PS)/.test(selected) && (type === 'rsa' || type === 'rsa-pss')) ||
    (selected.startsWith('ES') &&
      type === 'ec' &&
      EC_CURVE_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''] === selected) ||
    (selected === 'EdDSA' && (type === 'ed25519' || type === 'ed448'));
  if (!fits || (type === 'rsa-pss' && selected.startsWith('RS'))) {
    throw new TokensmithError(
      'key_algorithm',
      `The algorithm ${selected} does not match the signing key (${describeKey(key)}); choose ${defaultAlgorithm(key)} or Automatic.`,
      { field: 'jwt.header.alg' },
    );
  }
  return selected;
}
