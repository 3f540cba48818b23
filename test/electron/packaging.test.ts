/**
 * The packaged desktop app, as `npm run dist` makes it for Linux: build/dist-check.ts packs it
 * with electron-builder (placeholder Electron distribution; the deb built by dpkg-deb from fpm's
 * command line, build/fpm-deb.mjs), checks app.asar, starts the unpacked app against the
 * electron stand-in, unpacks the deb and runs the CLI it installs at /usr/bin/tokensmith.
 * About 40 s on two cores.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPackaging } from '../../build/dist-check.js';

describe('packaging (electron-builder, Linux dir + deb targets)', () => {
  it(
    'packs what the main process runs and nothing of the renderer or the build',
    { timeout: 240_000 },
    async () => {
      const report = await checkPackaging();
      console.info(
        `app.asar: ${report.asarBytes} bytes, ${report.asarEntries} entries, packed in ${report.seconds} s`,
      );
      expect(report.problems).toEqual([]);
      expect(report.mainImports).toEqual(
        expect.arrayContaining(['electron-store', 'jose', 'undici', 'zod']),
      );
      expect(Object.keys(report.packages)).toEqual(expect.arrayContaining(report.mainImports));
      // The desktop app seals with the data folder's key in the OS keychain, as the CLI does.
      expect(Object.keys(report.packages)).toContain('@napi-rs/keyring');
      if (process.arch === 'x64')
        expect(Object.keys(report.packages)).toContain('@napi-rs/keyring-linux-x64-gnu');
      for (const name of Object.keys(report.packages))
        expect(name).not.toMatch(/^(react|react-dom|@mui|@emotion|tsx|esbuild|@esbuild)(\/|$)/);
      expect(report.loadedPage).toBe('dist/renderer/index.html');
      expect(report.deb.depends).toEqual(
        expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libsecret-1-0']),
      );
      expect(report.deb.desktopFiles).toEqual(['/usr/share/applications/tokensmith.desktop']);
      // `tokensmith` on PATH is the CLI, the same version as the app; the window has its own name.
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      expect(report.deb.cliVersion).toBe(`tokensmith ${version}`);
      expect(report.deb.cliLauncher).toContain('ELECTRON_RUN_AS_NODE=1 exec');
      expect(report.deb.files).toEqual(
        expect.arrayContaining([
          '/usr/bin/tokensmith',
          '/opt/Tokensmith/tokensmith-desktop',
          '/usr/share/metainfo/dev.tokensmith.app.metainfo.xml',
          '/usr/share/mime/packages/tokensmith-desktop.xml',
          '/usr/share/icons/hicolor/16x16/apps/tokensmith-desktop.png',
          '/usr/share/icons/hicolor/512x512/apps/tokensmith-desktop.png',
        ]),
      );
      expect(report.deb.control.Package).toBe('tokensmith');
      // 56 MB and 28,690 entries before React, MUI, Emotion and tsx left the dependencies.
      expect(report.asarBytes).toBeLessThan(20 * 1024 * 1024);
      expect(report.asarEntries).toBeLessThan(5_000);
    },
  );

  it(
    'fails when a runtime dependency is missing from the package (the app is started where nothing else resolves)',
    { timeout: 240_000 },
    async () => {
      // conf: a dependency of electron-store, not of Tokensmith itself.
      const report = await checkPackaging(() => {}, { omit: ['conf'] });
      expect(report.problems.join('\n')).toContain("Cannot find package 'conf'");
    },
  );
});
