/**
 * Smoke test of the real desktop window with Playwright's Electron support. It runs where an
 * Electron binary is installed (a normal `npm install`) and is reported as skipped where the
 * binary could not be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD builds).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, expect, _electron as electron } from '@playwright/test';

/**
 * The installed Electron binary, found as the `electron` package finds it but without loading
 * the package: Electron 45's package downloads a missing binary when loaded, which these machines
 * must never try.
 */
function electronBinary(): string | undefined {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative) : join(dir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();

test('the desktop window opens on the Connections page', async () => {
  test.skip(
    !binary,
    'No Electron binary is installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); run `npm install` normally to get one.',
  );
  const app = await electron.launch({
    args: ['.', '--no-sandbox'],
    executablePath: binary as string,
    env: {
      ...process.env,
      ELECTRON_USER_DATA: mkdtempSync(join(tmpdir(), 'tokensmith-electron-')),
    },
  });
  const window = await app.firstWindow();
  await expect(window.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
  // No Node in the page: contextIsolation + sandbox + no nodeIntegration.
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );
  expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
    'undefined',
  );
  expect(
    await window.evaluate(
      () => typeof (window as { tokensmith?: { invoke?: unknown } }).tokensmith?.invoke,
    ),
  ).toBe('function');
  await app.close();
});
