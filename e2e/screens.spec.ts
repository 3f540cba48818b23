/**
 * Every screen and dialog at 1280×800, at 1024×700 and in the dark theme: a screenshot for the
 * artifacts, nothing scrolling sideways, and axe finding no serious or critical violation.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import {
  editor,
  expectAccessible,
  expectNoHorizontalScroll,
  listItem,
  openConnection,
  openFlow,
  settled,
} from './support.js';
import { screenshot } from './fixtures.js';

const LOOKS = [
  { suffix: '1280', width: 1280, height: 800, dark: false },
  { suffix: '1024', width: 1024, height: 700, dark: false },
  { suffix: 'dark', width: 1280, height: 800, dark: true },
] as const;

async function check(page: Page, name: string): Promise<void> {
  await settled(page);
  await expectNoHorizontalScroll(page, name);
  await screenshot(page, name);
  await expectAccessible(page, name);
}

for (const look of LOOKS) {
  test(`every screen and dialog (${look.suffix})`, async ({ appPage: page }) => {
    await page.setViewportSize({ width: look.width, height: look.height });
    await page.emulateMedia({ colorScheme: look.dark ? 'dark' : 'light' });
    if (look.dark) await expect(page.locator('html')).toHaveClass(/dark/);
    const shot = (name: string) => check(page, `${look.suffix}-${name}`);

    await shot('connections');
    await page.getByRole('button', { name: 'New Connection', exact: true }).click();
    await shot('new-connection-menu');
    await page.keyboard.press('Escape');

    await openConnection(page, 'sandbox-client-assertion');
    await shot('configure-client-assertion');
    const dialog = await openFlow(page);
    await shot('dialog-client-assertion');
    await dialog.getByRole('button', { name: 'Submit Request' }).click();
    await expect(dialog).toHaveCount(0);
    await shot('configure-client-assertion-result');
    for (const fold of [/^Advanced/, /^z\/OS Connect/, /^Try API/])
      await editor(page).getByRole('button', { name: fold }).click();
    await shot('configure-client-assertion-folds');

    await openConnection(page, 'sandbox-authorization-code');
    await openFlow(page);
    await shot('dialog-authorization-code');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+k');
    await shot('command-palette');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Export…' }).click();
    await shot('dialog-export');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    await shot('dialog-import');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await listItem(page, 'sandbox-password').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await shot('dialog-delete');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    for (const [link, name] of [
      ['Keystores & Truststores', 'keystores'],
      ['Proxy Aliases', 'proxies'],
      ['JWT Inspector', 'jwt-inspector'],
      ['Token Cache', 'token-cache'],
    ] as const) {
      await page.getByRole('link', { name: link }).click();
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await shot(name);
    }
    await page.getByRole('link', { name: 'Keystores & Truststores' }).click();
    await page.getByRole('button', { name: 'Import Keystore…' }).click();
    await shot('dialog-import-keystore');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Generate Key Pair…' }).click();
    await shot('dialog-generate-key-pair');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: 'Proxy Aliases' }).click();
    await page.getByRole('button', { name: 'New Proxy Alias' }).click();
    await shot('dialog-proxy-alias');
  });
}
