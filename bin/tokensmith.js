#!/usr/bin/env node
// Runs the CLI: the esbuild bundle (`npm run build:cli`) when it is newer than every source file
// it was built from, otherwise the TypeScript sources through tsx's loader (slower to start).
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node ≥ 22.1 keeps V8's compiled code of the modules it loads from here on (in the OS temp
// folder), so a later run skips most of the parsing; Node 20 has no such cache.
module.enableCompileCache?.();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'tokensmith.mjs');

function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  for (const dir of ['cli', 'shared', join('electron', 'core')]) {
    for (const name of readdirSync(join(root, dir), { recursive: true })) {
      if (String(name).endsWith('.ts') && statSync(join(root, dir, String(name))).mtimeMs > built)
        return false;
    }
  }
  return true;
}

if (bundleIsFresh()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/index.ts');
}
