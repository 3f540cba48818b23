/**
 * The workbench with the keyboard alone (issue 24): after each action focus is somewhere
 * sensible — never the page body — and the list, the tabs and the palette answer to their keys.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures.js';
import { editor, expectAccessible, field, listItem, look, resultField } from './support.js';

/** What has focus, as the user would hear it; "BODY" when focus is nowhere. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: unknown; body: unknown } })
      .document;
    const el = d.activeElement as { getAttribute(n: string): string | null; textContent: string };
    if (!el || el === d.body) return 'BODY';
    return el.getAttribute('aria-label') ?? el.textContent.trim();
  });

async function expectFocused(page: Page, target: Locator, what: string): Promise<void> {
  await expect(target, what).toBeFocused();
  expect(await focusedName(page), what).not.toBe('BODY');
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Connections' });

test('the list is a grid with one Tab stop: arrows, Home/End, Enter opens and focuses the editor', async ({
  appPage: page,
}) => {
  const names = (await grid(page).getByRole('row').allInnerTexts()).map((t) => t.trim());
  expect(names.length).toBeGreaterThan(3);
  await page.getByLabel('Search connections').focus();
  await page.keyboard.press('Tab');
  const first = listItem(page, names[0] as string);
  await expectFocused(page, first, 'Tab from the search: the first row');
  await page.keyboard.press('ArrowDown');
  await expectFocused(page, listItem(page, names[1] as string), 'ArrowDown');
  await page.keyboard.press('End');
  const last = listItem(page, names[names.length - 1] as string);
  await expectFocused(page, last, 'End');
  await page.keyboard.press('Home');
  await expectFocused(page, first, 'Home');
  await page.keyboard.press('ArrowRight');
  await expectFocused(
    page,
    page.getByRole('button', { name: `More actions for ${names[0]}` }),
    'ArrowRight: the row’s ⋯',
  );
  await page.keyboard.press('ArrowDown');
  await expectFocused(
    page,
    page.getByRole('button', { name: `More actions for ${names[1]}` }),
    'ArrowDown keeps the column',
  );
  await page.keyboard.press('ArrowLeft');
  const second = listItem(page, names[1] as string);
  await expectFocused(page, second, 'ArrowLeft');
  // One Tab stop: Tab leaves the list, Shift+Tab comes back to the same row.
  await page.keyboard.press('Tab');
  expect(
    await grid(page).evaluate((g) =>
      g.contains((g.ownerDocument as unknown as { activeElement: never }).activeElement),
    ),
  ).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expectFocused(page, second, 'Shift+Tab back into the list');
  await expect(grid(page).locator('[tabindex="0"]')).toHaveCount(1);
  await look(page, 'keyboard-list-focus');
  // Enter: the connection opens and its editor's first field has focus.
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { name: `Configure Connection: ${names[1]}`, level: 1 }),
  ).toBeVisible();
  await expectFocused(page, field(editor(page), 'Name'), 'Enter opens: the editor’s Name');
  await expect(grid(page).getByRole('row', { selected: true })).toContainText(names[1] as string);
  // Delete on a row asks first; once it is gone, focus is on the list again.
  await listItem(page, names[3] as string).focus();
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('dialog', { name: 'Delete connection?' });
  await expect(confirm).toContainText(names[3] as string);
  await confirm.getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  await expect(listItem(page, names[3] as string)).toHaveCount(0);
  await expect
    .poll(() =>
      grid(page).evaluate((g) =>
        g.contains((g.ownerDocument as unknown as { activeElement: never }).activeElement),
      ),
    )
    .toBe(true);
});

test('the palette gives focus to its target; Esc gives it back', async ({ appPage: page }) => {
  const names = (await grid(page).getByRole('row').allInnerTexts()).map((t) => t.trim());
  const name = names[2] as string;
  await page.getByLabel('Search connections').focus();
  await page.keyboard.press('Control+k');
  await expectFocused(page, page.getByRole('combobox', { name: 'Command' }), 'the palette');
  await page.keyboard.press('Escape');
  await expectFocused(page, page.getByLabel('Search connections'), 'Esc: back where it was');
  await page.keyboard.press('Control+k');
  await expectFocused(page, page.getByRole('combobox', { name: 'Command' }), 'the palette');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { name: `Configure Connection: ${name}`, level: 1 }),
  ).toBeVisible();
  await expectFocused(page, field(editor(page), 'Name'), 'palette → connection: its Name');
  await expect(field(editor(page), 'Name')).toHaveValue(name);
  // Run from the palette: the flow's dialog, then focus back where it was before the palette.
  await page.keyboard.press('Control+k');
  await expectFocused(page, page.getByRole('combobox', { name: 'Command' }), 'the palette');
  await page.keyboard.type('Generate Access Token');
  await page.keyboard.press('Enter');
  await expect(resultField(page, 'Token Type')).toHaveValue(/Bearer|DPoP/);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectFocused(page, field(editor(page), 'Name'), 'palette → Generate: back to Name');
  await page.keyboard.press('Control+k');
  await expectFocused(page, page.getByRole('combobox', { name: 'Command' }), 'the palette');
  await page.keyboard.type('Token Cache');
  await page.keyboard.press('Enter');
  await expectFocused(
    page,
    page.getByRole('heading', { name: 'Token Cache', level: 1 }),
    'palette → page: its heading',
  );
  await look(page, 'keyboard-palette-to-page');
});

test('Ctrl+Enter runs; focus stays in the editor after the dialog closes', async ({
  appPage: page,
}) => {
  await page.getByLabel('Search connections').fill('sandbox-client-credentials');
  await page.keyboard.press('ArrowDown');
  await expectFocused(page, listItem(page, 'sandbox-client-credentials'), 'ArrowDown from search');
  await page.keyboard.press('Enter');
  const name = field(editor(page), 'Name');
  await expectFocused(page, name, 'Enter: Name');
  await page.keyboard.press('Control+Enter');
  // The flow's dialog runs and closes on success: focus is back on the field it was run from.
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectFocused(page, name, 'after Ctrl+Enter');
  await look(page, 'keyboard-after-run');
});

test('tabs: Alt+W and Delete close, a real Close button, focus to the next tab or the list', async ({
  appPage: page,
}) => {
  // Alt+N in browser mode (browsers keep Ctrl+N and Ctrl+Shift+N): a new connection, its Name.
  await page.keyboard.press('Alt+N');
  await expectFocused(page, field(editor(page), 'Name'), 'Alt+N: the new connection’s Name');
  const names = (await grid(page).getByRole('row').allInnerTexts()).map((t) => t.trim());
  for (const n of names.slice(0, 3)) {
    await listItem(page, n).focus();
    await page.keyboard.press('Enter');
    await expectFocused(page, field(editor(page), 'Name'), `open ${n}`);
  }
  const tab = (n: string) =>
    page.getByRole('tab', { name: new RegExp(`^${n}( \\(unsaved changes\\))?$`) });
  await expect(page.getByRole('tab')).toHaveCount(4);
  // The active tab's Close button: named, reachable with Tab from the tab list.
  await tab(names[2] as string).focus();
  await page.keyboard.press('Tab');
  const close = page.getByRole('button', { name: `Close ${names[2]}` });
  await expectFocused(page, close, 'Tab from the tab: its Close button');
  // (a focused IconButton's ripple pulses for ever: no wait for animations to end)
  await screenshot(page, 'keyboard-tab-close-button');
  // Its tooltip appears after a delay and fades in: axe measures contrast once it is there and
  // opaque, not mid-fade (waiting only for "every tooltip opaque" passed before it appeared).
  await expect(page.getByRole('tooltip')).toBeVisible();
  await expect(page.locator('.MuiTooltip-tooltip')).toHaveCSS('opacity', '1');
  await expectAccessible(page, 'the tab strip with Close focused');
  await page.keyboard.press('Enter');
  await expect(tab(names[2] as string)).toHaveCount(0);
  await expectFocused(page, tab(names[1] as string), 'closed by its button: the next tab');
  // Alt+W from inside the editor closes the active tab.
  await field(editor(page), 'Name').focus();
  await page.keyboard.press('Alt+W');
  await expect(tab(names[1] as string)).toHaveCount(0);
  await expectFocused(page, tab(names[0] as string), 'Alt+W: the next tab');
  // Delete on a focused tab (moved to with the arrows, not chosen) closes that one.
  await page.keyboard.press('ArrowLeft');
  await expectFocused(page, tab('New connection'), 'ArrowLeft in the tab list');
  await page.keyboard.press('Delete');
  await expect(tab('New connection')).toHaveCount(0);
  await expectFocused(page, tab(names[0] as string), 'Delete: the tab left');
  await page.keyboard.press('Delete');
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expectFocused(page, listItem(page, names[0] as string), 'the last tab closed: the list');
  await look(page, 'keyboard-all-tabs-closed');
});
