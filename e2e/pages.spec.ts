/**
 * The pages beside the editors: keystores (a wrong password refused before anything is saved, a
 * lost passphrase entered again), proxy aliases, the token cache, export and import, Try API.
 */
import { test, expect } from './fixtures.js';
import { opensslThumbprint, fixtures } from '../test/support/fixtures.js';
import { allowImportBindings, editor, fill, listItem, look, openConnection } from './support.js';

test('keystore import: wrong password, then the right one; aliases with x5t; a lost passphrase entered again', async ({
  app,
  appPage: page,
}) => {
  const f = await fixtures();
  const keystores = ((await app.api('keystores:list')) as unknown[]).length;
  await page.getByRole('link', { name: 'Keystores & Truststores' }).click();
  await page.getByRole('button', { name: 'Import Keystore…' }).click();
  await page.getByLabel('Keystore file').setInputFiles(f.path('rsa.p12'));
  await page.getByLabel('Name', { exact: true }).fill('partner');
  await page.getByLabel('Keystore password').fill('wrong');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'Wrong password for keystore "partner"',
  );
  await look(page, 'dialog-import-keystore-wrong-password');
  // Refused: nothing was added.
  expect(((await app.api('keystores:list')) as unknown[]).length).toBe(keystores);
  await page.getByLabel('Keystore password').fill('changeit');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  const section = page.getByRole('region', { name: 'keystore partner' });
  await expect(
    section.getByText(opensslThumbprint(f.path('rsa.crt'), 'sha1').base64url),
  ).toBeVisible();
  await expect(section.getByRole('cell', { name: /^signing/ })).toBeVisible();
  // The passphrase stored for it no longer opens it (changed elsewhere): enter it again.
  await app.sandbox.workspace.store.update((doc) => {
    const k = doc.keystores.find((x) => x.name === 'partner');
    if (k) k.password = 'stale';
  });
  await page.reload();
  await expect(section.getByRole('alert')).toContainText('Wrong password');
  await section.getByLabel('Passphrase of partner').fill('nope');
  await section.getByRole('button', { name: 'Use this passphrase' }).click();
  await expect(section.getByText(/Wrong password/).last()).toBeVisible();
  await look(page, 'keystore-passphrase-wrong');
  await section.getByLabel('Passphrase of partner').fill('changeit');
  await section.getByRole('button', { name: 'Use this passphrase' }).click();
  await expect(section.getByRole('cell', { name: /^signing/ })).toBeVisible();
  await page.getByRole('button', { name: 'Generate Key Pair…' }).click();
  await page.getByLabel('Keystore Name').fill('generated');
  await look(page, 'dialog-generate-key-pair');
  await page.getByRole('dialog').getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('region', { name: 'keystore generated' })).toContainText(
    'CN=tokensmith-signing',
  );
  await look(page, 'keystores');
});

test('proxy aliases and token cache pages', async ({ app, appPage: page }) => {
  await page.getByRole('link', { name: 'Proxy Aliases' }).click();
  await page.getByRole('button', { name: 'New Proxy Alias' }).click();
  await fill(page.getByRole('dialog'), {
    Name: 'corp',
    Host: 'proxy.corp.test',
    Port: '3128',
    User: 'me',
    Password: 'p@ss',
    'Bypass (hosts that go direct)': '127.0.0.1, .corp.test',
  });
  await look(page, 'dialog-proxy-alias');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('cell', { name: 'http://proxy.corp.test:3128' })).toBeVisible();
  const proxies = (await app.api('proxies:list')) as Array<{ password: string }>;
  expect(proxies[0]?.password).toBe('••••••••');
  await look(page, 'proxy-aliases');
  await app.api('tokens:generate', {
    requestId: 'r',
    connection: await app.api('connections:get', { id: 'sandbox-client-credentials' }),
    useCache: false,
  });
  // An expired token that cannot be refreshed: pruned, and the page says so.
  const cache = app.sandbox.workspace.cache;
  const [entry] = cache.entries();
  cache.load([
    ...cache.entries(),
    { ...entry!, key: 'expired', connectionName: 'old', expiresAt: Date.now() - 1000 },
  ]);
  await page.getByRole('link', { name: 'Token Cache' }).click();
  await expect(page.getByRole('cell', { name: 'sandbox-client-credentials' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'old', exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Pruning')).toContainText(/removed 1 \(1 since start\)/);
  await look(page, 'token-cache');
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(page.getByText('The cache is empty.')).toBeVisible();
});

test('export the connections and import them back', async ({ app, appPage: page }, testInfo) => {
  await page.getByRole('button', { name: 'Export…' }).click();
  await look(page, 'dialog-export');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('dialog').getByRole('button', { name: 'Export' }).click();
  const file = testInfo.outputPath('export.json');
  await (await downloadPromise).saveAs(file);
  const before = (await app.api('connections:list')) as Array<{ name: string }>;
  await app.api('connections:delete', { id: 'sandbox-jwt-bearer' });
  await page.reload();
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Connections file').setInputFiles(file);
  await page.getByLabel('Replace connections, keystores and proxies with the same name').check();
  await look(page, 'dialog-import');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  // The export names the sandbox's keystore file and keystores the user has: a review first.
  await allowImportBindings(
    page,
    [
      /Your keystore “sandbox-demo”/,
      /the file replaces it with its own keystore/,
      // Replacing a connection of the user's is theirs to allow, named with what it replaces.
      /Your connection “sandbox-password”/,
      /the file replaces it with its own copy \(still to http:\/\/127\.0\.0\.1:\d+/,
    ],
    'dialog-import-review',
  );
  await expect(page.getByText(/^Imported \d+ connection\(s\)/)).toBeVisible();
  // Replace kept every local secret (the endpoints are the same): nothing left to fill in.
  await expect(page.getByText(/Secrets to enter/)).toHaveCount(0);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(listItem(page, 'sandbox-jwt-bearer')).toBeVisible();
  const after = (await app.api('connections:list')) as Array<{ name: string }>;
  expect(after.map((c) => c.name).sort()).toEqual(before.map((c) => c.name).sort());
  // The ⋯ menu exports one connection.
  await page.getByRole('button', { name: 'More actions for sandbox-password' }).click();
  await page.getByRole('menuitem', { name: 'Export…' }).click();
  await expect(page.getByRole('dialog').getByRole('checkbox', { checked: true })).toHaveCount(1);
});

test('Try API: the call carries the token; a rejected token is replaced and the call retried once', async ({
  app,
  appPage: page,
}) => {
  await openConnection(page, 'sandbox-password');
  await editor(page)
    .getByRole('button', { name: /^Try API/ })
    .click();
  const panel = editor(page).getByRole('region', { name: 'Try API' });
  await panel.getByLabel('API URL').fill(app.sandbox.server.apiUrl);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await expect(panel.getByLabel('Response body')).toContainText('"sub": "alice"');
  const cache = app.sandbox.workspace.cache;
  cache.load(
    cache.entries().map((e) => ({ ...e, result: { ...e.result, token: 'revoked-token' } })),
  );
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText(/retried once with a new token/)).toBeVisible();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await look(page, 'try-api');
});
