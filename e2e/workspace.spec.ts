/**
 * A workspace folder in the app: opened (File → Open Workspace… in the desktop app, the
 * `workspace:open` channel here), its name beside the list, its connections; a file pulled in
 * from git appears at once, and a broken one is named instead of silently missing.
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
  await app.api('workspace:close', {});
  await expect(badge).toHaveCount(0);
  await expect(listItem(page, 'sandbox-client-credentials')).toBeVisible();
});
