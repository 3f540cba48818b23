// Before `npm start` and `npm run sandbox`: say plainly what this Node and this machine can run,
// instead of an engine warning lost in npm's output or a `TypeError: fetch failed`.
// `node build/preflight.mjs electron|sandbox`.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
const atLeast = (M, m) => major > M || (major === M && minor >= m);
const what = process.argv[2];

if (what === 'electron') {
  const electron = join(root, 'node_modules', 'electron');
  const version = JSON.parse(readFileSync(join(electron, 'package.json'), 'utf8')).version;
  if (!atLeast(22, 12)) {
    console.error(
      `Electron ${version.split('.')[0]} needs Node 22.12 or later to start; this is Node ${process.versions.node}.\n` +
        'Use `npm run start:web` (the same app in your browser, on 127.0.0.1), or install Node 22 (see .nvmrc) and run `npm start` again.',
    );
    process.exit(1);
  }
  const pathFile = join(electron, 'path.txt');
  const binary = existsSync(pathFile) && join(electron, 'dist', readFileSync(pathFile, 'utf8'));
  if (!binary || !existsSync(binary) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)
    console.error(
      `Electron ${version}'s binary is not here yet: starting it downloads it now (about 100 MB, from GitHub or from ELECTRON_MIRROR when set; cached in ${process.env.ELECTRON_CACHE ?? join(homedir(), '.cache', 'electron')}).\n` +
        'If that fails (no network, a proxy), set ELECTRON_MIRROR to a reachable mirror, or put the zip in the cache folder, or use `npm run start:web`.',
    );
} else if (what === 'sandbox' && !atLeast(22, 0)) {
  console.error(
    `Node ${process.versions.node}: the sandbox runs, but oidc-provider will warn that it supports Node 22 and later ("Unsupported runtime"); its flows are tested on this Node.`,
  );
}
