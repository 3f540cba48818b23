/**
 * Bad inputs show a clear message where the problem is, focus the field at fault, and leave the
 * stored data unchanged; a failed run never passes the previous token off as new.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test, expect } from './fixtures.js';
import { SANDBOX_SECRET } from '../sandbox/authorization-server.js';
import {
  choose,
  editor,
  field,
  fill,
  look,
  newConnection,
  openConnection,
  openFlow,
  resultField,
} from './support.js';

test('bad inputs show their message where they are and leave stored data unchanged', async ({
  app,
  appPage: page,
}, testInfo) => {
  const stored = async () => JSON.stringify(await app.sandbox.workspace.store.read());
  const initial = await stored();

  // 1. Missing name and a malformed URL: Save focuses the name with its message; the dialog
  // shows the URL's.
  await newConnection(page, 'OAuth 2.0 Client Credentials');
  let dialog = await openFlow(page);
  await fill(dialog, { 'Token Endpoint': 'login.example.com/token' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await editor(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(editor(page).getByText('Name is required')).toBeVisible();
  await expect(field(editor(page), 'Name')).toBeFocused();
  await look(page, 'bad-input-field-errors');
  // Generate with the name still missing: the seeds never ask for one, so the connection gets
  // one from its type and host (editable), and the flow runs.
  dialog = await openFlow(page);
  await expect(dialog.getByText('Enter an absolute http:// or https:// URL')).toBeVisible();
  await fill(dialog, {
    'Token Endpoint': 'http://127.0.0.1:9/token',
    'Client ID': 'a',
    'Client Secret': 'b',
  });
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Connection refused by 127.0.0.1:9');
  await expect(dialog.getByRole('heading', { level: 2 })).toContainText(
    'client-credentials@127.0.0.1',
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(field(editor(page), 'Name')).toHaveValue('client-credentials@127.0.0.1');
  await field(editor(page), 'Name').fill('down');

  // 2. Server down: the message next to the button, in the dialog.
  dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Connection refused by 127.0.0.1:9');
  await look(page, 'bad-input-server-down');

  // 3. Wrong client secret: the server's error and a hint; a failed run after a good one keeps
  // the good token but says it is the previous one.
  await fill(dialog, {
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'cc-basic',
    'Client Secret': SANDBOX_SECRET,
  });
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  dialog = await openFlow(page);
  await fill(dialog, { 'Client Secret': 'wrong' });
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog.getByRole('alert')).toContainText('invalid_client');
  await expect(dialog.getByRole('alert')).toContainText(
    'Hint: The client could not be authenticated',
  );
  await look(page, 'bad-input-invalid-client');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(
    editor(page).getByRole('alert').filter({ hasText: 'Generate Access Token failed' }),
  ).toBeVisible();
  await expect(editor(page).getByText('previous token', { exact: true })).toBeVisible();
  await look(page, 'bad-input-previous-token');

  // 4. Invalid custom claims JSON: "Show the field" opens Advanced at the claims.
  dialog = await openFlow(page);
  await choose(page, dialog, 'Client Authentication', /^JWT signed with a private key/);
  await choose(page, dialog, 'Keystore Name', 'sandbox-demo');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await editor(page)
    .getByRole('button', { name: /^Advanced/ })
    .click();
  await field(editor(page), 'Custom claims (JSON object)').fill('{"aud": ');
  dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Custom claims are not valid JSON');
  await dialog.getByRole('button', { name: 'Show the field' }).click();
  await expect(field(editor(page), 'Custom claims (JSON object)')).toBeFocused();
  await field(editor(page), 'Custom claims (JSON object)').fill('');

  // 5. Duplicate name.
  await fill(editor(page), { Name: 'sandbox-password' });
  await editor(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(
    editor(page)
      .getByRole('alert')
      .filter({ hasText: 'A connection named "sandbox-password" already exists.' }),
  ).toBeVisible();

  // 6. Redirect port in use.
  const blocker = createServer();
  const port = await new Promise<number>((resolve) =>
    blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
  );
  await openConnection(page, 'sandbox-authorization-code');
  await editor(page)
    .getByRole('button', { name: /^Advanced/ })
    .click();
  await fill(editor(page), { Port: String(port) });
  dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Authorize' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`Port ${port} on 127.0.0.1 is in use`);
  blocker.close();
  await look(page, 'bad-input-port-in-use');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // 7. A corrupt keystore file.
  await page.getByRole('link', { name: 'Keystores & Truststores' }).click();
  const corrupt = testInfo.outputPath('corrupt.p12');
  writeFileSync(corrupt, 'not a keystore');
  await page.getByRole('button', { name: 'Import Keystore…' }).click();
  await page.getByLabel('Keystore file').setInputFiles(corrupt);
  await page.getByLabel('Keystore password').fill('x');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'is not a readable PKCS#12 file',
  );
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // 8. A broken connections file: each problem with its JSON pointer, nothing imported.
  await page.getByRole('link', { name: 'Connections' }).click();
  const broken = testInfo.outputPath('broken.json');
  writeFileSync(
    broken,
    JSON.stringify({
      format: 'tokensmith.connections',
      version: 1,
      connections: [{ id: 'x', name: 'x', type: 'client_credentials', tokenEndpoint: 'nope' }],
    }),
  );
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Connections file').setInputFiles(broken);
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    '/connections/0/tokenEndpoint',
  );
  await look(page, 'bad-input-import-problems');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // 9. A JWT that is not one.
  await page.getByRole('link', { name: 'JWT Inspector' }).click();
  await page.getByRole('textbox', { name: 'Token', exact: true }).fill('not-a-jwt');
  await expect(page.getByRole('alert')).toContainText('This is not a JWT');

  expect(await stored()).toBe(initial);
});
