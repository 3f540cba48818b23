// Builds the Electron main process (ESM, dependencies left as imports: electron-builder packs
// them) and the preload (CommonJS, as a sandboxed preload must be) into dist/electron
// (`npm run build:electron`). `--outdir DIR` builds the same into DIR: the main-process wiring
// test and the packaging check (build/dist-check.mjs) do, to leave dist/ alone.
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Writes `main.js` and `preload.cjs` into `outdir`. */
export async function buildElectron(outdir = join(root, 'dist', 'electron')) {
  const common = { absWorkingDir: root, bundle: true, platform: 'node', logLevel: 'warning' };
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      format: 'esm',
      packages: 'external',
      outfile: join(outdir, 'main.js'),
    }),
    build({
      ...common,
      entryPoints: ['electron/preload.ts'],
      format: 'cjs',
      external: ['electron'],
      minify: true,
      outfile: join(outdir, 'preload.cjs'),
    }),
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  await buildElectron(values.outdir && resolve(values.outdir));
}
