/**
 * Each connection type as the seed shows it (CloudStreams seed 004), in Debian's Chromium against
 * the sandbox: Generate Access Token opens the flow's dialog, its sections in the seed's order,
 * its button fills Connection Groups. A real Authorization Code login through the loopback
 * redirect, Browse… for x5t, the Signing Alias chosen by itself.
 */
import { test, expect } from './fixtures.js';
import { SANDBOX_SECRET, JWT_BEARER_ISSUER } from '../sandbox/authorization-server.js';
import { opensslThumbprint } from '../test/support/fixtures.js';
import {
  choose,
  editor,
  expectAccessible,
  fill,
  listItem,
  look,
  newConnection,
  openFlow,
  result,
  resultField,
  save,
} from './support.js';

test('client credentials: new, Generate Access Token opens the dialog, the token fills Connection Groups', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 Client Credentials');
  await fill(editor(page), { Name: 'My API' });
  await expect(
    editor(page).getByRole('heading', {
      name: 'Connection Groups: OAuth v2.0 (Client Credentials)',
    }),
  ).toBeVisible();
  await look(page, 'configure-new-client-credentials');
  const dialog = await openFlow(page);
  await expect(dialog.getByRole('heading', { level: 3 })).toHaveText([
    'Request Endpoints',
    'SSL Connection',
    'Request Parameters',
  ]);
  await fill(dialog, {
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'cc-basic',
    'Client Secret': SANDBOX_SECRET,
    Scope: 'api:read',
  });
  await look(page, 'dialog-client-credentials');
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  await expect(resultField(page, 'Scope')).toHaveValue('api:read');
  await expect(resultField(page, 'Expires')).toHaveValue(/^in (59|60) min$/);
  await expect(resultField(page, 'Access Token')).toHaveValue('••••••••••••••••');
  await result(page).getByRole('button', { name: 'Reveal Access Token' }).click();
  await expect(resultField(page, 'Access Token')).toHaveValue(/^[\w-]{20,}$/);
  await look(page, 'configure-client-credentials-result');
  await save(page);
  // The list shows the connection's own token.
  await expect(
    listItem(page, 'My API').getByRole('img', { name: /^Token valid until/ }),
  ).toBeVisible();
});

test('password grant with body client authentication, then Refresh Token', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 Password (Resource Owner)');
  await fill(editor(page), { Name: 'ERP' });
  const dialog = await openFlow(page);
  await fill(dialog, {
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'ropc-post',
    'Client Secret': SANDBOX_SECRET,
    Username: 'alice',
    Password: 'wonderland',
    Scope: 'openid offline_access',
  });
  await choose(page, dialog, 'Client Authentication', /^Body/);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(resultField(page, 'Refresh Token')).toBeVisible();
  await editor(page).getByRole('button', { name: 'Refresh Token', exact: true }).click();
  await expect(editor(page).getByText('refreshed', { exact: true })).toBeVisible();
  const form = app.sandbox.server.tokenRequests().at(-1)!.form;
  expect(form.get('grant_type')).toBe('refresh_token');
  expect(form.get('client_secret')).toBe(SANDBOX_SECRET);
  await look(page, 'configure-password-result');
});

test('JWT Flow: Request Endpoints, Claims, Keystore and Proxy; the Signing Alias follows the keystore; Get Token', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 JWT Flow');
  await fill(editor(page), { Name: 'Salesforce-like' });
  const dialog = await openFlow(page);
  await expect(dialog.getByRole('heading', { level: 3 })).toHaveText([
    'Request Endpoints',
    'SSL Connection',
    'Claims',
    'Keystore and Proxy',
    'Request Parameters',
  ]);
  await fill(dialog, {
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'jwt-bearer',
    Issuer: JWT_BEARER_ISSUER,
    Subject: 'alice',
    'Expiration Time (mins)': '3',
  });
  await choose(page, dialog, 'Keystore Name', 'sandbox-demo');
  // One key in the keystore: the Signing Alias is chosen (CloudStreams: auto-populated).
  await expect(dialog.getByRole('combobox', { name: 'Signing Alias' })).toHaveText(
    /^key — CN=tokensmith-sandbox-signing/,
  );
  await look(page, 'dialog-jwt-flow');
  await dialog.getByRole('button', { name: 'Get Token' }).click();
  await expect(result(page)).toBeVisible();
  await expect(
    result(page).getByText('The signature verifies with the signing key.'),
  ).toBeVisible();
  await look(page, 'configure-jwt-flow-result');
});

test('JWT Client Assertion: step 1 Generate JWT Token (x5t by Browse… as openssl computes it), step 2 Submit Request', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth v2.0 (JWT Client Assertion)');
  await fill(editor(page), { Name: 'Graph-like' });
  const dialog = await openFlow(page);
  const step1 = dialog.getByRole('region', { name: 'JWT Token' });
  const step2 = dialog.getByRole('region', { name: 'JWT Assertion' });
  await expect(step1.getByRole('heading', { level: 3 })).toHaveText([
    'Headers',
    'Claims',
    'Keystore and Proxy',
  ]);
  await expect(step2.getByRole('heading', { level: 3 })).toHaveText([
    'Request Endpoints',
    'SSL Connection',
    'JWT Assertion Request Parameters',
  ]);
  await expect(step2.getByLabel('Scope', { exact: true })).toHaveValue(
    'https://graph.microsoft.com/.default',
  );
  await step1.getByLabel('Certificate for x5t').setInputFiles(app.sandbox.keystorePath);
  await expect(step1.getByLabel('x5t', { exact: true })).toHaveValue(
    opensslThumbprint(app.sandbox.keystorePath, 'sha1').base64url,
  );
  await choose(page, step1, 'Keystore Name', 'sandbox-demo');
  await fill(step2, {
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'cc-private-key-jwt',
    Scope: 'api:read',
  });
  await step1.getByRole('button', { name: 'Generate JWT Token' }).click();
  await expect(step2.getByLabel('Client Assertion (JWT Token)')).toHaveValue(/^eyJ/);
  await expect(step2.getByText('x5t is the thumbprint of the signing certificate.')).toBeVisible();
  await look(page, 'dialog-client-assertion-generated');
  await dialog.getByRole('button', { name: 'Submit Request' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  const form = app.sandbox.server.tokenRequests().at(-1)!.form;
  expect(form.get('client_assertion')).toMatch(/^eyJ/);

  // A run is not an edit: saved, then generated again, the tab stays saved, and the generated
  // assertion is never stored (a stored one would be sent stale instead of a fresh one).
  await save(page);
  const again = await openFlow(page);
  await again
    .getByRole('region', { name: 'JWT Token' })
    .getByRole('button', { name: 'Generate JWT Token' })
    .click();
  await expect(
    again.getByRole('region', { name: 'JWT Assertion' }).getByLabel('Client Assertion (JWT Token)'),
  ).toHaveValue(/^eyJ/);
  await again.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('tab', { name: 'Graph-like', exact: true })).toBeVisible();
  await expect(editor(page).getByRole('status')).not.toContainText('unsaved changes');
  const stored = (await app.sandbox.workspace.store.read()).connections.find(
    (c) => c.name === 'Graph-like',
  ) as { clientAssertion?: string } | undefined;
  expect(stored).toBeDefined();
  expect(stored?.clientAssertion ?? '').toBe('');
});

test('Authorization Code: Authorize, sign in on the provider page, loopback redirect, tokens shown', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth 2.0 Authorization Code Flow');
  await fill(editor(page), { Name: 'Web login' });
  const dialog = await openFlow(page);
  await fill(dialog, {
    'Authorization Endpoint': app.sandbox.server.authorizationEndpoint,
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
    'Client ID': 'native-app',
    Scope: 'openid offline_access api:read',
  });
  await expect(dialog.getByRole('textbox', { name: 'Redirect URI' })).toHaveValue(
    'http://127.0.0.1:{any free port}/callback',
  );
  await look(page, 'dialog-authorization-code');
  const popupPromise = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Authorize' }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/\/interaction\//);
  await popup.getByPlaceholder('Enter any login').fill('carol');
  await popup.getByPlaceholder('and password').fill('secret');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  await popup.getByRole('button', { name: 'Continue' }).click();
  await expect(popup.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(resultField(page, 'ID Token')).toBeVisible();
  await expect(resultField(page, 'Refresh Token')).toBeVisible();
  await expectAccessible(page, 'authorization code result');
  await result(page).getByRole('button', { name: 'Inspect ID Token' }).click();
  await expect(page.getByRole('heading', { name: 'JWT Inspector' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Claims' })).toContainText('"sub": "carol"');
  await look(page, 'jwt-inspector-id-token');
  // Back in the editor, the tab kept everything.
  await page.getByRole('link', { name: 'Connections' }).click();
  await expect(resultField(page, 'ID Token')).toBeVisible();
  await save(page);
});
