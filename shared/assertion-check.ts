/** The result of checking a JWT assertion before it is sent (shown before Submit Request). */

/** `info` says what was not checked and why, without suggesting anything is wrong. */
export type FindingLevel = 'ok' | 'info' | 'warning' | 'error';

export interface AssertionFinding {
  level: FindingLevel;
  /** Stable identifier, e.g. `aud_mismatch`, `expired`, `x5t_mismatch`, `signature`. */
  code: string;
  message: string;
}

/**
 * What became of the signature: verified with the key (or secret) at hand, refused by it, or not
 * checked — then `reason` says why (no key at hand, an HMAC algorithm against a public key,
 * alg `none`, an algorithm Tokensmith does not verify, not a JWT).
 */
export type SignatureResult =
  { status: 'verified' } | { status: 'invalid' } | { status: 'not_checked'; reason: string };

export interface AssertionCheck {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  findings: AssertionFinding[];
  /** Always present; its finding (code `signature`) is among `findings` too. */
  signature: SignatureResult;
}
