/**
 * DPoP (RFC 9449): proof JWTs signed with the connection's proof key, the server's nonces, and
 * sending a request with a proof — retried once with the nonce a server asks for
 * (`use_dpop_nonce`: 400 from an authorization server, §8; 401 with `WWW-Authenticate: DPoP
 * error="use_dpop_nonce"` from a resource server, §9). Proofs are built with jose.
 */
import { createHash, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';
import type { NetworkProfile } from '../http/network-profile.js';
import { defaultAlgorithm } from '../jwt/algorithms.js';
import { signCompact } from '../jwt/jws.js';
import { tokenSigner } from '../keys/token-keys.js';

export interface DpopProver {
  alg: string;
  /** The public key, as the proof's `jwk` header carries it. */
  jwk: JWK;
  /** RFC 7638 thumbprint of the public key: what `cnf.jkt` of a bound token must be (§6.1). */
  jkt: string;
  /** A fresh proof for one request (§4.2): `htm`, `htu`, `iat`, `jti`, and `nonce` / `ath`. */
  proof(
    method: string,
    url: string,
    options?: { nonce?: string; accessToken?: string },
  ): Promise<string>;
}

const provers = new WeakMap<KeyObject, Promise<DpopProver>>();

/** The prover of a private key, made once per key (the JWK and thumbprint are computed once). */
export function dpopProver(privateKey: KeyObject): Promise<DpopProver> {
  let prover = provers.get(privateKey);
  if (!prover) {
    prover = makeProver(privateKey);
    provers.set(privateKey, prover);
  }
  return prover;
}

async function makeProver(privateKey: KeyObject): Promise<DpopProver> {
  const alg = defaultAlgorithm(privateKey);
  // A PKCS#11 token key (keys/token-keys.ts) is its public key and signs on its token.
  const onToken = tokenSigner(privateKey) !== undefined;
  const publicKey = onToken ? privateKey : createPublicKey(privateKey);
  const { kty, crv, x, y, n, e } = await exportJWK(publicKey);
  // Only the public members (RFC 7638 §3.2 order does not matter to the header).
  const jwk = Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined),
  ) as JWK;
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    alg,
    jwk,
    jkt,
    proof: (method, url, options = {}) => {
      const claims = {
        htm: method,
        htu: htuOf(url),
        ...(options.nonce ? { nonce: options.nonce } : {}),
        ...(options.accessToken ? { ath: athOf(options.accessToken) } : {}),
      };
      const header = { alg, typ: 'dpop+jwt', jwk };
      if (onToken) {
        const iat = Math.floor(Date.now() / 1000);
        return Promise.resolve(
          signCompact(header, { ...claims, iat, jti: randomUUID() }, privateKey),
        );
      }
      return new SignJWT(claims)
        .setProtectedHeader(header)
        .setIssuedAt()
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

/** §4.2: the HTTP target URI without query and fragment. */
export function htuOf(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.href;
}

/** §4.2: `ath`, base64url(SHA-256(access token)). */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

/** Whose nonce it is: the authorization server's or a resource server's, per origin. */
export type NonceScope = 'as' | 'rs';

const nonces = new WeakMap<HttpClient, Map<string, string>>();
const nonceKey = (scope: NonceScope, url: string) => `${scope} ${new URL(url).origin}`;

function nonceMap(http: HttpClient): Map<string, string> {
  let map = nonces.get(http);
  if (!map) nonces.set(http, (map = new Map()));
  return map;
}

/** §8: 400 with `error: use_dpop_nonce` from an authorization server. */
export function isServerNonceChallenge(res: HttpResponse): boolean {
  if (res.status !== 400) return false;
  try {
    return (
      (JSON.parse(res.body.toString('utf8')) as { error?: unknown }).error === 'use_dpop_nonce'
    );
  } catch {
    return false;
  }
}

/** §9: 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"` from a resource server. */
export function isResourceNonceChallenge(res: HttpResponse): boolean {
  const challenge = res.headers['www-authenticate'] ?? '';
  return (
    res.status === 401 && /\bDPoP\b/i.test(challenge) && /error="use_dpop_nonce"/.test(challenge)
  );
}

export interface DpopSent {
  response: HttpResponse;
  /** The request as last sent, with its proof. */
  request: HttpRequest;
  /** The first attempt, when the server answered it with a nonce challenge and it was retried. */
  challenged?: { request: HttpRequest; response: HttpResponse };
  /** The server asked for a nonce again after the retry with the one it gave. */
  nonceRefusedTwice: boolean;
}

/**
 * Sends `request` with a DPoP proof (the last nonce this server gave, if any); when the server
 * answers with a nonce challenge, once more with the nonce it sent. Every `DPoP-Nonce` a server
 * sends is kept for its next request (§8.2).
 */
export async function sendWithDpop(
  http: HttpClient,
  request: HttpRequest,
  profile: NetworkProfile,
  signal: AbortSignal | undefined,
  prover: DpopProver,
  options: { scope: NonceScope; accessToken?: string },
): Promise<DpopSent> {
  const known = nonceMap(http);
  const key = nonceKey(options.scope, request.url);
  const challenged = options.scope === 'as' ? isServerNonceChallenge : isResourceNonceChallenge;
  const attempt = async (nonce: string | undefined) => {
    const proof = await prover.proof(request.method, request.url, {
      ...(nonce ? { nonce } : {}),
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    });
    const sent = { ...request, headers: { ...request.headers, dpop: proof } };
    const response = await http.send(sent, profile, signal);
    const next = response.headers['dpop-nonce'];
    if (next) known.set(key, next);
    return { sent, response };
  };
  const first = await attempt(known.get(key));
  const nonce = first.response.headers['dpop-nonce'];
  if (!challenged(first.response) || !nonce)
    return { response: first.response, request: first.sent, nonceRefusedTwice: false };
  const { sent, response } = await attempt(nonce);
  return {
    response,
    request: sent,
    challenged: { request: first.sent, response: first.response },
    nonceRefusedTwice: challenged(response),
  };
}
