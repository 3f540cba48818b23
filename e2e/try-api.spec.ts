/**
 * Try API keeps what the user sent for the session: the panel opens on the connection's last
 * call (also after switching connections), offers the earlier ones, and takes the focus when
 * opened so that Send is reached from the keyboard.
 */
import { test, expect } from './fixtures.js';
import { editor, look, openConnection } from './support.js';

test('Try API opens on the last call of the connection and offers the recent ones', async ({
  app,
  appPage: page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openConnection(page, 'sandbox-client-credentials');
  await editor(page)
    .getByRole('button', { name: /^Try API/ })
    .click();
  const panel = editor(page).getByRole('region', { name: 'Try API' });
  const url = panel.getByLabel('API URL');
  await expect(url).toBeFocused();
  await url.fill(`${app.sandbox.server.apiUrl}?first`);
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: 'Send' })).toBeFocused();
  await expect(panel.getByRole('button', { name: 'Send' })).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await url.fill(`${app.sandbox.server.apiUrl}?second`);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();

  // Elsewhere and back: the last call is there, the first one a choice away.
  await openConnection(page, 'sandbox-password');
  await openConnection(page, 'sandbox-client-credentials');
  const again = editor(page).getByRole('region', { name: 'Try API' });
  if (!(await again.isVisible()))
    await editor(page)
      .getByRole('button', { name: /^Try API/ })
      .click();
  await expect(again.getByLabel('API URL')).toHaveValue(`${app.sandbox.server.apiUrl}?second`);
  await again.getByRole('combobox', { name: 'Recent calls (this session)' }).click();
  await look(page, 'try-api-recent-calls');
  await page.getByRole('option', { name: /\?first — HTTP 200$/ }).click();
  await expect(again.getByLabel('API URL')).toHaveValue(`${app.sandbox.server.apiUrl}?first`);
});
