/**
 * `npm run bench`: how fast Tokensmith gets a token, measured in one run on this machine against
 * a real authorization server on loopback (the sandbox's oidc-provider), each row beside the
 * floor it is compared with. Writes bench/RESULTS.md. A benchmark measures; nothing here fails.
 * The authorization server runs in its own process (bench/server.ts), never in the event loop
 * of what is measured.
 *
 * Each pair is interleaved (A, B, B, A, …) so that drift of the machine affects both sides.
 * `--quick` for a short run, `--only=tokens,dpop,cli,keystores,renderer,memory` for some
 * sections, `--peers` to add other clients (openid-client, HTTPie) to the CLI rounds.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  X509Certificate,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createSign,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { chromium } from '@playwright/test';
import { connectionSchema, type Connection, type ConnectionInput } from '../shared/connection.js';
import { maskJson } from '../shared/masking.js';
import { keystoreEntry } from '../shared/resources.js';
import { HttpClient, recordExchange } from '../electron/core/http/http-client.js';
import {
  ResourceRegistry,
  networkProfileFor,
  resolveSigningKey,
} from '../electron/core/resources.js';
import { prepareTokenRequest } from '../electron/core/oauth/token-request.js';
import { checkTokenResponse, toTokenResult } from '../electron/core/oauth/token-response.js';
import { requestToken } from '../electron/core/grants/registry.js';
import { resolveConnection } from '../electron/core/oauth/resolve.js';
import { buildJwt } from '../electron/core/jwt/jwt-builder.js';
import { TokenCache } from '../electron/core/cache/token-cache.js';
import { cacheKey } from '../electron/core/cache/cache-key.js';
import { obtainToken } from '../electron/core/token-service.js';
import { loadKeystore, listAliases } from '../electron/core/keys/keystore.js';
import { x5t } from '../electron/core/keys/certificate.js';
import { createAppService } from '../electron/core/app-service.js';
import { startWebHost } from '../web/server.js';
import { startSandbox } from '../sandbox/sandbox.js';
import {
  JWT_BEARER_GRANT,
  JWT_BEARER_ISSUER,
  SANDBOX_SECRET,
  SANDBOX_USER,
} from '../sandbox/authorization-server.js';
import { CHROMIUM } from '../e2e/playwright.config.js';
import { dpopRows } from './dpop.js';
import { cliRows, type ServerProcess } from './cli.js';
import { freePort } from '../test/support/ports.js';

/** The checkout: the nearest folder above this file with a package.json (run from bench/ or dist/bench/). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}
const root = findRoot(dirname(fileURLToPath(import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'tokensmith-bench-'));
const quick = process.argv.includes('--quick');
const peers = process.argv.includes('--peers');
const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const against = option('against');
const againstLabel = option('against-label');
/** The machine's load (`uptime`'s 1, 5 and 15-minute averages), at the start and at the end. */
const loadOf = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const loadAtStart = loadOf();
const N = quick ? 50 : 500;
/**
 * Token requests run and discarded before each token measurement. The loopback round trip keeps
 * getting faster for the first couple of thousand requests (V8 optimising oidc-provider, undici
 * and the core); measured cold, the floor is twice as slow and every ratio looks better.
 */
const WARMUP = quick ? 100 : 2000;

/* ---------------------------------------------------------------------------------------- */

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}
function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median =
    s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median, min: s[0] as number, max: s[s.length - 1] as number, n: s.length };
}

interface Row {
  section: string;
  name: string;
  unit: string;
  ours: Stats;
  floor?: Stats;
  floorName?: string;
  /** "≤ 1.05" for a ratio, or "≥ 1000000" / "≤ 250" for an absolute value. */
  goal?: { kind: 'ratio' | 'max' | 'min'; value: number };
  note?: string;
  /** The ratio in each fifth of the run (lowest, highest): how much the machine moved it. */
  spread?: [number, number];
}
const rows: Row[] = [];

/** The lowest and highest ratio of medians over `blocks` consecutive slices of a paired run. */
function spread(ours: number[], floor: number[], blocks = 5): [number, number] {
  const size = Math.floor(Math.min(ours.length, floor.length) / blocks);
  const ratios = Array.from(
    { length: blocks },
    (_, k) =>
      stats(ours.slice(k * size, (k + 1) * size)).median /
      stats(floor.slice(k * size, (k + 1) * size)).median,
  );
  return [Math.min(...ratios), Math.max(...ratios)];
}

function fmt(v: number, unit: string): string {
  if (unit === '/s') return `${Math.round(v).toLocaleString('en-US')}/s`;
  if (unit === 'KB' || unit === 'MB') return `${v.toFixed(1)} ${unit}`;
  return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${unit}`;
}

function met(row: Row): string {
  if (!row.goal) return '—';
  const { kind, value } = row.goal;
  const actual = kind === 'ratio' ? row.ours.median / (row.floor as Stats).median : row.ours.median;
  const ok = kind === 'min' ? actual >= value : actual <= value;
  const text = kind === 'min' ? `≥ ${value.toLocaleString('en-US')}` : `≤ ${value}`;
  return `${text} ${ok ? '✅' : '❌'}`;
}

/** Runs `a` and `b` alternately n times each; returns their durations in ms. */
async function interleave(
  n: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  warmup = 0,
): Promise<[number[], number[]]> {
  const ta: number[] = [];
  const tb: number[] = [];
  const time = async (f: () => Promise<unknown>, into: number[]) => {
    const t0 = performance.now();
    await f();
    into.push(performance.now() - t0);
  };
  // Warm up both sides (JIT, connection pools, the server's own code paths) before measuring:
  // otherwise the first few hundred iterations, still being optimised, weigh on the median.
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      await time(a, ta);
      await time(b, tb);
    } else {
      await time(b, tb);
      await time(a, ta);
    }
  }
  return [ta, tb];
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/* ---------------------------------------------------------------------------------------- */
/* Key material, made with openssl as the tests make it                                      */

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr.toString()}`);
}
function makeP12(bits: number): string {
  const name = `rsa${bits}`;
  openssl([
    'req',
    '-x509',
    '-newkey',
    `rsa:${bits}`,
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '30',
    '-subj',
    `/CN=bench-${bits}`,
  ]);
  openssl([
    'pkcs12',
    '-export',
    '-inkey',
    `${name}.key`,
    '-in',
    `${name}.crt`,
    '-name',
    'signing',
    '-out',
    `${name}.p12`,
    '-passout',
    'pass:changeit',
  ]);
  return join(work, `${name}.p12`);
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
/** The floor: a JWS made by hand with node:crypto. */
function rawJwt(
  key: KeyObject,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${b64url(signature)}`;
}

/* ---------------------------------------------------------------------------------------- */

async function tokenRows(): Promise<void> {
  log(`token requests: ${N} through the core and ${N} raw, per grant`);
  const p12 = makeP12(2048);
  const signingKey = createPrivateKey(readFileSync(join(work, 'rsa2048.key')));
  const cert = new X509Certificate(readFileSync(join(work, 'rsa2048.crt')));
  const server = await serverProcess('authorization-server', join(work, 'rsa2048.key'));
  const endpoint = new URL(server.tokenEndpoint);
  const resources = new ResourceRegistry({
    keystores: [
      keystoreEntry.parse({ name: 'bench', kind: 'pkcs12', path: p12, password: 'changeit' }),
    ],
  });
  const http = new HttpClient();
  const ctx = { http, resources };
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const conn = (input: Record<string, unknown>): Connection =>
    connectionSchema.parse({
      id: 'b',
      name: 'b',
      tokenEndpoint: server.tokenEndpoint,
      ...input,
    } as ConnectionInput);
  // The floor is undici's cheapest call: Dispatcher.request with the origin and path known.
  const target = { origin: endpoint.origin, path: endpoint.pathname };
  const rawPost = async (headers: Record<string, string>, form: Record<string, string>) => {
    const res = await agent.request({
      ...target,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
    const json = (await res.body.json()) as { access_token?: string };
    if (!json.access_token) throw new Error('raw request got no token');
  };

  // client_credentials, client_secret_basic
  const cc = conn({
    type: 'client_credentials',
    client: { id: 'cc-basic', secret: SANDBOX_SECRET },
  });
  const basic = `Basic ${Buffer.from(`cc-basic:${SANDBOX_SECRET}`).toString('base64')}`;
  await requestToken(cc, ctx);
  const [ccCore, ccRaw] = await interleave(
    N,
    () => requestToken(cc, ctx),
    () => rawPost({ authorization: basic }, { grant_type: 'client_credentials' }),
    WARMUP,
  );
  rows.push({
    section: 'Token request overhead',
    name: 'client_credentials (Basic) — core vs raw undici POST',
    unit: 'ms',
    ours: stats(ccCore),
    floor: stats(ccRaw),
    spread: spread(ccCore, ccRaw),
    floorName: 'raw undici POST',
    goal: { kind: 'ratio', value: 1.05 },
  });

  // Where the core's time goes: the same request built up layer by layer, every variant
  // interleaved with the others (timing stages one after the other inside a single request
  // undercounts them: each stage runs hot there, but not in a real request).
  const prepared0 = await prepareTokenRequest(
    resolveConnection(cc, ctx),
    [['grant_type', 'client_credentials']],
    'token',
  );
  const profile0 = await networkProfileFor(cc, resources);
  /** The core's steps for this request, up to `depth`: 1 sends, 2 checks, 3 records. */
  const coreUpTo = (depth: 1 | 2 | 3) => async () => {
    const resolved = resolveConnection(cc, ctx);
    const prepared = await prepareTokenRequest(
      resolved,
      [['grant_type', 'client_credentials']],
      'token',
    );
    const profile = await resolved.networkProfile();
    const res = await http.send(prepared.request, profile);
    if (depth === 1) return JSON.parse(res.body.toString()) as unknown;
    const body = checkTokenResponse(res, cc.tokenEndpoint);
    const result = toTokenResult(body, cc.tokenPath, Date.now());
    if (depth === 2) return result;
    const masked = () => JSON.stringify(maskJson(body), null, 2);
    return { ...result, exchanges: [recordExchange('token', prepared.request, res, masked)] };
  };
  const layers: Array<[string, () => Promise<unknown>]> = [
    [
      'raw undici POST with the core’s exact headers and body',
      async () => {
        const res = await agent.request({
          ...target,
          method: 'POST',
          headers: prepared0.request.headers,
          body: prepared0.request.body,
        });
        return res.body.json();
      },
    ],
    [
      '+ HttpClient.send (profile’s dispatcher, timeouts, 1 MB cap, timing) instead',
      async () => JSON.parse((await http.send(prepared0.request, profile0)).body.toString()),
    ],
    ['+ form, client authentication and network profile per request', coreUpTo(1)],
    ['+ response checks (RFC 6749 §5.2 errors, token path, token_type, expires_in)', coreUpTo(2)],
    ['+ the exchange recorded (masked when it is read; = what requestToken does)', coreUpTo(3)],
    ['requestToken itself', () => requestToken(cc, ctx)],
  ];
  const layerMs: number[][] = layers.map(() => []);
  for (let i = 0; i < WARMUP; i++) for (const [, run] of layers) await run();
  for (let i = 0; i < N; i++) {
    const order = layers.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) {
      const t0 = performance.now();
      await layers[k]![1]();
      layerMs[k]!.push(performance.now() - t0);
    }
  }
  const layerFloor = stats(layerMs[0]!);
  layers.forEach(([name], k) => {
    rows.push({
      section: 'Token request overhead: where the core spends it (client_credentials)',
      name,
      unit: 'ms',
      ours: stats(layerMs[k]!),
      ...(k > 0 ? { floor: layerFloor, floorName: 'raw POST, same headers' } : {}),
    });
  });

  // private_key_jwt
  const pkj = conn({
    type: 'client_credentials',
    client: { id: 'cc-private-key-jwt', authMethod: 'private_key_jwt' },
    jwt: { signing: { keystore: 'bench', alias: 'signing' } },
  });
  const thumb = x5t(cert);
  const assertionFor = (clientId: string, aud: string) =>
    rawJwt(
      signingKey,
      { alg: 'RS256', typ: 'JWT', x5t: thumb },
      {
        iss: clientId,
        sub: clientId,
        aud,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 300,
        jti: randomUUID(),
      },
    );
  await requestToken(pkj, ctx);
  const [pkCore, pkRaw] = await interleave(
    N,
    () => requestToken(pkj, ctx),
    () =>
      rawPost(
        {},
        {
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertionFor('cc-private-key-jwt', server.tokenEndpoint),
        },
      ),
    WARMUP,
  );
  rows.push({
    section: 'Token request overhead',
    name: 'private_key_jwt (RS256 assertion) — core vs raw POST + node:crypto signing',
    unit: 'ms',
    ours: stats(pkCore),
    floor: stats(pkRaw),
    spread: spread(pkCore, pkRaw),
    floorName: 'raw POST + createSign',
    goal: { kind: 'ratio', value: 1.1 },
  });

  // JWT bearer grant
  const jb = conn({
    type: 'jwt_bearer',
    client: { id: 'jwt-bearer' },
    jwt: {
      signing: { keystore: 'bench', alias: 'signing' },
      claims: { issuer: JWT_BEARER_ISSUER, subject: SANDBOX_USER.username },
    },
  });
  await requestToken(jb, ctx);
  const [jbCore, jbRaw] = await interleave(
    N,
    () => requestToken(jb, ctx),
    () =>
      rawPost(
        {},
        {
          grant_type: JWT_BEARER_GRANT,
          client_id: 'jwt-bearer',
          assertion: rawJwt(
            signingKey,
            { alg: 'RS256', typ: 'JWT', x5t: thumb },
            {
              iss: JWT_BEARER_ISSUER,
              sub: SANDBOX_USER.username,
              aud: server.tokenEndpoint,
              iat: Math.floor(Date.now() / 1000),
              exp: Math.floor(Date.now() / 1000) + 300,
              jti: randomUUID(),
            },
          ),
        },
      ),
    WARMUP,
  );
  rows.push({
    section: 'Token request overhead',
    name: 'JWT bearer grant (RS256) — core vs raw POST + node:crypto signing',
    unit: 'ms',
    ours: stats(jbCore),
    floor: stats(jbRaw),
    spread: spread(jbCore, jbRaw),
    floorName: 'raw POST + createSign',
    goal: { kind: 'ratio', value: 1.1 },
  });

  // Signing alone
  log('assertion signing alone');
  const key = await resolveSigningKey(pkj, resources);
  const signN = quick ? 500 : 3000;
  const [signCore, signRaw] = await interleave(
    signN,
    () =>
      buildJwt({
        settings: pkj.jwt,
        mode: 'client_auth',
        key,
        clientId: 'cc-private-key-jwt',
        defaults: {
          issuer: 'cc-private-key-jwt',
          subject: 'cc-private-key-jwt',
          audience: server.tokenEndpoint,
        },
      }),
    async () => assertionFor('cc-private-key-jwt', server.tokenEndpoint),
    WARMUP,
  );
  rows.push({
    section: 'Signing',
    name: 'client assertion, RS256 2048-bit — jwt-builder (claims, header, x5t, JWS) vs node:crypto createSign alone',
    unit: 'ms',
    ours: stats(signCore),
    floor: stats(signRaw),
    floorName: 'node:crypto',
    goal: { kind: 'ratio', value: 1.5 },
  });

  // Cache
  log('token cache');
  // A new connection pool: the loops above may outlast the server's keep-alive timeout, and a
  // pooled connection the server has just closed would be reset.
  const again = { ...ctx, http: new HttpClient() };
  const cache = new TokenCache();
  const sample = await requestToken(cc, again);
  const keys: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const k = randomBytes(32).toString('base64url');
    keys.push(k);
    cache.set(k, { id: `c${i}`, name: `c${i}` }, sample);
  }
  const perSecond: number[] = [];
  const lookups = 1_000_000;
  for (let round = 0; round < 7; round++) {
    let hits = 0;
    const t0 = performance.now();
    for (let i = 0; i < lookups; i++) if (cache.get(keys[i % 10_000] as string)) hits++;
    const ms = performance.now() - t0;
    if (hits !== lookups) throw new Error('cache miss in the benchmark');
    perSecond.push((lookups / ms) * 1000);
  }
  rows.push({
    section: 'Cache',
    name: 'lookups with 10,000 cached entries (key known)',
    unit: '/s',
    ours: stats(perSecond),
    goal: { kind: 'min', value: 1_000_000 },
  });
  const keyRates: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) cacheKey(cc);
    keyRates.push((20_000 / (performance.now() - t0)) * 1000);
  }
  rows.push({
    section: 'Cache',
    name: 'cache key of a connection (SHA-256 of every OAuth input), per lookup by connection',
    unit: '/s',
    ours: stats(keyRates),
    note: 'computed once per token request, not per lookup in a loop',
  });
  const live = new TokenCache();
  await obtainToken(cc, again, { cache: live });
  const before = await server.tokenRequests();
  const hit = await obtainToken(cc, again, { cache: live });
  await again.http.close();
  const requestsOnHit = (await server.tokenRequests()) - before;
  rows.push({
    section: 'Cache',
    name: `a cache hit (source: ${hit.source}) — requests the server received`,
    unit: 'requests',
    ours: stats([requestsOnHit]),
    goal: { kind: 'max', value: 0 },
  });

  await http.close();
  await agent.close();
  await server.close();
}

/* ---------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------- */

/**
 * The bench's server in its own process (bench/server.ts, bundled beside run.ts): the
 * authorization server alone with the bench's signing key, or the sandbox in a data folder.
 */
async function serverProcess(
  kind: 'authorization-server' | 'sandbox',
  arg: string,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(root, 'dist', 'bench', 'server.mjs'), kind, arg], {
    env: { ...process.env, TOKENSMITH_SECRET_KEY_STORE: 'file' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}): ${stderr}`)));
  });
  const urls = JSON.parse(first) as { issuer: string; tokenEndpoint: string; apiUrl: string };
  return {
    ...urls,
    tokenRequests: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve((m as { tokenRequests: number }).tokenRequests));
        child.send({ count: 'token' });
      }),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

/* ---------------------------------------------------------------------------------------- */

/** RFC 7292 B.2: the MAC key of a PKCS#12 file (ID 3), one hash block, with node:crypto. */
function pkcs12MacKey(password: string, salt: Buffer, iterations: number, hash: string): Buffer {
  const v = 64;
  const fill = (data: Buffer) => Buffer.alloc(v * Math.ceil(data.length / v), data);
  const bmp = Buffer.from(`${password}\0`, 'utf16le').swap16();
  let a = Buffer.concat([Buffer.alloc(v, 3), fill(salt), fill(bmp)]);
  for (let i = 0; i < iterations; i++) a = createHash(hash).update(a).digest();
  return a;
}

/**
 * The in-process floor of a PKCS#12 load, for a file as OpenSSL 3 writes it (`-info` gives its
 * algorithms): what any reader must compute, with node:crypto and without ASN.1 — the MAC key
 * (PKCS#12 KDF) and the MAC over the file, PBKDF2 and AES-256-CBC for the key bag and for the
 * certificate bag (the real key and certificate, encrypted here), then the key and certificate
 * objects.
 */
function pkcs12Floor(file: string, keyFile: string, certFile: string): () => void {
  const info = spawnSync(
    'openssl',
    ['pkcs12', '-info', '-noout', '-in', file, '-passin', 'pass:changeit'],
    { encoding: 'utf8' },
  ).stderr;
  const macIterations = Number(/MAC: sha256, Iteration (\d+)/.exec(info)?.[1]);
  const bagIterations = [
    ...info.matchAll(/PBKDF2, AES-256-CBC, Iteration (\d+), PRF hmacWithSHA256/g),
  ].map((m) => Number(m[1]));
  if (!macIterations || bagIterations.length !== 2)
    throw new Error(`unexpected PKCS#12 parameters from openssl: ${info}`);
  const data = readFileSync(file);
  const keyDer = createPrivateKey(readFileSync(keyFile)).export({ type: 'pkcs8', format: 'der' });
  const certDer = new X509Certificate(readFileSync(certFile)).raw;
  const sealed = [keyDer, certDer].map((plain, k) => {
    const salt = randomBytes(8);
    const iv = randomBytes(16);
    const key = pbkdf2Sync('changeit', salt, bagIterations[k]!, 32, 'sha256');
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return {
      salt,
      iv,
      iterations: bagIterations[k]!,
      data: Buffer.concat([cipher.update(plain), cipher.final()]),
    };
  });
  const macSalt = randomBytes(8);
  const content = data.subarray(0, data.length - 80);
  const expected = createHmac('sha256', pkcs12MacKey('changeit', macSalt, macIterations, 'sha256'))
    .update(content)
    .digest();
  return () => {
    const macKey = pkcs12MacKey('changeit', macSalt, macIterations, 'sha256');
    if (!createHmac('sha256', macKey).update(content).digest().equals(expected))
      throw new Error('floor MAC');
    const [key, cert] = sealed.map((bag) => {
      const k = pbkdf2Sync('changeit', bag.salt, bag.iterations, 32, 'sha256');
      const decipher = createDecipheriv('aes-256-cbc', k, bag.iv);
      return Buffer.concat([decipher.update(bag.data), decipher.final()]);
    });
    createPrivateKey({ key: key!, format: 'der', type: 'pkcs8' });
    new X509Certificate(cert!);
  };
}

async function keystoreRows(): Promise<void> {
  log('PKCS#12');
  for (const bits of [2048, 4096]) {
    const file = join(work, `rsa${bits}.p12`);
    if (!existsSync(file)) makeP12(bits);
    const data = readFileSync(file);
    const runs = quick ? 5 : 30;
    const load = async () =>
      listAliases(loadKeystore({ kind: 'pkcs12', data, password: 'changeit', label: 'bench' }));
    const run = (args: string[]) => async () => {
      const r = spawnSync('openssl', args, { stdio: ['ignore', 'ignore', 'ignore'] });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed`);
    };
    const opensslRead = run(['pkcs12', '-in', file, '-nodes', '-passin', 'pass:changeit']);
    const [ours, floor] = await interleave(runs, load, opensslRead, 2);
    const [, started] = await interleave(runs, load, run(['version']), 2);
    rows.push({
      section: 'Keystores',
      name: `PKCS#12 load + alias listing, RSA ${bits} (in process) — vs \`openssl pkcs12 -in … -nodes -passin …\` (a process)`,
      unit: 'ms',
      ours: stats(ours),
      floor: stats(floor),
      floorName: 'openssl',
      note: `openssl's time includes its process start: \`openssl version\` takes ${stats(started).median.toFixed(1)} ms in the same run`,
    });
    const floorRun = pkcs12Floor(file, join(work, `rsa${bits}.key`), join(work, `rsa${bits}.crt`));
    const [ours2, native] = await interleave(runs * 3, load, async () => floorRun(), 5);
    rows.push({
      section: 'Keystores',
      name: `PKCS#12 load + alias listing, RSA ${bits} — vs node:crypto doing the file's derivations and decryptions (in process)`,
      unit: 'ms',
      ours: stats(ours2),
      floor: stats(native),
      floorName: 'node:crypto floor',
      note: 'the floor: the MAC key (PKCS#12 KDF, SHA-256) and HMAC, PBKDF2 + AES-256-CBC for the key bag and the certificate bag, the key and certificate objects; no ASN.1',
    });
  }
}

/* ---------------------------------------------------------------------------------------- */

/** A connection's cell in the sidebar list (a grid), found by its name. */
function listButton(name: string): string {
  return `Array.from(document.querySelectorAll('nav[aria-label="Connections list"] [id^="conn-name-"]')).find((e) => e.textContent === ${JSON.stringify(name)}).closest('[role="gridcell"],[role="button"],button')`;
}

/** An open connection's editor tab. */
function tabButton(name: string): string {
  return `Array.from(document.querySelectorAll('[role="tab"]')).find((t) => t.textContent.startsWith(${JSON.stringify(name)}))`;
}

/** Clicks `target` and resolves with the ms until the editor in view is `name`'s first screen. */
function timeUntilShown(target: string, name: string): string {
  return `new Promise((resolve) => {
    const target = ${target};
    const t0 = performance.now();
    target.click();
    const check = () => {
      const form = Array.from(document.querySelectorAll('form[aria-label="Configure Connection"]')).find((f) => f.offsetParent !== null);
      const heading = form && form.querySelector('h1');
      if (heading && heading.textContent === ${JSON.stringify('Configure Connection: ')} + ${JSON.stringify(name)} && Array.from(form.querySelectorAll('button')).some((b) => b.textContent === 'Generate Access Token')) resolve(performance.now() - t0);
      else requestAnimationFrame(check);
    };
    check();
  })`;
}

async function rendererRows(): Promise<void> {
  log('renderer');
  const dist = join(root, 'dist', 'renderer');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1] as string);
  const gz = initial.reduce(
    (sum, f) => sum + gzipSync(readFileSync(join(dist, f.replace(/^\.?\//, '')))).length,
    0,
  );
  rows.push({
    section: 'Renderer',
    name: `initial JavaScript, gzip (${initial.length} file${initial.length === 1 ? '' : 's'})`,
    unit: 'KB',
    ours: stats([gz / 1024]),
    goal: { kind: 'max', value: 250 },
  });

  const dataDir = join(work, 'web-data');
  const sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
  const coreMs: Record<string, number[]> = {};
  const service = createAppService({
    workspace: sandbox.workspace,
    env: {},
    mode: 'browser',
    version: 'bench',
    emit: () => undefined,
  });
  const host = await startWebHost({
    dispatch: async (channel, body) => {
      const t0 = performance.now();
      const out = await service.dispatch(channel, body);
      (coreMs[channel] ??= []).push(performance.now() - t0);
      return out;
    },
    staticDir: dist,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM.executablePath,
    args: CHROMIUM.args,
  });
  const tti: number[] = [];
  const open: number[] = [];
  const switching: number[] = [];
  const uiOverhead: number[] = [];
  const runs = quick ? 3 : 10;
  const first = 'sandbox-client-credentials';
  const second = 'sandbox-password';
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(host.url);
    await page
      .getByRole('navigation', { name: 'Connections list' })
      .getByRole('gridcell', { name: first, exact: true })
      .waitFor();
    tti.push(await page.evaluate<number>('performance.now()'));
    // From the list: the editor's first screen (its heading, Connection Groups with Generate
    // Access Token) for the connection clicked.
    open.push(await page.evaluate<number>(timeUntilShown(listButton(first), first)));
    await page.evaluate<number>(timeUntilShown(listButton(second), second));
    // Between two open connections: their tabs.
    switching.push(await page.evaluate<number>(timeUntilShown(tabButton(first), first)));
    switching.push(await page.evaluate<number>(timeUntilShown(tabButton(second), second)));
    await page.evaluate<number>(timeUntilShown(tabButton(first), first));
    // Generate Access Token opens the flow's dialog; its own button runs the request.
    await page
      .getByRole('form', { name: 'Configure Connection' })
      .filter({ visible: true })
      .getByRole('button', { name: 'Generate Access Token' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Generate Access Token' }).waitFor();
    coreMs['tokens:generate'] = [];
    // The click's own time, taken in the page; then the first animation frame with the token.
    await page.evaluate(
      `document.addEventListener('click', () => { window.__clickedAt = performance.now(); }, { capture: true, once: true })`,
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Generate Access Token' }).click();
    const total = await (
      await page.waitForFunction(
        () => {
          type El = {
            offsetParent: unknown;
            value?: string;
            querySelector(s: string): El | null;
            querySelectorAll(s: string): ArrayLike<El>;
          };
          const g = globalThis as unknown as {
            document: El;
            performance: { now(): number };
            __clickedAt: number;
          };
          const form = Array.from(
            g.document.querySelectorAll('form[aria-label="Configure Connection"]'),
          ).find((f) => f.offsetParent !== null);
          const result = form?.querySelector('[aria-label="Result"]');
          // The result fills in behind the dialog as it fades out.
          const done =
            result &&
            Array.from(result.querySelectorAll('input')).some((i) => i.value === 'Bearer');
          return done ? g.performance.now() - g.__clickedAt : 0;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      )
    ).jsonValue();
    const core = coreMs['tokens:generate']?.[0] ?? 0;
    uiOverhead.push(Number(total) - core);
    await context.close();
  }
  rows.push({
    section: 'Renderer',
    name: 'time to interactive: the connection list shown, from navigation start (headless Chromium)',
    unit: 'ms',
    ours: stats(tti),
    goal: { kind: 'max', value: 1000 },
  });
  rows.push({
    section: 'Renderer',
    name: 'open a connection from the list: click → its first screen (heading, Connection Groups with Generate Access Token)',
    unit: 'ms',
    ours: stats(open),
    goal: { kind: 'max', value: 100 },
  });
  rows.push({
    section: 'Renderer',
    name: 'switch between two open connections: tab click → its first screen',
    unit: 'ms',
    ours: stats(switching),
    goal: { kind: 'max', value: 50 },
  });
  rows.push({
    section: 'Renderer',
    name: 'Generate Access Token (the flow dialog’s button): click → result shown, minus the core’s own time',
    unit: 'ms',
    ours: stats(uiOverhead),
    goal: { kind: 'max', value: 50 },
    note: 'includes the HTTP hop of browser mode (Electron IPC is shorter); the dialog fades out meanwhile',
  });
  await browser.close();
  await host.close();
  await service.close();
  await sandbox.close();
}

/** Browser-mode host as its own process: peak RSS across start-up and a token request. */
async function hostMemoryRow(): Promise<void> {
  log('browser-mode host memory');
  const dataDir = join(work, 'cli-data');
  const port = await freePort();
  const hook =
    "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nMAXRSS '+process.resourceUsage().maxRSS+'\\n'))";
  const sandbox = await serverProcess('sandbox', dataDir);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      hook,
      join(root, 'web', 'main.ts'),
      '--data-dir',
      dataDir,
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 200 && !/token=/.test(stdout); i++)
    await new Promise((r) => setTimeout(r, 50));
  const token = /token=([\w-]+)/.exec(stdout)?.[1] ?? '';
  const conn = await fetch(`http://127.0.0.1:${port}/api/connections:get`, {
    method: 'POST',
    headers: { 'x-tokensmith-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'sandbox-client-credentials' }),
  }).then((r) => r.json() as Promise<{ value: unknown }>);
  const res = await fetch(`http://127.0.0.1:${port}/api/tokens:generate`, {
    method: 'POST',
    headers: { 'x-tokensmith-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ requestId: 'bench', connection: conn.value, useCache: false }),
  }).then((r) => r.json() as Promise<{ ok: boolean }>);
  if (!res.ok) throw new Error('browser-mode token request failed');
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGINT');
  await exited;
  const rss = Number(/MAXRSS (\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
  rows.push({
    section: 'Memory',
    name: 'browser-mode host peak RSS (start, page API, one token request)',
    unit: 'MB',
    ours: stats([rss]),
    note: '`npm run start:web` runs the host through tsx, whose transformer is part of this figure',
  });
  await sandbox.close();
}

/* ---------------------------------------------------------------------------------------- */

function render(): string {
  const lines = [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ` +
      `${process.platform}/${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}. One run; pairs interleaved. ` +
      'Times are per operation: median (min–max). Ratio = median ÷ the floor’s median.',
    '',
    `The machine's load average (1, 5, 15 min, as \`uptime\` shows it) was ${loadAtStart} at the start ` +
      `and ${loadOf()} at the end, on ${cpus().length} cores shared with other work: absolute times ` +
      'move with it, the interleaved ratios much less.',
    '',
  ];
  // Rows grouped by section, sections in the order they first appear.
  const order = [...new Set(rows.map((r) => r.section))];
  const sorted = order.flatMap((name) => rows.filter((r) => r.section === name));
  let section = '';
  for (const row of sorted) {
    if (row.section !== section) {
      section = row.section;
      lines.push(
        `## ${section}`,
        '',
        '| row | Tokensmith | floor | ratio | goal |',
        '| --- | --- | --- | --- | --- |',
      );
    }
    const ours = `${fmt(row.ours.median, row.unit)}${row.ours.n > 1 ? ` (${fmt(row.ours.min, row.unit)}–${fmt(row.ours.max, row.unit)}, n=${row.ours.n})` : ''}`;
    const floor = row.floor
      ? `${row.floorName}: ${fmt(row.floor.median, row.unit)} (${fmt(row.floor.min, row.unit)}–${fmt(row.floor.max, row.unit)})`
      : '—';
    const ratio = row.floor
      ? (row.ours.median / row.floor.median).toFixed(3) +
        (row.spread
          ? ` (${row.spread.map((r) => r.toFixed(2)).join('–')} over the run’s fifths)`
          : '')
      : '—';
    lines.push(
      `| ${row.name}${row.note ? ` (${row.note})` : ''} | ${ours} | ${floor} | ${ratio} | ${met(row)} |`,
    );
    const next = sorted[sorted.indexOf(row) + 1];
    if (!next || next.section !== section) lines.push('');
  }
  return lines.join('\n');
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const steps: Array<[string, () => Promise<void>]> = [
  ['tokens', tokenRows],
  [
    'dpop',
    async () => {
      if (!existsSync(join(work, 'rsa2048.key'))) makeP12(2048);
      const server = await serverProcess('authorization-server', join(work, 'rsa2048.key'));
      await dpopRows({ rows, stats, interleave, log, N, WARMUP, spread }, server.tokenEndpoint);
      await server.close();
    },
  ],
  [
    'cli',
    () =>
      cliRows({
        ...{ rows, stats, interleave, log, N, WARMUP, spread, root, work, quick, peers },
        serverProcess,
        cliBundle:
          process.argv.find((a) => a.startsWith('--cli='))?.slice('--cli='.length) ??
          join(root, 'dist', 'cli', 'tokensmith.mjs'),
        ...(against ? { against } : {}),
        ...(againstLabel ? { againstLabel } : {}),
      }),
  ],
  ['keystores', keystoreRows],
  ['renderer', rendererRows],
  ['memory', hostMemoryRow],
];
for (const [name, step] of steps) if (!only || only.split(',').includes(name)) await step();
const out = join(root, 'bench', 'RESULTS.md');
const text = render() + '\n';
if (only || quick) process.stdout.write(text);
else {
  writeFileSync(out, text);
  log(`wrote ${out}`);
}
process.exit(0);
