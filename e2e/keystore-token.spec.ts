/**
 * Keystores → Import → "A PKCS#11 token": the URI, the module and the PIN reach the token import
 * the CLI uses; a module that is not there is said in one line, and nothing is saved.
 */
import { test, expect } from './fixtures.js';
import { field, look } from './support.js';

test('a PKCS#11 token is imported from the keystore page; a missing module is one clear line', async ({
  app,
  appPage: page,
}) => {
  await page.getByRole('link', { name: 'Keystores & Truststores' }).click();
  await page.getByRole('button', { name: /^Import/ }).click();
  const dialog = page.getByRole('dialog');
  await field(dialog, 'Keys in').click();
  await page.getByRole('option', { name: /^A PKCS#11 token/ }).click();
  await field(dialog, 'Token URI').fill('pkcs11:token=prod-hsm;object=signing');
  await field(dialog, 'PKCS#11 module').fill('/nonexistent/libpkcs11-module.so');
  await field(dialog, 'Name').fill('hsm');
  await field(dialog, 'Token PIN').fill('1234');
  await look(page, 'dialog-import-keystore-token');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('/nonexistent/libpkcs11-module.so');
  await expect(alert).not.toContainText('1234');
  const listed = (await app.api('keystores:list')) as Array<{ name: string }>;
  expect(listed.map((k) => k.name)).not.toContain('hsm');
});
