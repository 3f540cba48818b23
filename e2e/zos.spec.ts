/**
 * z/OS Connect, folded under its own heading in the editor: the authentication server's JWT
 * beside the OAuth token, a generated key served as a JWKS, a keystore alias's public key
 * published for its builder, server.xml out and back in.
 */
import { test, expect } from './fixtures.js';
import {
  allowImportBindings,
  editor,
  field,
  listItem,
  look,
  openConnection,
  openFlow,
  result,
  save,
  settled,
} from './support.js';

test('z/OS Connect: authentication-server JWT beside the OAuth token, a generated key served as a JWKS, server.xml out and back in', async ({
  app,
  appPage: page,
}, testInfo) => {
  await openConnection(page, 'sandbox-zos-combined');
  await editor(page)
    .getByRole('button', { name: /^z\/OS Connect/ })
    .click();
  const section = editor(page).getByRole('region', { name: 'Authentication Server JWT' });
  await section.getByRole('button', { name: 'Get JWT' }).click();
  const jwt = section.getByRole('region', { name: 'Result' });
  await expect(jwt).toBeVisible();
  await expect(
    jwt.getByRole('textbox', { name: 'Token (header JWTResAuthorization)' }),
  ).toBeVisible();
  await editor(page)
    .getByRole('button', { name: /^Try API/ })
    .click();
  const panel = editor(page).getByRole('region', { name: 'Try API' });
  await expect(panel.getByLabel('API URL')).toHaveValue(app.sandbox.server.combinedApiUrl);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await expect(panel.getByText(/JWT in JWT-header-name/)).toBeVisible();
  await expect(panel.getByLabel('Response body')).toContainText('"jwt_sub": "alice"');
  await look(page, 'configure-zos-combined');
  // The bespoke header may not be Authorization.
  await field(section, 'API Request Header for the JWT').fill('Authorization');
  await editor(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(section.getByText(/Choose a header other than Authorization/)).toBeVisible();
  await field(section, 'API Request Header for the JWT').fill('JWT-header-name');
  await save(page);

  // A generated key, served at /jwt/ibm/api/sandbox-builder/jwk, verified by the sandbox.
  await openConnection(page, 'sandbox-zos-jwk');
  await editor(page)
    .getByRole('button', { name: /^z\/OS Connect/ })
    .click();
  const keys = editor(page).getByRole('region', { name: 'Signing keys' });
  await expect(keys.getByText('signing', { exact: true })).toBeVisible();
  await expect(keys.getByText('served', { exact: true })).toBeVisible();
  await expect(field(editor(page), 'Rotate the key every (minutes)')).toHaveValue('720');
  await expect(keys.getByText(/The key is replaced automatically at/)).toBeVisible();
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(result(page)).toBeVisible();
  await keys.getByRole('button', { name: 'Rotate key' }).click();
  await expect(keys.getByText('previous, still published')).toBeVisible();
  await keys.getByRole('button', { name: 'Show JWKS' }).click();
  await expect(keys.getByLabel('JWKS', { exact: true })).toContainText('"kty": "RSA"');
  await look(page, 'configure-zos-signing-keys');

  // A builder that signs with a keystore alias publishes that alias's public key.
  await openConnection(page, 'sandbox-private-key-jwt');
  await editor(page)
    .getByRole('button', { name: /^z\/OS Connect/ })
    .click();
  await field(editor(page), 'JWT Builder ID').fill('sandbox-keystore-builder');
  const published = editor(page).getByRole('region', { name: 'Published key' });
  await expect(published.getByText(/Once the connection is saved/)).toBeVisible();
  await save(page);
  await expect(
    published.getByText('keystore sandbox-demo, alias key (connection sandbox-private-key-jwt)'),
  ).toBeVisible();
  await expect(published.getByRole('button', { name: 'Rotate key' })).toHaveCount(0);
  await published.getByRole('button', { name: 'Show JWKS' }).click();
  await expect(published.getByLabel('JWKS', { exact: true })).toContainText('"x5t"');
  const { jwksUrl } = (await app.api('signingKeys:get', {
    builderId: 'sandbox-keystore-builder',
  })) as {
    jwksUrl: string;
  };
  const served = await page.request.get(jwksUrl);
  expect(((await served.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  await look(page, 'configure-keystore-published-key');

  // server.xml out, and back in after deleting the connection.
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByRole('button', { name: 'z/OS server.xml' }).click();
  await look(page, 'dialog-export-server-xml');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('dialog').getByRole('button', { name: 'Export' }).click();
  const file = testInfo.outputPath('server.xml');
  await (await downloadPromise).saveAs(file);
  const notes = page.getByRole('region', { name: 'Export notes' });
  await expect(notes).toContainText(
    'is not exported: z/OS Connect has no authorization code grant',
  );
  await settled(page);
  await look(page, 'dialog-export-server-xml-notes');
  await page.getByRole('button', { name: 'Done' }).click();
  await app.api('connections:delete', { id: 'sandbox-zos-combined' });
  await page.reload();
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Connections file').setInputFiles(file);
  await page.getByLabel('Replace connections, keystores and proxies with the same name').check();
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  // The file names the user's JWT builder (its generated key): allowed in the review.
  await allowImportBindings(page, [/Your generated signing key of JWT builder/]);
  await expect(page.getByRole('region', { name: 'Import notes' })).toContainText(
    'is the Liberty variable',
  );
  await look(page, 'dialog-import-server-xml-notes');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(listItem(page, 'sandbox-zos-combined')).toBeVisible();
});
