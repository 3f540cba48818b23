/**
 * New Connection → From a provider…: a profile and its few values make a connection with the
 * provider's endpoints, opened in the editor.
 */
import { test, expect } from './fixtures.js';
import { editor, field, look } from './support.js';

test('From a provider… builds a Cognito connection from its domain prefix and region', async ({
  appPage: page,
}) => {
  await page.getByRole('button', { name: 'New Connection', exact: true }).click();
  await page.getByRole('menuitem', { name: /^From a provider/ }).click();
  const dialog = page.getByRole('dialog');
  await field(dialog, 'Provider').click();
  await page.getByRole('option', { name: 'Amazon Cognito (client credentials)' }).click();
  await field(dialog, 'Name').fill('Orders on Cognito');
  await field(dialog, 'Domain prefix').fill('my-pool');
  await field(dialog, 'Region').fill('eu-west-1');
  await field(dialog, 'Client ID').fill('app-client-id');
  await look(page, 'dialog-from-provider');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('heading', { name: 'Configure Connection: Orders on Cognito' }),
  ).toBeVisible();
  await editor(page).getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(field(page.getByRole('dialog'), 'Token Endpoint')).toHaveValue(
    'https://my-pool.auth.eu-west-1.amazoncognito.com/oauth2/token',
  );
});
