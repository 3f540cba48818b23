/**
 * e2e fixtures: for every test a fresh data folder, the sandbox authorization server in it, and
 * browser mode serving the built renderer; the page opens the app and fails on any page error.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { createAppService, type AppService } from '../electron/core/app-service.js';
import { startWebHost, type WebHost } from '../web/server.js';
import { freePort } from '../test/support/ports.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = join(root, 'e2e', 'artifacts', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export interface App {
  sandbox: Sandbox;
  host: WebHost;
  service: AppService;
  dataDir: string;
  /** Calls the contract directly, as the UI does (for setup and for checking stored data). */
  api(channel: string, request?: unknown): Promise<unknown>;
}

export const test = base.extend<{ app: App; appPage: Page }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form for fixtures.
  app: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-e2e-'));
    const sandbox = await startSandbox({ dataDir, port: 0, jwkPort: await freePort() });
    const hostRef: { current?: WebHost } = {};
    const service = createAppService({
      workspace: sandbox.workspace,
      env: {},
      mode: 'browser',
      version: 'e2e',
      emit: (event) => hostRef.current?.emit(event),
      onWorkspaceChanged: (event) => hostRef.current?.notify('workspace:changed', event),
    });
    const host = await startWebHost({
      dispatch: service.dispatch,
      staticDir: join(root, 'dist', 'renderer'),
    });
    const api = async (channel: string, request: unknown = {}) => {
      const result = await service.dispatch(channel, request);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
    hostRef.current = host;
    await service.start(); // the JWKS server, as the app starts it
    await use({ sandbox, host, service, dataDir, api });
    await host.close();
    await service.close();
    await sandbox.close();
  },
  appPage: async ({ app, page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.host.url);
    await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
    await use(page);
    expect(errors, 'page errors').toEqual([]);
  },
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
