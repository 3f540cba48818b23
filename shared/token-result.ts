/** What a token flow returns to the UI, the CLI and the cache. */
import type { AssertionCheck } from './assertion-check.js';

/** A request and its response as shown to the user: secrets masked. */
export interface ExchangeRecord {
  /** Which leg: discovery, token, refresh… */
  label: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  durationMs?: number;
  error?: string;
}

export interface TokenResult {
  /** The token used on API calls, picked by the token path. */
  token: string;
  tokenPath: string;
  tokenType?: string;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
  expiresIn?: number;
  /** ISO 8601; absent when the server did not say. */
  expiresAt?: string;
  obtainedAt: string;
  /** Every member of the token response (e.g. Salesforce `instance_url`). */
  fields: Record<string, unknown>;
  /** Leniencies applied and oddities seen, e.g. an unexpected token_type. */
  warnings: string[];
  exchanges: ExchangeRecord[];
  /** The check of the assertion that was sent, when the flow built or sent one. */
  assertionCheck?: AssertionCheck;
}

/** Progress of a flow that waits: shown as the button's status line. */
export interface FlowProgress {
  step:
    'discovery' | 'signing' | 'listening' | 'browser' | 'callback' | 'token_request' | 'refresh';
  message: string;
  /** The authorization URL while waiting for the browser. */
  url?: string;
}
