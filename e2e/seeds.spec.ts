/**
 * The seed's own procedures (CloudStreams seed 004, "Generating OAuth 2.0 Tokens while
 * configuring connections"), followed step by step from New Connection as an administrator
 * would: no name typed (the seed never asks for one), the fields in the seed's order, a
 * screenshot at each step (e2e/artifacts/screenshots/seed-004-*). Each comment quotes the step.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { SANDBOX_SECRET, JWT_BEARER_ISSUER } from '../sandbox/authorization-server.js';
import { opensslThumbprint } from '../test/support/fixtures.js';
import {
  allowImportBindings,
  choose,
  editor,
  field,
  fill,
  look,
  newConnection,
  openFlow,
  resultField,
  save,
} from './support.js';

test('seed 004, JWT Client Assertion Flow: Generating JWT tokens (steps 1–8), then Generating JWT Assertion (steps 1–4)', async ({
  app,
  appPage: page,
}) => {
  const tokenEndpoint = app.sandbox.server.tokenEndpoint;
  // 1. "select OAuth v2.0 (JWT Client Assertion) connection from the Connection Type drop-down"
  await newConnection(page, 'OAuth v2.0 (JWT Client Assertion)');
  await expect(
    editor(page).getByRole('heading', {
      name: 'Connection Groups: OAuth v2.0 (JWT Client Assertion)',
    }),
  ).toBeVisible();
  await look(page, 'seed-004-assertion-1-connection-type');
  // 2. "click Generate Access Token. The OAuth v2.0 JWT Client Assertion Flow dialog box appears."
  const dialog = await openFlow(page);
  await expect(dialog.getByRole('heading', { level: 2 }).first()).toContainText(
    'OAuth v2.0 JWT Client Assertion Flow',
  );
  const jwtToken = dialog.getByRole('region', { name: 'JWT Token' });
  const jwtAssertion = dialog.getByRole('region', { name: 'JWT Assertion' });
  await look(page, 'seed-004-assertion-2-dialog');
  // 3. "In the Headers section of JWT Token … x5t … clicking the Browse button next to the x5t field"
  await jwtToken.getByLabel('Certificate for x5t').setInputFiles(app.sandbox.keystorePath);
  await expect(jwtToken.getByLabel('x5t', { exact: true })).toHaveValue(
    opensslThumbprint(app.sandbox.keystorePath, 'sha1').base64url,
  );
  // 4.–6. "In the Claims section of JWT Token … Issuer … Subject (Client ID) … Audience …
  //        Expiration Time (mins)"
  await fill(jwtToken, {
    Issuer: 'cc-private-key-jwt',
    'Subject (Client ID)': 'cc-private-key-jwt',
    Audience: tokenEndpoint,
    'Expiration Time (mins)': '5',
  });
  await look(page, 'seed-004-assertion-3-6-headers-claims');
  // 7. "In the Keystore and Proxy section of JWT Token … Keystore Name … Signing Alias -
  //     auto-populated based on the keystore selected"
  await choose(page, jwtToken, 'Keystore Name', 'sandbox-demo');
  await expect(jwtToken.getByRole('combobox', { name: 'Signing Alias' })).toHaveText(/^key — /);
  await look(page, 'seed-004-assertion-7-keystore');
  // 8. "Click Generate JWT Token. The generated JWT token is populated in the Client Assertion
  //     field in the JWT Assertion section" — with nothing of the JWT Assertion step filled yet.
  await jwtToken.getByRole('button', { name: 'Generate JWT Token' }).click();
  const assertionField = jwtAssertion.getByLabel('Client Assertion (JWT Token)');
  await expect(assertionField).toHaveValue(/^eyJ/);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  // Step 2's fields are not refused before the user gets there.
  await expect(field(jwtAssertion, 'Token Endpoint')).toHaveAttribute('aria-invalid', 'false');
  await expect(
    jwtAssertion.getByText('enter the Token Endpoint to check it against', { exact: false }),
  ).toBeVisible();
  const [, body] = (await assertionField.inputValue()).split('.');
  const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({
    iss: 'cc-private-key-jwt',
    sub: 'cc-private-key-jwt',
    aud: tokenEndpoint,
  });
  expect((claims.exp as number) - (claims.iat as number)).toBe(300);
  await look(page, 'seed-004-assertion-8-generated');

  // Generating JWT Assertion. 1. "provide the URL … in the Token Endpoint field"
  // 3. "JWT Assertion Request Parameters: Client ID … Scope … default https://graph.microsoft.com/.default"
  await expect(jwtAssertion.getByLabel('Scope', { exact: true })).toHaveValue(
    'https://graph.microsoft.com/.default',
  );
  await fill(jwtAssertion, {
    'Token Endpoint': tokenEndpoint,
    'Client ID': 'cc-private-key-jwt',
    Scope: 'api:read',
  });
  await expect(
    jwtAssertion.getByText('x5t is the thumbprint of the signing certificate.'),
  ).toBeVisible();
  await look(page, 'seed-004-assertion-9-request-parameters');
  const generated = await assertionField.inputValue();
  // 4. "Click Submit Request … the fields in the Connection Groups … are populated"
  await dialog.getByRole('button', { name: 'Submit Request' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  const form = app.sandbox.server.tokenRequests().at(-1)!.form;
  expect(form.get('client_assertion')).toBe(generated);
  expect(form.get('client_id')).toBe('cc-private-key-jwt');
  await look(page, 'seed-004-assertion-10-token');
  // The seed never asked for a name: the connection got one it can be saved under.
  await expect(field(editor(page), 'Name')).not.toHaveValue('');
  await save(page);
});

test('seed 004, JWT Client Assertion Flow: a Subject other than the Client ID is used, and the check says the provider will refuse it', async ({
  app,
  appPage: page,
}) => {
  await newConnection(page, 'OAuth v2.0 (JWT Client Assertion)');
  const dialog = await openFlow(page);
  const jwtToken = dialog.getByRole('region', { name: 'JWT Token' });
  const jwtAssertion = dialog.getByRole('region', { name: 'JWT Assertion' });
  await fill(jwtToken, {
    'Subject (Client ID)': 'someone-else',
    Audience: app.sandbox.server.tokenEndpoint,
  });
  await choose(page, jwtToken, 'Keystore Name', 'sandbox-demo');
  await jwtToken.getByRole('button', { name: 'Generate JWT Token' }).click();
  await expect(jwtAssertion.getByLabel('Client Assertion (JWT Token)')).toHaveValue(/^eyJ/);
  await fill(jwtAssertion, { 'Client ID': 'cc-private-key-jwt' });
  await expect(
    jwtAssertion.getByText(/sub is "someone-else" but client authentication needs the client ID/),
  ).toBeVisible();
  await look(page, 'seed-004-assertion-subject-not-client');
  // Without an Audience or a Token Endpoint the assertion has no aud: refused on the field.
  await fill(jwtToken, { Audience: '' });
  await jwtToken.getByRole('button', { name: 'Generate JWT Token' }).click();
  await expect(field(jwtToken, 'Audience')).toBeFocused();
  await expect(field(jwtToken, 'Audience')).toHaveAttribute('aria-invalid', 'true');
  await expect(
    jwtToken.getByText('Enter the Audience (or the Token Endpoint, its default)').first(),
  ).toBeVisible();
});

test('seed 004, Authorization Code Flow (steps 1–9): no name typed, sign-in through the loopback redirect', async ({
  app,
  appPage: page,
}) => {
  // 1.–2. Connection Type, then Generate Access Token: the dialog appears.
  await newConnection(page, 'OAuth 2.0 Authorization Code Flow');
  const dialog = await openFlow(page);
  await look(page, 'seed-004-code-1-2-dialog');
  // 3. "On the Request Endpoints section, provide the URL for Authorization Endpoint and Token Endpoint."
  await fill(dialog, {
    'Authorization Endpoint': app.sandbox.server.authorizationEndpoint,
    'Token Endpoint': app.sandbox.server.tokenEndpoint,
  });
  // 5.–6. "Client ID, … Client Secret, and Scope"; "Add the same Redirect URI in the Redirect URIs
  //        (Callback URL) field … in your SaaS provider."
  await fill(dialog, {
    'Client ID': 'web-app',
    'Client Secret': SANDBOX_SECRET,
    Scope: 'openid offline_access',
  });
  await expect(dialog.getByRole('textbox', { name: 'Redirect URI' })).toHaveValue(
    'http://127.0.0.1:{any free port}/callback',
  );
  await look(page, 'seed-004-code-3-6-parameters');
  // 7. "Click Authorize. … the authorization page of the SaaS provider opens."
  const popupPromise = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Authorize' }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/\/interaction\//);
  // 8. "Log in to the SaaS provider and grant access to the required scopes"
  await popup.getByPlaceholder('Enter any login').fill('dave');
  await popup.getByPlaceholder('and password').fill('secret');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  await popup.getByRole('button', { name: 'Continue' }).click();
  // 9. "CloudStreams exchanges the authorization code for an access token … fields … populated"
  await expect(resultField(page, 'Refresh Token')).toBeVisible();
  const form = app.sandbox.server.tokenRequests().at(-1)!;
  expect(form.form.get('grant_type')).toBe('authorization_code');
  await look(page, 'seed-004-code-9-token');
  await expect(field(editor(page), 'Name')).not.toHaveValue('');
  await save(page);
});

test('seed 004, JWT Flow (steps 1–8): Token Endpoint, Claims, Keystore and Proxy, Get Token', async ({
  app,
  appPage: page,
}) => {
  // 1. Connection Type OAuth 2.0 JWT Flow; the dialog.
  await newConnection(page, 'OAuth 2.0 JWT Flow');
  const dialog = await openFlow(page);
  // 2. "provide the URL where the token resides in the Token Enpoint field"
  await fill(dialog, { 'Token Endpoint': app.sandbox.server.tokenEndpoint });
  // 4.–6. Claims: Issuer, Subject, Expiration Time (mins)
  await fill(dialog, {
    Issuer: JWT_BEARER_ISSUER,
    Subject: 'alice',
    'Expiration Time (mins)': '3',
  });
  // 7. Keystore Name; Signing Alias auto-populated.
  await choose(page, dialog, 'Keystore Name', 'sandbox-demo');
  await expect(dialog.getByRole('combobox', { name: 'Signing Alias' })).toHaveText(/^key — /);
  // The sandbox (oidc-provider) identifies the client by client_id, where Salesforce reads it
  // from the assertion's iss: the seed's procedure has no such step; its Request Parameters do.
  await fill(dialog, { 'Client ID': 'jwt-bearer' });
  await look(page, 'seed-004-jwt-2-7-claims-keystore');
  // 8. "Click Get Token. … the fields in the Connection Groups … populated"
  await dialog.getByRole('button', { name: 'Get Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  await look(page, 'seed-004-jwt-8-token');
  await expect(field(editor(page), 'Name')).not.toHaveValue('');
  await save(page);
});

test('seed 000, an API secured with OAuth 2.0 and a JWT: built from New Connection, Generate, Get JWT, Try API, server.xml out and back in with the same fields', async ({
  app,
  appPage: page,
}, testInfo) => {
  const server = app.sandbox.server;
  // "For OAuth authorization … the Resource Owner Password Credential grant type … a user name and
  //  password and a client ID and client secret."
  await newConnection(page, 'OAuth 2.0 Password (Resource Owner)');
  const dialog = await openFlow(page);
  await fill(dialog, {
    'Token Endpoint': server.tokenEndpoint,
    'Client ID': 'ropc-basic',
    'Client Secret': SANDBOX_SECRET,
    Username: 'alice',
    Password: 'wonderland',
    Scope: 'api:read',
  });
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  await look(page, 'seed-000-1-oauth-token');
  // 1. "Implement JWT for the API request": zosconnect_authToken with header="JWT-header-name",
  //    tokenRequest credentialLocation="header" header="JWTReqAuthorization" requestMethod="GET",
  //    tokenResponse tokenLocation="header" header="JWTResAuthorization".
  await editor(page)
    .getByRole('button', { name: /^z\/OS Connect/ })
    .click();
  const section = editor(page).getByRole('region', { name: 'Authentication Server JWT' });
  await section
    .getByRole('switch', { name: /^Also send a JWT from an authentication server/ })
    .check();
  await fill(section, {
    'Authentication Server URL': server.authJwtHeaderUrl,
    User: 'alice',
    Password: 'wonderland',
  });
  await choose(page, section, 'Request Method', 'GET');
  await choose(page, section, 'Credentials Location', /^Header/);
  await fill(section, { 'Credentials Header': 'JWTReqAuthorization' });
  await choose(page, section, 'JWT Location in the Response', 'Header');
  await fill(section, {
    'JWT Response Header': 'JWTResAuthorization',
    'API Request Header for the JWT': 'JWT-header-name',
  });
  await section.getByRole('button', { name: 'Get JWT' }).click();
  await expect(
    section.getByRole('textbox', { name: 'Token (header JWTResAuthorization)' }),
  ).toBeVisible();
  await look(page, 'seed-000-2-authentication-server-jwt');
  // 6. "… the request endpoint with the JWT and the access token … The JWT is passed in a bespoke header"
  await fill(editor(page), { 'API Base URL': server.combinedApiUrl });
  await editor(page)
    .getByRole('button', { name: /^Try API/ })
    .click();
  const panel = editor(page).getByRole('region', { name: 'Try API' });
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('HTTP 200')).toBeVisible();
  await expect(panel.getByText(/JWT in JWT-header-name/)).toBeVisible();
  await look(page, 'seed-000-3-try-api');
  await save(page);
  const name = await field(editor(page), 'Name').inputValue();
  const list = (await app.api('connections:list')) as Array<{ id: string; name: string }>;
  const id = list.find((c) => c.name === name)!.id;
  const before = (await app.api('connections:get', { id })) as Record<string, unknown>;

  // 3. "Reference both the JWT and OAuth configuration on the endpoint connection": the export.
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByRole('button', { name: 'z/OS server.xml' }).click();
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('dialog').getByRole('button', { name: 'Export' }).click();
  const file = testInfo.outputPath('server.xml');
  await (await downloadPromise).saveAs(file);
  const xml = readFileSync(file, 'utf8');
  expect(xml).toMatch(/<zosconnect_authToken [^>]*header="JWT-header-name"/);
  expect(xml).toMatch(
    /<tokenRequest [^>]*credentialLocation="header"[^>]*header="JWTReqAuthorization"[^>]*requestMethod="GET"|<tokenRequest [^>]*requestMethod="GET"[^>]*/,
  );
  expect(xml).toMatch(
    /<tokenResponse [^>]*tokenLocation="header"[^>]*header="JWTResAuthorization"/,
  );
  expect(xml).toMatch(/<zosconnect_oAuthConfig [^>]*grantType="password"/);
  expect(xml).toMatch(/authenticationConfigRef="[^"]+,[^"]+"/);
  // An endpoint connection has a host and a port: the API's path is the API requester's.
  await expect(page.getByRole('region', { name: 'Export notes' })).toContainText(
    'the path /api/combined of the API base URL belongs to the API requester',
  );
  await look(page, 'seed-000-4-export-server-xml');
  await page.getByRole('button', { name: 'Done' }).click();

  // Back in after deleting it: the same connection (secrets are not in server.xml: re-entered).
  await app.api('connections:delete', { id });
  await page.reload();
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Connections file').setInputFiles(file);
  // The export holds every connection (the sandbox's too): those are replaced by themselves.
  await page.getByLabel('Replace connections, keystores and proxies with the same name').check();
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await allowImportBindings(page, [/Your connection “sandbox-zos-combined”/]);
  await expect(page.getByRole('region', { name: 'Import notes' })).toBeVisible();
  await look(page, 'seed-000-5-import-server-xml');
  await page.getByRole('button', { name: 'Done' }).click();
  const after = (
    (await app.api('connections:list')) as Array<{ id: string; name: string; type: string }>
  ).find((c) => c.type === 'password' && !c.name.startsWith('sandbox-'));
  expect(after).toBeDefined();
  const imported = (await app.api('connections:get', { id: after!.id })) as typeof before;
  const pick = (c: Record<string, unknown>) => {
    const a = c.authToken as Record<string, unknown>;
    return {
      type: c.type,
      tokenEndpoint: c.tokenEndpoint,
      clientId: (c.client as { id: string }).id,
      apiOrigin: new URL((c.api as { baseUrl: string }).baseUrl).origin,
      authToken: {
        enabled: a.enabled,
        tokenEndpoint: a.tokenEndpoint,
        requestMethod: a.requestMethod,
        credentialLocation: a.credentialLocation,
        requestHeader: a.requestHeader,
        tokenLocation: a.tokenLocation,
        responseHeader: a.responseHeader,
        header: a.header,
      },
    };
  };
  expect(pick(imported)).toEqual(pick(before));
});
