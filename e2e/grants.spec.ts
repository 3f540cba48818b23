/**
 * The newer grants in the workbench, against the sandbox's oidc-provider: the device
 * authorization grant (user code, link and QR code; the code approved on the provider's own
 * pages, as a person at another device would), a token exchange whose chain is shown, and
 * Introspect / Revoke on the token in Connection Groups.
 */
import { test, expect, screenshot } from './fixtures.js';
import { approveDevice } from '../test/support/device-driver.js';
import {
  editor,
  expectAccessible,
  fill,
  newConnection,
  save,
  look,
  openConnection,
  openFlow,
  resultField,
} from './support.js';

test('device authorization: the code, its link and QR code; approved elsewhere, the token arrives', async ({
  appPage: page,
}) => {
  test.setTimeout(90_000);
  await openConnection(page, 'sandbox-device-code');
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Get Device Code' }).click();
  const panel = dialog.getByRole('region', { name: 'Device authorization' });
  await expect(panel).toBeVisible();
  await expect(
    panel.getByRole('img', { name: 'QR code of the verification page with the code filled in' }),
  ).toBeVisible();
  const link = panel.getByRole('link', { name: 'Open the page with the code filled in' });
  const complete = await link.getAttribute('href');
  expect(complete).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*user_code=/);
  await expectAccessible(page, 'device authorization panel');
  // The spinner turns while the code waits: no settling, a plain screenshot once in view.
  await expect(panel).toBeInViewport();
  await page.waitForTimeout(400); // the smooth scroll
  await screenshot(page, 'dialog-device-code');
  const approved = await approveDevice(complete ?? '', 'carol');
  expect(approved.page).toContain('Sign-in Success');
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer', { timeout: 30_000 });
  await expect(resultField(page, 'Refresh Token')).toBeVisible();
});

test('token exchange: the chained tokens are obtained first and the chain is shown', async ({
  appPage: page,
}) => {
  await openConnection(page, 'sandbox-token-exchange');
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Exchange Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue(/^(Bearer|N_A)$/i, {
    timeout: 30_000,
  });
  const chain = editor(page).getByRole('region', { name: 'Token chain' });
  await expect(chain).toContainText('sandbox-password');
  await expect(chain).toContainText('sandbox-client-credentials');
  await look(page, 'configure-token-exchange-chain');
});

test('the subject connection list is live: a connection saved in another tab is offered at once', async ({
  app,
  appPage: page,
}) => {
  await openConnection(page, 'sandbox-token-exchange');
  let dialog = await openFlow(page);
  await dialog.getByRole('combobox', { name: 'Subject token: connection' }).click();
  await expect(page.getByRole('option', { name: 'sandbox-password' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'saved-later' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await newConnection(page, 'OAuth 2.0 Client Credentials');
  await fill(editor(page), { Name: 'saved-later' });
  dialog = await openFlow(page);
  await fill(dialog, { 'Token Endpoint': app.sandbox.server.tokenEndpoint, 'Client ID': 'x' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await save(page);
  await page.getByRole('tab', { name: /^sandbox-token-exchange/ }).click();
  dialog = await openFlow(page);
  await dialog.getByRole('combobox', { name: 'Subject token: connection' }).click();
  await expect(page.getByRole('option', { name: 'saved-later' })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('Introspect says the token is active; Revoke asks first, then clears it', async ({
  appPage: page,
}) => {
  await openConnection(page, 'sandbox-client-credentials');
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  await editor(page).getByRole('button', { name: 'Introspect', exact: true }).click();
  const introspection = page.getByRole('dialog', { name: 'Introspection' });
  await expect(introspection.getByText('active', { exact: true })).toBeVisible();
  await expect(introspection).toContainText('"client_id": "cc-basic"');
  await look(page, 'dialog-introspection');
  await introspection.getByRole('button', { name: 'Done' }).click();
  await editor(page).getByRole('button', { name: 'Revoke', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke the token?' });
  await expect(confirm).toContainText('The cached token is cleared.');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(editor(page)).toContainText(
    'The token was revoked at the authorization server and its cached copy cleared.',
  );
  await expect(resultField(page, 'Access Token')).toHaveCount(0);
});
