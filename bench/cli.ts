/**
 * The CLI rows of `npm run bench` (`--only=cli`; `--peers` adds other clients): each run is its
 * own process against the sandbox in its own process, every kind of run interleaved with the
 * others (the order turns each round), so that the machine's drift weighs on all of them alike.
 * Wall time is from spawn to exit; peak RSS is the child's (`/usr/bin/time -f %M` when present,
 * which wraps every child alike, else an exit hook in node children).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SANDBOX_SECRET } from '../sandbox/authorization-server.js';
import type { BenchKit } from './dpop.js';

export interface ServerProcess {
  issuer: string;
  tokenEndpoint: string;
  apiUrl: string;
  /** Token requests the server has received so far. */
  tokenRequests(): Promise<number>;
  close(): Promise<void>;
}

export interface CliBench extends BenchKit {
  root: string;
  work: string;
  quick: boolean;
  peers: boolean;
  /** The CLI bundle to run (`--cli=PATH`; default dist/cli/tokensmith.mjs, an earlier build to compare). */
  cliBundle: string;
  /** `--against=PATH`: an earlier build's bundle, run in the same rounds (before/after rows). */
  against?: string;
  /** What the earlier build is (`--against-label=TEXT`), for the rows. */
  againstLabel?: string;
  serverProcess(kind: 'sandbox', dataDir: string): Promise<ServerProcess>;
}

interface Run {
  ms: number;
  /** User + system CPU time of the child (10 ms steps), when /usr/bin/time measured it. */
  cpuMs: number;
  rssMb: number;
  stdout: string;
  code: number | null;
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const HOOK =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nMAXRSS '+process.resourceUsage().maxRSS+'\\n'))";

/** Runs a program to its exit: wall time (ms), peak RSS (MB), stdout. */
function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const node = command === process.execPath;
  const [file, argv] = hasTime
    ? [TIME, ['-f', 'MAXRSS %M CPU %U %S', command, ...args]]
    : [command, node ? ['--import', HOOK, ...args] : args];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(file, argv, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      const kb = Number(/MAXRSS (\d+)/.exec(stderr)?.[1] ?? 0);
      const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : 0;
      resolve({ ms, cpuMs, rssMb: kb / 1024, stdout: stdout.trim(), code });
    });
  });
}

interface Kind {
  name: string;
  run: () => Promise<Run>;
  ok: (r: Run) => boolean;
  ms: number[];
  cpu: number[];
  rss: number[];
}

export async function cliRows(bench: CliBench): Promise<void> {
  const { rows, stats, log, work, quick, spread } = bench;
  const dataDir = join(work, 'cli-data');
  const server = await bench.serverProcess('sandbox', dataDir);
  const basic = Buffer.from(`cc-basic:${SANDBOX_SECRET}`).toString('base64');
  const post = {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=api%3Aread',
  };
  const script = (name: string, text: string) => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };
  const fetchScript = script(
    'bare-fetch.mjs',
    `const res = await fetch(${JSON.stringify(server.tokenEndpoint)}, ${JSON.stringify(post)});
const json = await res.json();
process.stdout.write(json.access_token + '\\n');
`,
  );
  const undiciScript = script(
    'bare-undici.mjs',
    `import { request } from ${JSON.stringify(import.meta.resolve('undici'))};
const res = await request(${JSON.stringify(server.tokenEndpoint)}, ${JSON.stringify(post)});
const json = await res.body.json();
process.stdout.write(json.access_token + '\\n');
`,
  );
  // openid-client as its README shows a client credentials grant, with the token endpoint
  // given (as the Tokensmith connection has it) rather than discovered, over http: on loopback.
  const openidScript = script(
    'openid-client.mjs',
    `import * as client from ${JSON.stringify(import.meta.resolve('openid-client'))};
const config = new client.Configuration(
  { issuer: ${JSON.stringify(server.issuer)}, token_endpoint: ${JSON.stringify(server.tokenEndpoint)} },
  'cc-basic',
  undefined,
  client.ClientSecretBasic(${JSON.stringify(SANDBOX_SECRET)}),
);
client.allowInsecureRequests(config);
const tokens = await client.clientCredentialsGrant(config, { scope: 'api:read' });
process.stdout.write(tokens.access_token + '\\n');
`,
  );
  // The bundle bin/tokensmith.js runs when it is newer than the sources; run directly, because
  // bin/ would fall back to the TypeScript sources when someone edits one during the run.
  const bin = bench.cliBundle;
  const env = { TOKENSMITH_SECRET_KEY_STORE: 'file' };
  const cli =
    (...args: string[]) =>
    () =>
      runProcess(process.execPath, [bin, '--data-dir', dataDir, ...args], env);
  const node = (file: string) => () => runProcess(process.execPath, [file], {});
  const conn = 'sandbox-client-credentials';
  const token = (r: Run) => r.code === 0 && r.stdout.length >= 20;
  const kind = (name: string, run: () => Promise<Run>, ok = token): Kind => ({
    name,
    run,
    ok,
    ms: [],
    cpu: [],
    rss: [],
  });
  const fresh = kind('fresh', cli('token', conn, '--no-cache'));
  const hit = kind('hit', cli('token', conn));
  const called = (r: Run) => r.code === 0 && r.stdout.includes('cc-basic');
  const callHit = kind('call', cli('call', conn, server.apiUrl), called);
  const callFresh = kind('call --no-cache', cli('call', conn, server.apiUrl, '--no-cache'), called);
  const fetchFloor = kind('fetch', node(fetchScript));
  const undiciFloor = kind('undici', node(undiciScript));
  const kinds = [fresh, hit, callHit, callFresh, fetchFloor, undiciFloor];
  const earlier =
    (...args: string[]) =>
    () =>
      runProcess(process.execPath, [bench.against!, '--data-dir', dataDir, ...args], env);
  const before = bench.against
    ? {
        fresh: kind('fresh (earlier build)', earlier('token', conn, '--no-cache')),
        hit: kind('hit (earlier build)', earlier('token', conn)),
      }
    : undefined;
  if (before) kinds.push(before.fresh, before.hit);
  const peerNotes: string[] = [];
  let openid: Kind | undefined;
  let httpie: Kind | undefined;
  if (bench.peers) {
    openid = kind('openid-client', node(openidScript));
    kinds.push(openid);
    const http = ['/usr/bin/http', '/usr/local/bin/http'].find((p) => existsSync(p));
    if (http) {
      httpie = kind(
        'HTTPie',
        () =>
          runProcess(
            http,
            [
              '--ignore-stdin',
              '--print=b',
              '-a',
              `cc-basic:${SANDBOX_SECRET}`,
              '--form',
              'POST',
              server.tokenEndpoint,
              'grant_type=client_credentials',
              'scope=api:read',
            ],
            {},
          ),
        (r) => r.code === 0 && r.stdout.includes('"access_token"'),
      );
      kinds.push(httpie);
    } else
      peerNotes.push('HTTPie is not installed (Debian: apt-get install httpie): no HTTPie row');
  }
  const runs = quick ? 5 : 20;
  log(`CLI: ${runs} rounds of ${kinds.map((k) => k.name).join(', ')}, each its own process`);
  // Fills the cache the cache-hit runs read (token and call share the connection's token).
  if (!token(await hit.run())) throw new Error('tokensmith token failed');
  for (let i = 0; i < runs; i++) {
    const order = kinds.map((_, k) => kinds[(k + i) % kinds.length] as Kind);
    for (const k of order) {
      const r = await k.run();
      if (!k.ok(r)) throw new Error(`${k.name} failed (exit ${r.code}): ${r.stdout.slice(0, 200)}`);
      k.ms.push(r.ms);
      k.cpu.push(r.cpuMs);
      k.rss.push(r.rssMb);
    }
  }
  const versus = (ours: Kind, floor: Kind, floorName: string, value?: number) => ({
    ours: stats(ours.ms),
    floor: stats(floor.ms),
    ...(runs >= 10 ? { spread: spread(ours.ms, floor.ms, 4) } : {}),
    floorName,
    ...(value ? { goal: { kind: 'ratio' as const, value } } : {}),
  });
  const fetchName = 'bare node script, built-in fetch';
  rows.push(
    {
      section: 'CLI',
      name: '`tokensmith token <name> --no-cache`, start to printed token (a fresh token) — vs a bare node script with the built-in fetch',
      unit: 'ms',
      ...versus(fresh, fetchFloor, fetchName, 1.2),
    },
    {
      section: 'CLI',
      name: '`tokensmith token <name> --no-cache` (a fresh token) — vs a bare node script with undici',
      unit: 'ms',
      ...versus(fresh, undiciFloor, 'bare node script, undici'),
    },
    {
      section: 'CLI',
      name: '`tokensmith token <name>` (a cache hit) — vs the built-in fetch script',
      unit: 'ms',
      ...versus(hit, fetchFloor, fetchName),
    },
    {
      section: 'CLI',
      name: '`tokensmith call <name> <API URL>` with the cached token — vs the same with `--no-cache` (a token requested first)',
      unit: 'ms',
      ...versus(callHit, callFresh, '`call --no-cache`', 0.8),
    },
  );
  if (hasTime) {
    // CPU time: what each process itself spent, which the other work on the machine moves
    // less than the wall time (a process waiting for a core is not charged).
    const cpu = (ours: Kind, floor: Kind, name: string, floorName: string, value?: number) =>
      rows.push({
        section: 'CLI',
        name,
        unit: 'ms',
        ours: stats(ours.cpu),
        floor: stats(floor.cpu),
        floorName,
        ...(runs >= 10 ? { spread: spread(ours.cpu, floor.cpu, 4) } : {}),
        ...(value ? { goal: { kind: 'ratio' as const, value } } : {}),
        note: 'user + system CPU time, in 10 ms steps',
      });
    cpu(
      fresh,
      fetchFloor,
      'CPU time of `tokensmith token --no-cache` — vs the built-in fetch script',
      fetchName,
      1.2,
    );
    cpu(
      hit,
      fetchFloor,
      'CPU time of `tokensmith token` (a cache hit) — vs the built-in fetch script',
      fetchName,
    );
    cpu(
      callHit,
      callFresh,
      'CPU time of `tokensmith call` with the cached token — vs `call --no-cache`',
      '`call --no-cache`',
      0.8,
    );
  }
  if (before) {
    const against = bench.againstLabel ?? 'an earlier build';
    for (const [now, then, what] of [
      [fresh, before.fresh, 'a fresh token'],
      [hit, before.hit, 'a cache hit'],
    ] as const) {
      rows.push(
        {
          section: 'CLI: this build vs an earlier one, same rounds',
          name: `\`tokensmith token\` (${what}), wall time — vs ${against}`,
          unit: 'ms',
          ...versus(now, then, 'earlier build'),
        },
        {
          section: 'CLI: this build vs an earlier one, same rounds',
          name: `\`tokensmith token\` (${what}), CPU time — vs ${against}`,
          unit: 'ms',
          ours: stats(now.cpu),
          floor: stats(then.cpu),
          floorName: 'earlier build',
        },
        {
          section: 'CLI: this build vs an earlier one, same rounds',
          name: `\`tokensmith token\` (${what}), peak RSS — vs ${against}`,
          unit: 'MB',
          ours: stats(now.rss),
          floor: stats(then.rss),
          floorName: 'earlier build',
        },
      );
    }
  }
  const rssVersus = (ours: Kind, name: string, value?: number) =>
    rows.push({
      section: 'Memory',
      name,
      unit: 'MB',
      ours: stats(ours.rss),
      floor: stats(fetchFloor.rss),
      floorName: fetchName,
      ...(value ? { goal: { kind: 'ratio', value } } : {}),
    });
  rssVersus(
    fresh,
    'CLI peak RSS, `tokensmith token --no-cache` (a fresh token) — vs the built-in fetch script',
    1.1,
  );
  rssVersus(
    hit,
    'CLI peak RSS, `tokensmith token` (a cache hit) — vs the built-in fetch script',
    1.1,
  );
  for (const peer of [openid, httpie]) {
    if (!peer) continue;
    rows.push(
      {
        section: 'Peers',
        name: `a fresh token: \`tokensmith token --no-cache\` vs ${peer.name === 'HTTPie' ? 'HTTPie (`http -a id:secret --form POST …`, Debian’s httpie)' : 'an openid-client script (clientCredentialsGrant, the token endpoint given)'}`,
        unit: 'ms',
        ...versus(fresh, peer, peer.name),
      },
      {
        section: 'Peers',
        name: `peak RSS of the same runs: Tokensmith vs ${peer.name}`,
        unit: 'MB',
        ours: stats(fresh.rss),
        floor: stats(peer.rss),
        floorName: peer.name,
      },
    );
  }
  if (bench.peers)
    rows.push({
      section: 'Peers',
      name: `(for scale) the built-in fetch script in the same rounds${peerNotes.length ? `; ${peerNotes.join('; ')}` : ''}`,
      unit: 'ms',
      ours: stats(fetchFloor.ms),
    });
  await server.close();
}
