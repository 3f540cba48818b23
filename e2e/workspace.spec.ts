/**
 * A workspace folder in the app: opened (File → Open Workspace… in the desktop app, the
 * `workspace:open` channel here), its name beside the list, its connections; a file pulled in
 * from git appears at once, and a broken one is named instead of silently missing; what a
 * teammate's file would use of the user's waits for their review (workspace trust).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { listItem, look, openConnection } from './support.js';

test('a workspace folder: its name beside the list, a pulled file at once, a broken one named', async ({
  app,
  appPage: page,
}, testInfo) => {
  await openConnection(page, 'sandbox-client-credentials');
  const folder = testInfo.outputPath('team-workspace');
  await app.api('workspace:open', { folder, create: { name: 'Team' } });
  const badge = page.getByRole('status', { name: 'Workspace' });
  await expect(badge).toContainText('Workspace: Team');
  // The personal store's editor closed: another store, other connections.
  await expect(page.getByRole('tab', { name: /^sandbox-client-credentials/ })).toHaveCount(0);
  // The personal store's connections are not the workspace's.
  await expect(listItem(page, 'sandbox-client-credentials')).toHaveCount(0);
  mkdirSync(join(folder, 'connections'), { recursive: true });
  writeFileSync(
    join(folder, 'connections', 'payments-api.yaml'),
    `name: payments-api\ntype: client_credentials\ntokenEndpoint: ${app.sandbox.server.tokenEndpoint}\nclient:\n  id: cc-basic\n`,
  );
  await expect(listItem(page, 'payments-api')).toBeVisible();
  writeFileSync(join(folder, 'connections', 'broken.yaml'), 'name: broken\ntype: [nope\n');
  await expect(badge).toContainText('1 file left out until fixed');
  await expect(badge).toContainText('connections/broken.yaml');
  await look(page, 'workspace-folder');
  // A teammate's file that would send an environment variable of the user's: reviewed first.
  writeFileSync(
    join(folder, 'connections', 'ci.yaml'),
    `name: ci\ntype: client_credentials\ntokenEndpoint: ${app.sandbox.server.tokenEndpoint}\nclient:\n  id: cc-basic\n  secret: \${env:TEAM_CI_SECRET}\n`,
  );
  await expect(badge).toContainText('1 binding to review');
  await badge.getByRole('button', { name: 'Review…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Workspace “Team” — review' });
  const review = dialog.getByRole('region', { name: /would use 1 thing of yours/ });
  await expect(review).toContainText('Environment variable “TEAM_CI_SECRET”');
  await expect(review).toContainText(`sent in its requests to ${app.sandbox.server.tokenEndpoint}`);
  await look(page, 'dialog-workspace-trust');
  const allow = dialog.getByRole('button', { name: /^Allow/ });
  await expect(allow).toBeDisabled();
  await review.getByRole('checkbox').check();
  await allow.click();
  await expect(dialog).toHaveCount(0);
  await expect(badge).not.toContainText('to review');
  await app.api('workspace:close', {});
  await expect(badge).toHaveCount(0);
  await expect(listItem(page, 'sandbox-client-credentials')).toBeVisible();
});
