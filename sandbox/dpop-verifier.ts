/**
 * The resource server's side of DPoP (RFC 9449 §7, §9), written with jose: a proof is checked
 * for its signature with the embedded public key, `typ`, `htm`, `htu`, a recent `iat`, a `jti`
 * not seen before, `ath` = SHA-256 of the access token, the key's thumbprint against the token's
 * `cnf.jkt`, and — where the API wants one — a nonce it issued.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose';

/** How long a proof's `iat` may be off, a seen `jti` is remembered, and a nonce is good. */
const WINDOW_SECONDS = 300;
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA'];

export type NonceMode = 'none' | 'required' | 'refused';

export type ProofOutcome =
  | { ok: true }
  | {
      ok: false;
      error: 'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_token';
      description: string;
    };

export class DpopVerifier {
  readonly #seen = new Map<string, number>();
  readonly #nonces = new Map<string, number>();

  /** A fresh nonce for the `DPoP-Nonce` header. */
  issueNonce(): string {
    const nonce = randomBytes(16).toString('base64url');
    this.#nonces.set(nonce, Date.now() + WINDOW_SECONDS * 1000);
    return nonce;
  }

  #sweep(now: number): void {
    for (const [k, until] of this.#seen) if (until < now) this.#seen.delete(k);
    for (const [k, until] of this.#nonces) if (until < now) this.#nonces.delete(k);
  }

  async verify(
    proof: string | undefined,
    request: { method: string; url: string; accessToken: string; jkt: string; nonce: NonceMode },
  ): Promise<ProofOutcome> {
    const bad = (description: string): ProofOutcome => ({
      ok: false,
      error: 'invalid_dpop_proof',
      description,
    });
    if (!proof) return bad('A DPoP proof is required with a DPoP-bound token');
    if (proof.includes(',')) return bad('Exactly one DPoP header is allowed');
    let payload;
    let jwk;
    try {
      const verified = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: ALGORITHMS,
      });
      payload = verified.payload;
      jwk = verified.protectedHeader.jwk;
    } catch (e) {
      return bad(`The DPoP proof does not verify: ${(e as Error).message}`);
    }
    const now = Date.now();
    this.#sweep(now);
    if (payload.htm !== request.method) return bad('htm does not match the request method');
    if (payload.htu !== request.url) return bad('htu does not match the request URL');
    if (typeof payload.iat !== 'number' || Math.abs(now / 1000 - payload.iat) > WINDOW_SECONDS)
      return bad('iat is missing or not recent');
    if (typeof payload.jti !== 'string' || !payload.jti) return bad('jti is missing');
    if (this.#seen.has(payload.jti)) return bad('The proof was used before (jti replayed)');
    this.#seen.set(payload.jti, now + WINDOW_SECONDS * 1000);
    const ath = createHash('sha256').update(request.accessToken).digest('base64url');
    if (payload.ath !== ath) return bad('ath does not match the access token');
    if (!jwk || (await calculateJwkThumbprint(jwk, 'sha256')) !== request.jkt)
      return {
        ok: false,
        error: 'invalid_token',
        description: 'The access token is bound to another DPoP key (cnf.jkt)',
      };
    if (request.nonce === 'refused')
      return { ok: false, error: 'use_dpop_nonce', description: 'The nonce is not known here' };
    if (request.nonce === 'required') {
      const nonce = typeof payload.nonce === 'string' ? payload.nonce : '';
      if (!this.#nonces.has(nonce))
        return {
          ok: false,
          error: 'use_dpop_nonce',
          description: nonce ? 'The nonce is not one this server issued' : 'A nonce is required',
        };
    }
    return { ok: true };
  }
}
