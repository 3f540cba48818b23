/**
 * Feedback the desktop app got wrong: a Copy button said "Copied" when the clipboard refused the
 * text (as Electron's permission handler made it do), and the connection list did not show
 * connections imported elsewhere (File → Import… in the desktop app, another tab here) until the
 * user switched pages.
 */
import { writeFileSync } from 'node:fs';
import { test, expect, screenshot } from './fixtures.js';
import { listItem, openConnection, openFlow } from './support.js';

/** The page's globals as far as used here (e2e code is type-checked without the DOM library). */
type PageGlobals = { navigator: { clipboard: { readText(): Promise<string> } } };

test('Copy says Copied when the clipboard takes the text, and that it failed when it refuses', async ({
  app,
  appPage: page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(app.host.url).origin,
  });
  await openConnection(page, 'sandbox-client-credentials');
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  const result = page.getByRole('region', { name: 'Result' });
  const token = result.getByRole('textbox', { name: 'Access Token', exact: true });
  await result.getByRole('button', { name: 'Reveal Access Token' }).click();
  await expect(token).toHaveValue(/^[\w-]{20,}$/);

  const copy = result.getByRole('button', { name: 'Copy Access Token' });
  await copy.click();
  await expect(page.getByRole('tooltip', { name: 'Copied' })).toBeVisible();
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).navigator.clipboard.readText(),
    ),
  ).toBe(await token.inputValue());

  // What Electron's permission handler did to every copy before it allowed clipboard writes.
  await page.evaluate(() =>
    Object.defineProperty((globalThis as unknown as PageGlobals).navigator.clipboard, 'writeText', {
      value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    }),
  );
  await copy.click();
  await expect(
    page.getByRole('tooltip', { name: 'Copy failed: the clipboard refused the text' }),
  ).toBeVisible();
  await screenshot(page, 'copy-failed');
});

test('connections imported in another tab appear in this tab’s list at once', async ({
  app,
  appPage: page,
}, testInfo) => {
  const other = await page.context().newPage();
  const errors: string[] = [];
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(app.host.url);
  await expect(other.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
  await expect(listItem(other, 'sandbox-password')).toBeVisible();

  const file = testInfo.outputPath('one-connection.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'tokensmith.connections',
      version: 1,
      connections: [
        {
          id: 'imported-elsewhere',
          name: 'Imported elsewhere',
          type: 'client_credentials',
          tokenEndpoint: app.sandbox.server.tokenEndpoint,
          client: { id: 'cc-basic' },
        },
      ],
    }),
  );
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Connections file').setInputFiles(file);
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText(/^Imported 1 connection\(s\)/)).toBeVisible();

  await expect(listItem(other, 'Imported elsewhere')).toBeVisible();
  expect(errors, 'page errors in the other tab').toEqual([]);
  await other.close();
});
