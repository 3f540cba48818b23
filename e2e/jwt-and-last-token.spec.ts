/**
 * The JWT connection type (API Gateway's getJsonWebToken, seed 003) from the New Connection menu
 * to its token; the token set kept with a connection shown again when it is opened in a new
 * session (seed 004 keeps the populated Connection Groups fields) and refreshed from there; what
 * a grant needs before it runs (a client secret for client credentials) shown on its field.
 */
import { test, expect } from './fixtures.js';
import {
  SANDBOX_USER,
  API_GATEWAY_AUDIENCE,
  SANDBOX_SECRET,
} from '../sandbox/authorization-server.js';
import {
  editor,
  expectNoHorizontalScroll,
  fill,
  look,
  newConnection,
  openConnection,
  openFlow,
  result,
  resultField,
  save,
} from './support.js';

test('JWT (API Gateway): a new connection gets its JWT and Try API sends it as Bearer', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'JWT (API Gateway)');
  await fill(editor(page), { Name: 'gateway' });
  const dialog = await openFlow(page);
  await fill(dialog, {
    'JWT Issuer URL': app.sandbox.server.apiGateway.tokenUrl,
    'User Name': SANDBOX_USER.username,
    Password: SANDBOX_USER.password,
  });
  await look(page, 'dialog-jwt-api-gateway');
  await dialog.getByRole('button', { name: 'Get Token' }).click();
  await expect(dialog).toHaveCount(0);
  await result(page).getByRole('button', { name: 'Reveal Token ($.jwt)' }).click();
  const jwt = await resultField(page, 'Token ($.jwt)').inputValue();
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
    sub: string;
    aud: string;
  };
  expect(claims).toMatchObject({ sub: SANDBOX_USER.username, aud: API_GATEWAY_AUDIENCE });
  await look(page, 'configure-jwt-api-gateway-result');
  await expectNoHorizontalScroll(page, 'JWT result');
  await save(page);

  // Try API: the gateway's API accepts the JWT as Authorization: Bearer.
  await editor(page)
    .getByRole('button', { name: /^Try API/ })
    .click();
  const panel = editor(page).getByRole('region', { name: 'Try API' });
  await panel.getByLabel('API URL').fill(app.sandbox.server.apiGateway.apiUrl);
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await expect(panel.getByLabel('Response body')).toContainText(
    `"sub": "${SANDBOX_USER.username}"`,
  );
});

test('the last token set comes back with the connection in a new session, and refreshes', async ({
  app,
  appPage: page,
}) => {
  await openConnection(page, 'sandbox-password');
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');

  // A new session over the same data folder: the page loads afresh.
  await page.reload();
  await openConnection(page, 'sandbox-password');
  const last = editor(page).getByRole('region', { name: 'Last token' });
  await expect(last.getByText('kept from last time')).toBeVisible();
  await expect(last.getByText('access token, refresh token', { exact: true })).toBeVisible();
  await expect(last.getByText(/^in (59|60) min$/)).toBeVisible();
  // Nothing in it is a token: they stay sealed with the connection.
  await expect(last).not.toContainText(/eyJ[\w-]{20,}/);
  await look(page, 'configure-last-token');

  await editor(page).getByRole('button', { name: 'Refresh Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  await expect(editor(page).getByText('refreshed', { exact: true })).toBeVisible();
  await expect(last).toHaveCount(0);
  const refreshes = app.sandbox.server
    .tokenRequests()
    .filter((r) => r.form.get('grant_type') === 'refresh_token');
  expect(refreshes).toHaveLength(1);
});

test('client credentials without a secret: the dialog says so on the Client Secret field', async ({
  app,
  appPage: page,
}) => {
  await openConnection(page, 'sandbox-client-credentials');
  const dialog = await openFlow(page);
  await dialog.getByLabel('Client Secret', { exact: true }).fill('');
  const before = app.sandbox.server.tokenRequests().length;
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog.getByText(/Client credentials needs a Client Secret/)).toBeVisible();
  await expect(dialog.getByLabel('Client Secret', { exact: true })).toBeFocused();
  expect(app.sandbox.server.tokenRequests()).toHaveLength(before);
  await dialog.getByLabel('Client Secret', { exact: true }).fill(SANDBOX_SECRET);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(dialog).toHaveCount(0);
});
