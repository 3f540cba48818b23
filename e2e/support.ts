/**
 * Page objects and checks for the workbench: the connections list, an editor, the flow dialog,
 * the Connection Groups result; locators by role and label only. `expectAccessible` runs axe on
 * what is on screen and fails on serious or critical violations.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { screenshot } from './fixtures.js';

/** A field by its label; a required field's label ends in " *". */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}

export async function fill(scope: Page | Locator, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await field(scope, label).fill(value);
}

export async function choose(
  page: Page,
  scope: Page | Locator,
  label: string,
  option: string | RegExp,
): Promise<void> {
  const box = scope.getByRole('combobox', { name: label });
  await box.click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(box).toHaveText(option);
}

/** The connection in the sidebar list (a grid: the row's name cell). */
export const listItem = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Connections list' })
    .getByRole('gridcell', { name, exact: true });

export async function openConnection(page: Page, name: string): Promise<void> {
  await listItem(page, name).click();
  await expect(
    page.getByRole('heading', { name: `Configure Connection: ${name}`, level: 1 }),
  ).toBeVisible();
}

export async function newConnection(page: Page, typeLabel: string): Promise<void> {
  await page.getByRole('button', { name: 'New Connection', exact: true }).click();
  await page.getByRole('menuitem', { name: typeLabel }).click();
  await expect(
    page.getByRole('heading', { name: /^Configure Connection/, level: 1 }),
  ).toBeVisible();
}

/** The editor of the tab in view. */
export const editor = (page: Page) =>
  page.getByRole('form', { name: 'Configure Connection' }).filter({ visible: true });

export async function save(page: Page): Promise<void> {
  await editor(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/^Saved “/)).toBeVisible();
}

/** Opens the flow's dialog with Generate Access Token. */
export async function openFlow(page: Page): Promise<Locator> {
  await editor(page).getByRole('button', { name: 'Generate Access Token' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The Connection Groups token fields of the editor in view. */
export const result = (page: Page) => editor(page).getByRole('region', { name: 'Result' }).first();

export const resultField = (page: Page, label: string) =>
  result(page).getByRole('textbox', { name: label, exact: true });

/** axe on what is on screen: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad, `accessibility of ${what}`).toEqual([]);
}

/** Nothing scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const d = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
  expect(overflow, `sideways scroll on ${what}`).toBeLessThanOrEqual(0);
}

/** Waits until no transition runs (dialogs fading in, accordions opening). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    (
      globalThis as unknown as { document: { getAnimations(): Array<{ playState: string }> } }
    ).document
      .getAnimations()
      .every((a) => a.playState !== 'running'),
  );
}

/** A screenshot and the accessibility check of the same screen. */
export async function look(page: Page, name: string): Promise<void> {
  await settled(page);
  await screenshot(page, name);
  await expectAccessible(page, name);
}

/**
 * The import dialog's review step: the file would use things of the user's (`expected`, each
 * named in the list); every one is ticked, and the import goes ahead.
 */
export async function allowImportBindings(
  page: Page,
  expected: RegExp[],
  screenshotName?: string,
): Promise<void> {
  const dialog = page.getByRole('dialog');
  const review = dialog.getByRole('region', { name: /this file would use \d+ things? of yours/ });
  await expect(review).toBeVisible();
  for (const text of expected) await expect(review).toContainText(text);
  if (screenshotName) await look(page, screenshotName);
  const allow = dialog.getByRole('button', { name: 'Allow and import' });
  await expect(allow).toBeDisabled();
  const boxes = review.getByRole('checkbox');
  for (const box of await boxes.all()) await box.check();
  await allow.click();
}
