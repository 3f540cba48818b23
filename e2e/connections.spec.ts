/**
 * The real UI in Debian's Chromium (browser mode) against the sandbox authorization server:
 * each connection type created through the form and its button pressed, a real Authorization
 * Code login through the loopback redirect, Browse… for x5t, keystores, export/import, and bad
 * inputs that must show their message and leave stored data unchanged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshot, SCREENSHOTS, type App } from './fixtures.js';
import { SANDBOX_SECRET, JWT_BEARER_ISSUER } from '../sandbox/authorization-server.js';
import { opensslThumbprint, fixtures } from '../test/support/fixtures.js';

async function newConnection(page: Page, typeLabel: string): Promise<void> {
  await page.getByRole('button', { name: 'New Connection' }).click();
  await page.getByRole('menuitem', { name: typeLabel }).click();
  await expect(page.getByRole('heading', { name: /^Configure Connection/ })).toBeVisible();
}

async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.click();
  await page.getByRole('option', { name: option }).click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(box).toHaveText(option);
}

/** A field by its label; a required field's label ends in " *". */
function field(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}

async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await field(page, label).fill(value);
}

/**
 * A file that would use the user's things (a keystore of theirs, a generated key, a file on disk)
 * is refused with `confirmation_required`, which the import dialog shows. Until the dialog has
 * its review step, the bindings are confirmed as that step will: the same request again with
 * the binding IDs of the refusal's `detail.bindings` in `confirm`. Returns the import's report.
 */
async function confirmBindings(
  app: App,
  page: Page,
  file: string,
  replace: boolean,
): Promise<{ imported: { connections: string[] }; notes: string[] }> {
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('alert')).toContainText(
    /Nothing was imported: the file would use \d+ things? of yours, which you must confirm first/,
  );
  const content = readFileSync(file, 'utf8');
  const refused = await app.service.dispatch('transfer:import', { content, replace });
  if (refused.ok) throw new Error('expected the import to ask for confirmation');
  expect(refused.error.code).toBe('confirmation_required');
  const bindings = (refused.error.detail as { bindings: Array<{ id: string }> }).bindings;
  const report = (await app.api('transfer:import', {
    content,
    replace,
    confirm: bindings.map((b) => b.id),
  })) as { imported: { connections: string[] }; notes: string[] };
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  return report;
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/^Saved “/)).toBeVisible();
}

const result = (page: Page) => page.getByRole('region', { name: 'Result' });

test('client credentials: create, save, Generate Access Token, see the populated result', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 Client Credentials');
  await fill(page, {
    Name: 'My API',
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'cc-basic',
    'Client Secret': SANDBOX_SECRET,
    Scope: 'api:read',
  });
  await save(page);
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(result(page)).toBeVisible();
  await expect(result(page).getByRole('textbox', { name: 'Token Type', exact: true })).toHaveValue(
    'Bearer',
  );
  await expect(result(page).getByRole('textbox', { name: 'Scope', exact: true })).toHaveValue(
    'api:read',
  );
  await expect(result(page).getByRole('textbox', { name: 'Expires At', exact: true })).toHaveValue(
    /left$/,
  );
  await expect(
    result(page).getByRole('textbox', { name: 'Access Token', exact: true }),
  ).toHaveValue(/^•+$/);
  await result(page).getByRole('button', { name: 'Reveal Access Token' }).click();
  await expect(
    result(page).getByRole('textbox', { name: 'Access Token', exact: true }),
  ).toHaveValue(/^[\w-]{20,}$/);
  await screenshot(page, 'configure-client-credentials-result');
  // The list shows the token's status.
  await page
    .getByRole('link', { name: '← Connections' })
    .or(page.getByRole('button', { name: '← Connections' }))
    .click();
  await expect(
    page.getByRole('row', { name: /^My API/ }).getByText(/^Token valid until/),
  ).toBeVisible();
});

test('password grant with body client authentication', async ({ app, appPage: page }) => {
  await newConnection(page, 'OAuth 2.0 Password (Resource Owner)');
  await fill(page, {
    Name: 'ERP',
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'ropc-post',
    'Client Secret': SANDBOX_SECRET,
    Username: 'alice',
    Password: 'wonderland',
    Scope: 'openid offline_access',
  });
  await choose(page, 'Client Authentication', /^Body/);
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(
    result(page).getByRole('textbox', { name: 'Refresh Token', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Refresh Token', exact: true }).click();
  await expect(result(page).getByText('refreshed')).toBeVisible();
  const form = app.sandbox.server.tokenRequests().at(-1)!.form;
  expect(form.get('grant_type')).toBe('refresh_token');
  expect(form.get('client_secret')).toBe(SANDBOX_SECRET);
  await screenshot(page, 'configure-password-result');
});

test('JWT Flow: Keystore Name, Signing Alias auto-populated, Get Token', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 JWT Flow');
  await fill(page, {
    Name: 'Salesforce-like',
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'jwt-bearer',
    Issuer: JWT_BEARER_ISSUER,
    Subject: 'alice',
    'Expiration Time (mins)': '3',
  });
  await choose(page, 'Keystore Name', 'sandbox-demo');
  await choose(page, 'Signing Alias', /^key — CN=tokensmith-sandbox-signing/);
  await page.getByRole('button', { name: 'Get Token' }).click();
  await expect(result(page)).toBeVisible();
  await expect(
    result(page).getByText('The signature verifies with the signing key.'),
  ).toBeVisible();
  await screenshot(page, 'configure-jwt-flow-result');
});

test('JWT Client Assertion: Browse… fills x5t as openssl computes it; Generate JWT Token, then Submit Request', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth v2.0 (JWT Client Assertion)');
  await expect(page.getByLabel('Scope', { exact: true })).toHaveValue(
    'https://graph.microsoft.com/.default',
  );
  await fill(page, {
    Name: 'Graph-like',
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'cc-private-key-jwt',
    Scope: 'api:read',
  });
  await page.getByLabel('Certificate for x5t').setInputFiles(app.sandbox.keystorePath);
  await expect(page.getByLabel('x5t', { exact: true })).toHaveValue(
    opensslThumbprint(app.sandbox.keystorePath, 'sha1').base64url,
  );
  await choose(page, 'Keystore Name', 'sandbox-demo');
  await choose(page, 'Signing Alias', /^key/);
  await page.getByRole('button', { name: 'Generate JWT Token' }).click();
  await expect(page.getByLabel('Client Assertion (JWT Token)')).toHaveValue(/^eyJ/);
  await expect(page.getByText('x5t is the thumbprint of the signing certificate.')).toBeVisible();
  await screenshot(page, 'configure-client-assertion-generated');
  await page.getByRole('button', { name: 'Submit Request' }).click();
  await expect(result(page).getByRole('textbox', { name: 'Token Type', exact: true })).toHaveValue(
    'Bearer',
  );
  const form = app.sandbox.server.tokenRequests().at(-1)!.form;
  expect(form.get('client_assertion')).toBe(
    await page.getByLabel('Client Assertion (JWT Token)').inputValue(),
  );
});

test('Authorization Code: Authorize, sign in on the provider page, loopback redirect, tokens shown', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 Authorization Code Flow');
  await fill(page, {
    Name: 'Web login',
    'Authorization Endpoint': app.sandbox.server.authorizationEndpoint,
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'native-app',
    Scope: 'openid offline_access api:read',
  });
  await expect(page.getByRole('textbox', { name: 'Redirect URI' })).toHaveValue(
    'http://127.0.0.1:{any free port}/callback',
  );
  await save(page);
  await screenshot(page, 'configure-authorization-code');
  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Authorize' }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/\/interaction\//);
  await popup.getByPlaceholder('Enter any login').fill('carol');
  await popup.getByPlaceholder('and password').fill('secret');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  await popup.getByRole('button', { name: 'Continue' }).click();
  await expect(popup.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await screenshot(popup, 'loopback-signed-in');
  await expect(result(page).getByRole('textbox', { name: 'ID Token', exact: true })).toBeVisible();
  await expect(
    result(page).getByRole('textbox', { name: 'Refresh Token', exact: true }),
  ).toBeVisible();
  await result(page).getByRole('button', { name: 'Inspect ID Token' }).click();
  await expect(page.getByRole('heading', { name: 'JWT Inspector' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Claims' })).toContainText('"sub": "carol"');
  await screenshot(page, 'jwt-inspector-id-token');
});

test('connections list: search, duplicate, delete with confirmation', async ({ appPage: page }) => {
  await page.getByLabel('Search connections').fill('jwt-bearer');
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByLabel('Search connections').fill('');
  await page.getByRole('button', { name: 'Duplicate sandbox-password' }).click();
  await expect(
    page.getByRole('button', { name: 'sandbox-password (copy)', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Delete sandbox-password (copy)' }).click();
  await screenshot(page, 'dialog-delete-connection');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(
    page.getByRole('button', { name: 'sandbox-password (copy)', exact: true }),
  ).toHaveCount(0);
  await screenshot(page, 'connections-list');
});

test('keystore import: wrong password, then the right one; aliases with x5t', async ({
  app,
  appPage: page,
}) => {
  const f = await fixtures();
  await page.getByRole('tab', { name: 'Keystores & Truststores' }).click();
  await page.getByRole('button', { name: 'Import Keystore…' }).click();
  await page.getByLabel('Keystore file').setInputFiles(f.path('rsa.p12'));
  await page.getByLabel('Name', { exact: true }).fill('partner');
  await page.getByLabel('Keystore password').fill('wrong');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'Wrong password for keystore "partner"',
  );
  await screenshot(page, 'dialog-import-keystore-wrong-password');
  expect(((await app.api('keystores:list')) as unknown[]).length).toBe(1);
  await page.getByLabel('Keystore password').fill('changeit');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  const section = page.getByRole('region', { name: 'keystore partner' });
  await expect(
    section.getByText(opensslThumbprint(f.path('rsa.crt'), 'sha1').base64url),
  ).toBeVisible();
  await expect(section.getByRole('cell', { name: /^signing/ })).toBeVisible();
  await page.getByRole('button', { name: 'Generate Key Pair…' }).click();
  await page.getByLabel('Keystore Name').fill('generated');
  await screenshot(page, 'dialog-generate-key-pair');
  await page.getByRole('dialog').getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('region', { name: 'keystore generated' })).toContainText(
    'CN=tokensmith-signing',
  );
  await screenshot(page, 'keystores');
});

test('export a connection and import it back', async ({ app, appPage: page }, testInfo) => {
  await page.getByRole('button', { name: 'Export…' }).click();
  await screenshot(page, 'dialog-export');
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
  await screenshot(page, 'dialog-import');
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  // The export names the sandbox's keystore file and generated key: bindings to confirm.
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'keystore "sandbox-demo": the file replaces it with its own keystore of the same name.',
  );
  await screenshot(page, 'dialog-import-confirmation-required');
  const report = await confirmBindings(app, page, file, true);
  expect(report.imported.connections).toHaveLength(9);
  await expect(page.getByRole('button', { name: 'sandbox-jwt-bearer', exact: true })).toBeVisible();
  const after = (await app.api('connections:list')) as Array<{ name: string }>;
  expect(after.map((c) => c.name).sort()).toEqual(before.map((c) => c.name).sort());
});

test('bad inputs show their message and leave stored data unchanged', async ({
  app,
  appPage: page,
}, testInfo) => {
  const stored = async () => JSON.stringify(await app.sandbox.workspace.store.read());
  const initial = await stored();

  // 1. Missing name and malformed URL: field messages, nothing saved.
  await newConnection(page, 'OAuth 2.0 Client Credentials');
  await fill(page, { 'Token Endpoint': 'login.example.com/token' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Enter an absolute http:// or https:// URL')).toBeVisible();
  await expect(page.getByText('Name is required')).toBeVisible();
  await screenshot(page, 'bad-input-field-errors');

  // 2. Server down.
  await fill(page, {
    Name: 'down',
    'Token Endpoint': 'http://127.0.0.1:9/token',
    'Client ID': 'a',
    'Client Secret': 'b',
  });
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(page.getByRole('alert')).toContainText('Connection refused by 127.0.0.1:9');

  // 3. Wrong client secret: the server's error and a hint.
  await fill(page, {
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'cc-basic',
    'Client Secret': 'wrong',
  });
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(page.getByRole('alert')).toContainText('invalid_client');
  await expect(page.getByRole('alert')).toContainText(
    'Hint: The client could not be authenticated',
  );
  await screenshot(page, 'bad-input-invalid-client');

  // 4. Invalid custom claims JSON.
  await choose(page, 'Client Authentication', /^JWT signed with a private key/);
  await choose(page, 'Keystore Name', 'sandbox-demo');
  await page.getByLabel('Custom claims (JSON object)').fill('{"aud": ');
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(page.getByRole('alert')).toContainText('Custom claims are not valid JSON');

  // 5. Duplicate name.
  await page.getByLabel('Custom claims (JSON object)').fill('');
  await choose(page, 'Client Authentication', /^Automatic/);
  await fill(page, { Name: 'sandbox-password' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(
    'A connection named "sandbox-password" already exists.',
  );

  // 6. Redirect port in use.
  await page.getByRole('tab', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Discard changes' }).click();
  const { createServer } = await import('node:net');
  const blocker = createServer();
  const port = await new Promise<number>((resolve) =>
    blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
  );
  await page.getByRole('button', { name: 'sandbox-authorization-code', exact: true }).click();
  await fill(page, { Port: String(port) });
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByRole('alert')).toContainText(`Port ${port} on 127.0.0.1 is in use`);
  blocker.close();
  await screenshot(page, 'bad-input-port-in-use');
  await page.getByRole('tab', { name: 'Keystores & Truststores' }).click();
  await page.getByRole('button', { name: 'Discard changes' }).click();

  // 7. A corrupt keystore file.
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
  await page.getByRole('tab', { name: 'Connections' }).click();
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
  await screenshot(page, 'bad-input-import-problems');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // 9. A JWT that is not one.
  await page.getByRole('tab', { name: 'JWT Inspector' }).click();
  await page.getByLabel('Token').fill('not-a-jwt');
  await expect(page.getByRole('alert')).toContainText('This is not a JWT');

  expect(await stored()).toBe(initial);
});

test('drafts survive a reload; leaving with unsaved changes asks first', async ({
  app,
  appPage: page,
}) => {
  await page.getByRole('button', { name: 'sandbox-client-credentials', exact: true }).click();
  await page.getByLabel('Scope', { exact: true }).fill('api:read api:write');
  await expect
    .poll(
      async () =>
        ((await app.api('drafts:get', { key: 'sandbox-client-credentials' })) as { draft: unknown })
          .draft,
    )
    .not.toBeNull();
  await page.reload();
  await expect(
    page.getByText('Unsaved changes from your last session were restored.'),
  ).toBeVisible();
  await expect(page.getByLabel('Scope', { exact: true })).toHaveValue('api:read api:write');
  await page.getByRole('tab', { name: 'Proxy Aliases' }).click();
  await expect(page.getByRole('dialog', { name: 'Leave without saving?' })).toBeVisible();
  await screenshot(page, 'dialog-unsaved-changes');
  await page.getByRole('button', { name: 'Keep editing' }).click();
  await expect(page.getByLabel('Scope', { exact: true })).toHaveValue('api:read api:write');
});

test('proxy aliases and token cache pages', async ({ app, appPage: page }) => {
  await page.getByRole('tab', { name: 'Proxy Aliases' }).click();
  await page.getByRole('button', { name: 'New Proxy Alias' }).click();
  await fill(page, {
    Name: 'corp',
    Host: 'proxy.corp.test',
    Port: '3128',
    User: 'me',
    Password: 'p@ss',
    'Bypass (hosts that go direct)': '127.0.0.1, .corp.test',
  });
  await screenshot(page, 'dialog-proxy-alias');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('cell', { name: 'http://proxy.corp.test:3128' })).toBeVisible();
  const proxies = (await app.api('proxies:list')) as Array<{ password: string }>;
  expect(proxies[0]?.password).toBe('••••••••');
  await screenshot(page, 'proxy-aliases');
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
  await page.getByRole('tab', { name: 'Token Cache' }).click();
  await expect(page.getByRole('cell', { name: 'sandbox-client-credentials' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'old', exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Pruning')).toContainText(/removed 1 \(1 since start\)/);
  await screenshot(page, 'token-cache');
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(page.getByText('The cache is empty.')).toBeVisible();
});

test('every page is readable at 1024×700', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const [tab, name] of [
    ['Connections', 'small-connections'],
    ['Keystores & Truststores', 'small-keystores'],
    ['Proxy Aliases', 'small-proxies'],
    ['JWT Inspector', 'small-jwt-inspector'],
    ['Token Cache', 'small-token-cache'],
  ] as const) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }
  await page.getByRole('tab', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'sandbox-private-key-jwt', exact: true }).click();
  await page.screenshot({ path: join(SCREENSHOTS, 'small-configure.png') });
  // The theme follows the OS.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(18, 18, 18)');
  await page.screenshot({ path: join(SCREENSHOTS, 'dark-configure.png') });
});

test('Try API: the call carries the token; a rejected token is replaced and the call retried once', async ({
  app,
  appPage: page,
}) => {
  await page.getByRole('button', { name: 'sandbox-password', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Try API' });
  await panel.getByLabel('API URL').fill(app.sandbox.server.apiUrl);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await expect(panel.getByLabel('Response body')).toContainText('"sub": "alice"');
  // The cached token stops being accepted (revoked, or expired on its way).
  const cache = app.sandbox.workspace.cache;
  cache.load(
    cache.entries().map((e) => ({ ...e, result: { ...e.result, token: 'revoked-token' } })),
  );
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText(/retried once with a new token/)).toBeVisible();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await screenshot(page, 'try-api');
});

test('z/OS Connect: authentication-server JWT beside the OAuth token, a generated key served as a JWKS, server.xml out and back in', async ({
  app,
  appPage: page,
}, testInfo) => {
  // The JWT from the authentication server, on its own and on an API call with the access token.
  await page.getByRole('button', { name: 'sandbox-zos-combined', exact: true }).click();
  const section = page.getByRole('region', { name: 'Authentication Server JWT' });
  await page.getByRole('button', { name: 'Get JWT' }).click();
  const jwt = section.getByRole('region', { name: 'Result' });
  await expect(jwt).toBeVisible();
  await expect(jwt.getByText('token path header JWTResAuthorization')).toBeVisible();
  const panel = page.getByRole('region', { name: 'Try API' });
  await expect(panel.getByLabel('API URL')).toHaveValue(app.sandbox.server.combinedApiUrl);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await expect(panel.getByText(/JWT in JWT-header-name/)).toBeVisible();
  await expect(panel.getByLabel('Response body')).toContainText('"jwt_sub": "alice"');
  await screenshot(page, 'configure-zos-combined');
  // The bespoke header may not be Authorization.
  await field(page, 'API Request Header for the JWT').fill('Authorization');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/Choose a header other than Authorization/)).toBeVisible();
  await field(page, 'API Request Header for the JWT').fill('JWT-header-name');
  await save(page);

  // A generated key, served at /jwt/ibm/api/sandbox-builder/jwk, verified by the sandbox.
  await page.getByRole('button', { name: '← Connections' }).click();
  await page.getByRole('button', { name: 'sandbox-zos-jwk', exact: true }).click();
  const keys = page.getByRole('region', { name: 'Signing keys' });
  await expect(keys.getByText('signing', { exact: true })).toBeVisible();
  await expect(keys.getByText('served', { exact: true })).toBeVisible();
  await expect(field(page, 'Rotate the key every (minutes)')).toHaveValue('720');
  await expect(keys.getByText(/The key is replaced automatically at/)).toBeVisible();
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(result(page)).toBeVisible();
  await keys.getByRole('button', { name: 'Rotate key' }).click();
  await expect(keys.getByText('previous, still published')).toBeVisible();
  await keys.getByRole('button', { name: 'Show JWKS' }).click();
  await expect(keys.getByLabel('JWKS', { exact: true })).toContainText('"kty": "RSA"');
  await screenshot(page, 'configure-zos-signing-keys');

  // A builder that signs with a keystore alias publishes that alias's public key (z/OS
  // keyStoreRef/keyAlias): shown once saved, served at the builder's JWK API.
  await page.getByRole('button', { name: '← Connections' }).click();
  await page.getByRole('button', { name: 'sandbox-private-key-jwt', exact: true }).click();
  await field(page, 'JWT Builder ID').fill('sandbox-keystore-builder');
  const published = page.getByRole('region', { name: 'Published key' });
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
  })) as { jwksUrl: string };
  const served = await page.request.get(jwksUrl);
  expect(((await served.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  await screenshot(page, 'configure-keystore-published-key');

  // server.xml out, and back in after deleting the connection.
  await page.getByRole('button', { name: '← Connections' }).click();
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByRole('button', { name: 'z/OS server.xml' }).click();
  await screenshot(page, 'dialog-export-server-xml');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('dialog').getByRole('button', { name: 'Export' }).click();
  const file = testInfo.outputPath('server.xml');
  await (await downloadPromise).saveAs(file);
  const notes = page.getByRole('region', { name: 'Export notes' });
  await expect(notes).toContainText(
    'is not exported: z/OS Connect has no authorization code grant',
  );
  await expect(page.getByRole('button', { name: 'Done' })).toBeEnabled();
  await page.waitForTimeout(300); // the dialog's fade-in
  await screenshot(page, 'dialog-export-server-xml-notes');
  await page.getByRole('button', { name: 'Done' }).click();
  await app.api('connections:delete', { id: 'sandbox-zos-combined' });
  await page.reload();
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Connections file').setInputFiles(file);
  await page.getByLabel('Replace connections, keystores and proxies with the same name').check();
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  // The file names the user's JWT builder (its generated key) and keystore: to confirm.
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
    'JWT builder "sandbox-builder"',
  );
  const report = await confirmBindings(app, page, file, true);
  expect(report.notes.join('\n')).toContain('is the Liberty variable');
  await expect(
    page.getByRole('button', { name: 'sandbox-zos-combined', exact: true }),
  ).toBeVisible();
});
