/**
 * The DPoP rows of `npm run bench` (`--only=dpop`), kept beside run.ts, which passes in its
 * measuring helpers and the list of rows.
 */
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import { SignJWT, exportJWK } from 'jose';
import { connectionSchema, type Connection, type ConnectionInput } from '../shared/connection.js';
import { HttpClient } from '../electron/core/http/http-client.js';
import { ResourceRegistry } from '../electron/core/resources.js';
import { requestToken } from '../electron/core/grants/registry.js';
import { SANDBOX_SECRET } from '../sandbox/authorization-server.js';

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** What run.ts shares with this module. */
export interface BenchKit {
  rows: Array<{
    section: string;
    name: string;
    unit: string;
    ours: Stats;
    floor?: Stats;
    floorName?: string;
    goal?: { kind: 'ratio' | 'max' | 'min'; value: number };
    note?: string;
    spread?: [number, number];
  }>;
  spread(ours: number[], floor: number[], blocks?: number): [number, number];
  stats(samples: number[]): Stats;
  interleave(
    n: number,
    a: () => Promise<unknown>,
    b: () => Promise<unknown>,
    warmup?: number,
  ): Promise<[number[], number[]]>;
  log(message: string): void;
  N: number;
  WARMUP: number;
}

/**
 * DPoP (RFC 9449): the same client_credentials request with a proof (ES256, a generated key;
 * oidc-provider verifies it, checks its jti against replays and its nonce) against without.
 * No issuer, so no introspection: the row is the proof's own cost.
 */
export async function dpopRows(bench: BenchKit, tokenEndpoint: string): Promise<void> {
  const { rows, stats, interleave, log, N, WARMUP, spread } = bench;
  log(`DPoP: ${N} client_credentials requests with a proof and ${N} without`);
  const server = { tokenEndpoint };
  const http = new HttpClient();
  const ctx = { http, resources: new ResourceRegistry() };
  const cc = (dpop: boolean): Connection =>
    connectionSchema.parse({
      id: 'dpop-bench',
      name: 'dpop-bench',
      type: 'client_credentials',
      tokenEndpoint: server.tokenEndpoint,
      client: { id: 'cc-basic', secret: SANDBOX_SECRET },
      dpop: { enabled: dpop },
    } as ConnectionInput);
  const [withProof, plain] = [cc(true), cc(false)];
  const bound = await requestToken(withProof, ctx);
  if (bound.tokenType !== 'DPoP') throw new Error('the DPoP benchmark got no DPoP token');
  const [dpopMs, plainMs] = await interleave(
    N,
    () => requestToken(withProof, ctx),
    () => requestToken(plain, ctx),
    WARMUP,
  );
  rows.push({
    section: 'Token request overhead',
    name: 'client_credentials with DPoP (ES256 proof, verified by oidc-provider) vs plain',
    unit: 'ms',
    ours: stats(dpopMs),
    floor: stats(plainMs),
    spread: spread(dpopMs, plainMs),
    floorName: 'the same request without DPoP',
    goal: { kind: 'ratio', value: 1.15 },
    note: 'checking cnf.jkt by introspection (an issuer or introspection endpoint set) is one more round trip',
  });
  // The same DPoP request without Tokensmith: a proof made with jose (key and JWK prepared once)
  // on a raw undici POST, so that the server's own verification is on both sides.
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const jwk = await exportJWK(createPublicKey(key));
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const basic = `Basic ${Buffer.from(`cc-basic:${SANDBOX_SECRET}`).toString('base64')}`;
  const endpoint = new URL(tokenEndpoint);
  const rawDpop = async () => {
    const proof = await new SignJWT({ htm: 'POST', htu: server.tokenEndpoint })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(key);
    const res = await agent.request({
      origin: endpoint.origin,
      path: endpoint.pathname,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: basic,
        dpop: proof,
      },
      body: 'grant_type=client_credentials',
    });
    const json = (await res.body.json()) as { token_type?: string };
    if (json.token_type !== 'DPoP') throw new Error('the raw DPoP request got no DPoP token');
  };
  const [coreMs, rawMs] = await interleave(N, () => requestToken(withProof, ctx), rawDpop, WARMUP);
  rows.push({
    section: 'Token request overhead',
    name: 'client_credentials with DPoP — core vs raw undici POST + a jose-signed proof',
    unit: 'ms',
    ours: stats(coreMs),
    floor: stats(rawMs),
    spread: spread(coreMs, rawMs),
    floorName: 'raw POST + jose proof',
    goal: { kind: 'ratio', value: 1.15 },
    note: 'the server’s DPoP verification on both sides: what Tokensmith itself adds',
  });
  await agent.close();
  await http.close();
}
