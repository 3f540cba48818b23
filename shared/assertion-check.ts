/** The result of checking a JWT assertion before it is sent (shown before Submit Request). */

export type FindingLevel = 'ok' | 'warning' | 'error';

export interface AssertionFinding {
  level: FindingLevel;
  /** Stable identifier, e.g. `aud_mismatch`, `expired`, `x5t_mismatch`. */
  code: string;
  message: string;
}

export interface AssertionCheck {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  findings: AssertionFinding[];
}
