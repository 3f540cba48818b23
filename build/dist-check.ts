/**
 * `npm run dist:check`: packs the Linux app the way `npm run dist` does — the same
 * electron-builder configuration, the same builds — in a staging folder, with a placeholder
 * Electron distribution (no Electron binary can be downloaded here) and a recording stand-in for
 * fpm, then checks what a user would get:
 *
 * - app.asar holds the main bundle, the preload, the whole renderer and every package the main
 *   bundle imports, and none of the renderer's or the build's libraries (React, MUI, Emotion,
 *   tsx, esbuild…); every production dependency is one the main bundle imports;
 * - the unpacked app starts: its main bundle runs under Node against the recording stand-in for
 *   `electron` (test/electron/electron-stand-in.mjs) up to a shown window, so every import
 *   resolves inside the package and the page and preload it loads exist there;
 * - the deb target gets a maintainer, a homepage, electron-builder's full Depends list and a
 *   .desktop file named after `desktopName`.
 *
 * Prints the asar's size and entry count. test/electron/packaging.test.ts runs it in the unit
 * suite.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { build } from 'esbuild';
import { launchMain } from '../test/electron/stand-in-driver.js';
import { checkDeb, type DebReport } from './deb-check.js';
import { copyProductionModules, placeholderElectron } from './dist-stage.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Packages that must never be in the app: bundled by Vite, or tools of the build. */
/**
 * Production dependencies the desktop app leaves out (build/electron-builder.yml excludes them).
 * None now: the OS keychain binding seals the desktop app's secrets too (one key for every face).
 */
const DESKTOP_UNUSED = new Set<string>([]);

const FORBIDDEN = [
  'react',
  'react-dom',
  'react-hook-form',
  '@hookform',
  '@mui',
  '@emotion',
  'tsx',
  'esbuild',
  '@esbuild',
  'vite',
  'typescript',
  'electron',
  'electron-builder',
];

export interface PackagingReport {
  asarBytes: number;
  asarEntries: number;
  /** Packages in app.asar's node_modules, with their size in bytes. */
  packages: Record<string, number>;
  /** The bare imports of the packed main bundle (Node built-ins and `electron` left out). */
  mainImports: string[];
  /** What the packaged app's window loaded when started against the stand-in. */
  loadedPage: string;
  deb: DebReport;
  problems: string[];
  seconds: number;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  // A test runner's NODE_ENV=test would make Vite build the development renderer.
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export async function checkPackaging(
  log: (line: string) => void = () => {},
  options: { omit?: readonly string[] } = {},
): Promise<PackagingReport> {
  const started = Date.now();
  const problems: string[] = [];
  const stage = mkdtempSync(join(tmpdir(), 'tokensmith-dist-check-'));
  const extractRoot = mkdtempSync(join(tmpdir(), 'tokensmith-asar-'));
  try {
    // 1. A copy of the project as `npm run dist` sees it on a machine that installed only the
    //    production dependencies: package files, build resources, that node_modules tree (a
    //    copy), and dist/ built with the project's own build steps.
    for (const file of ['package.json', 'package-lock.json'])
      cpSync(join(root, file), join(stage, file));
    cpSync(join(root, 'build'), join(stage, 'build'), { recursive: true });
    copyProductionModules(stage, options.omit ?? []);
    log('building the main process, the preload and the renderer');
    await run(process.execPath, [
      'build/build-electron.mjs',
      '--outdir',
      join(stage, 'dist', 'electron'),
    ]);
    await run('npm', [
      'run',
      'build:cli',
      '--silent',
      '--',
      `--outdir=${join(stage, 'dist', 'cli')}`,
    ]);
    await run(process.execPath, [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--logLevel',
      'warn',
      '--emptyOutDir',
      '--outDir',
      join(stage, 'dist', 'renderer'),
    ]);

    // 2. electron-builder, the Linux dir and deb targets, with stand-ins for what it downloads.
    const electronVersion = (
      JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    placeholderElectron(join(stage, 'electron-placeholder'), process.execPath);
    // The deb is built by Debian's dpkg-deb from fpm's command line (fpm is a download).
    const fpm = join(stage, 'fpm');
    writeFileSync(
      fpm,
      `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'build', 'fpm-deb.mjs')}" "$@"\n`,
    );
    chmodSync(fpm, 0o755);
    const out = join(stage, 'out');
    log(`electron-builder (Electron ${electronVersion}, placeholder distribution)`);
    await run(
      process.execPath,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--projectDir',
        stage,
        '--config',
        'build/electron-builder.yml',
        '--linux',
        'dir',
        'deb',
        '--x64',
        '--publish',
        'never',
        `-c.electronDist=${join(stage, 'electron-placeholder')}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${out}`,
      ],
      { CUSTOM_FPM_PATH: fpm },
    );

    // 3. What app.asar holds.
    const unpacked = join(out, 'linux-unpacked');
    const asar = join(unpacked, 'resources', 'app.asar');
    // Beside the archive, as plain files: the OS keychain and PKCS#11 bindings (a native module
    // cannot be loaded from inside it) and the CLI, which the packaged Electron runs as Node.js.
    const outside = join(unpacked, 'resources', 'app.asar.unpacked');
    for (const file of existsSync(outside)
      ? readdirSync(outside, { recursive: true }).map(String)
      : [])
      if (
        !statSync(join(outside, file)).isDirectory() &&
        !/^(node_modules[\\/]@napi-rs[\\/]keyring|node_modules[\\/]pkcs11js[\\/]|dist[\\/]cli[\\/])/.test(
          file,
        )
      )
        problems.push(
          `app.asar.unpacked/${file}: a file other than the CLI and the native bindings (keychain, PKCS#11)`,
        );
    const entries = listPackage(asar, { isPack: false }).map((p) => p.split(sep).join('/'));
    const files = new Set(entries);
    const packages: Record<string, number> = {};
    for (const entry of entries) {
      const match = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(entry);
      if (!match) continue;
      const stat = statFile(asar, entry.slice(1), false) as { size?: number };
      packages[match[1]!] = (packages[match[1]!] ?? 0) + (stat.size ?? 0);
    }
    for (const required of [
      '/package.json',
      '/dist/electron/main.js',
      '/dist/electron/preload.cjs',
    ])
      if (!files.has(required)) problems.push(`${required} is missing from app.asar`);
    const rendererDir = join(stage, 'dist', 'renderer');
    for (const file of readdirSync(rendererDir, { recursive: true }).map(String)) {
      if (statSync(join(rendererDir, file)).isDirectory() || file.endsWith('.map')) continue;
      const entry = `/dist/renderer/${file.split(sep).join('/')}`;
      if (!files.has(entry)) problems.push(`${entry} (renderer) is missing from app.asar`);
    }
    for (const name of Object.keys(packages))
      if (FORBIDDEN.some((f) => name === f || name.startsWith(`${f}/`)))
        problems.push(`node_modules/${name} is packed, but the app does not run it`);

    // 4. Every package the packed main bundle imports is packed; every dependency is imported.
    //    Extracted where no node_modules folder is above it: only what the package holds resolves.
    const extracted = join(extractRoot, 'app');
    // A node_modules folder above it (a stray /tmp/node_modules) would resolve what the package lacks.
    for (let dir = extractRoot; dir !== dirname(dir); dir = dirname(dir))
      if (existsSync(join(dirname(dir), 'node_modules')))
        problems.push(
          `${join(dirname(dir), 'node_modules')} is above the extracted app: remove it, or the check cannot tell a missing package`,
        );
    extractAll(asar, extracted);
    const mainJs = join(extracted, 'dist', 'electron', 'main.js');
    const analysis = await build({
      absWorkingDir: extracted,
      entryPoints: [mainJs],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    const mainInput = analysis.metafile.inputs['dist/electron/main.js'];
    // A library loaded on first use goes through `createRequire(import.meta.url)('name')`.
    const lazy = [
      ...readFileSync(mainJs, 'utf8').matchAll(
        /createRequire\d*\(import\.meta\.url\)\(\s*["']([^"']+)["']\s*\)/g,
      ),
    ].map((m) => m[1] ?? '');
    const mainImports = [
      ...new Set(
        [...(mainInput?.imports ?? []).map((i) => i.path), ...lazy]
          .filter((p) => !p.startsWith('node:') && !p.startsWith('.') && !p.startsWith('/'))
          .map(packageName)
          .filter((p) => p !== 'electron' && !DESKTOP_UNUSED.has(p)),
      ),
    ].sort();
    if (mainImports.length === 0) problems.push('no package imports found in the main bundle');
    for (const name of mainImports)
      if (!files.has(`/node_modules/${name}/package.json`))
        problems.push(`${name} is imported by the main process but not packed`);
    const manifest = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8')) as {
      main?: string;
      dependencies?: Record<string, string>;
    };
    if (manifest.main !== 'dist/electron/main.js')
      problems.push(`the packed package.json's main is ${manifest.main}`);
    for (const name of Object.keys(manifest.dependencies ?? {}))
      if (!mainImports.includes(name) && !DESKTOP_UNUSED.has(name))
        problems.push(
          `${name} is a production dependency but the main process does not import it: it is packed for nothing (make it a devDependency)`,
        );

    // 5. The packed app starts: main runs against the electron stand-in up to a shown window.
    log('starting the unpacked app against the electron stand-in');
    let loadedPage = '';
    const main = await launchMain(mainJs, {
      ELECTRON_USER_DATA: mkdtempSync(join(stage, 'user-data-')),
      TOKENSMITH_SECRET_KEY_STORE: 'file',
      STAND_IN_PACKAGED: '1',
    });
    try {
      await main.waitFor('app.whenReady', (e) => e.call === 'app.whenReady');
      await main.op('ready');
      const loaded = await main.waitFor('window.loadFile', (e) => e.call === 'window.loadFile');
      await main.waitFor('window.show', (e) => e.call === 'window.show');
      loadedPage = String(loaded.args[1]);
      if (!loadedPage.startsWith(extracted + sep) || !existsSync(loadedPage))
        problems.push(`the window loaded ${loadedPage}, not a page inside the package`);
      const created = main.calls('new BrowserWindow')[0]?.args[0] as
        { webPreferences?: { preload?: string } } | undefined;
      const preload = created?.webPreferences?.preload ?? '';
      if (!preload.startsWith(extracted + sep) || !existsSync(preload))
        problems.push(`the preload ${preload} is not inside the package`);
    } catch (e) {
      problems.push(`the packed app did not start: ${(e as Error).message}`);
    } finally {
      await main.stop();
    }

    // Libraries loaded on first use (not at start-up) load from the package too.
    const loads = `const r = require('node:module').createRequire(process.argv[1]); for (const n of process.argv.slice(2)) r(n);`;
    await run(process.execPath, ['-e', loads, mainJs, ...lazy]).catch((e: Error) =>
      problems.push(`a library loaded on first use does not load: ${e.message}`),
    );
    // 6. The deb, unpacked as dpkg would install it.
    const debFile = readdirSync(out).find((f) => f.endsWith('.deb'));
    const deb = debFile
      ? checkDeb(join(out, debFile), extractRoot, problems)
      : ({ depends: [], desktopFiles: [], files: [], desktopEntry: '' } as unknown as DebReport);
    if (!debFile) problems.push('electron-builder made no .deb');

    return {
      asarBytes: statSync(asar).size,
      asarEntries: entries.length,
      packages,
      mainImports,
      loadedPage: relative(extracted, loadedPage),
      deb,
      problems,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
    rmSync(extractRoot, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await checkPackaging((line) => console.log(`dist:check: ${line}`));
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `app.asar: ${mb(report.asarBytes)} (${report.asarBytes} bytes), ${report.asarEntries} entries; ` +
      `largest packages: ${Object.entries(report.packages)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 5)
        .map(([name, size]) => `${name} ${mb(size)}`)
        .join(', ')}`,
  );
  console.log(report.deb.desktopEntry);
  console.log(`main process imports: ${report.mainImports.join(', ')}`);
  console.log(
    `deb: ${report.deb.file}, ${report.deb.files.length} files, Depends ${report.deb.depends.join(', ')}; ${report.deb.cliVersion} at /usr/bin/tokensmith`,
  );
  console.log(`checked in ${report.seconds} s`);
  if (report.problems.length) {
    for (const problem of report.problems) console.error(`dist:check: ${problem}`);
    process.exit(1);
  }
  console.log('dist:check: ok');
}
