/**
 * The staging folder of the packaging check (build/dist-check.ts): a placeholder Electron
 * distribution, and the lock file's production dependency tree.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * A placeholder Electron distribution: what electron-builder copies for Linux, nothing real. Its
 * binary opens no window; with ELECTRON_RUN_AS_NODE=1 it runs `node` (Electron is then Node.js),
 * so that the packaged CLI's launcher can be checked.
 */
export function placeholderElectron(dir: string, node: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(
    join(dir, 'electron'),
    `#!/bin/sh\nif [ "$ELECTRON_RUN_AS_NODE" = 1 ]; then exec '${node.replaceAll("'", "'\\''")}' "$@"; fi\n` +
      'echo "Placeholder for Electron (dist check): not runnable." >&2\nexit 1\n',
  );
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'Placeholder for the Electron license file.\n');
}

/**
 * The lock file's production tree (what `npm ci --omit=dev` installs) copied into the stage, so
 * electron-builder packs what users get. `omit`: packages left out, to show the check then fails.
 */
export function copyProductionModules(stage: string, omit: readonly string[]): void {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  const paths = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.devOptional)
    .map(([path]) => path)
    .filter(
      (path) =>
        !omit.some((o) => path === `node_modules/${o}` || path.endsWith(`/node_modules/${o}`)),
    )
    .filter((path) => existsSync(join(root, path)))
    .sort();
  for (const path of paths) {
    // A nested package is copied with its parent's folder but not its parent's other nested ones.
    cpSync(join(root, path), join(stage, path), {
      recursive: true,
      filter: (source) => {
        const rel = relative(join(root, path), source);
        return !rel.startsWith(`node_modules${sep}`) && rel !== 'node_modules';
      },
    });
  }
}
