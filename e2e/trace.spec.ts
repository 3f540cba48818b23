/**
 * Export trace: after a token run (and after a refused one, from the flow dialog) the HAR of its
 * HTTP legs downloads, with the connection's secrets masked.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { SANDBOX_SECRET } from '../sandbox/authorization-server.js';
import { editor, fill, look, openConnection, openFlow, resultField } from './support.js';

test('Export trace downloads the run as HAR with its secrets masked, also after a refusal', async ({
  appPage: page,
}, testInfo) => {
  await openConnection(page, 'sandbox-client-credentials');
  const dialog = await openFlow(page);
  await dialog.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(resultField(page, 'Token Type')).toHaveValue('Bearer');
  const downloaded = page.waitForEvent('download');
  await editor(page).getByRole('button', { name: 'Export trace' }).click();
  const file = testInfo.outputPath('ok.har');
  await (await downloaded).saveAs(file);
  const har = JSON.parse(readFileSync(file, 'utf8')) as {
    log: { entries: Array<{ request: { url: string }; response: { status: number } }> };
  };
  expect(har.log.entries.at(-1)?.response.status).toBe(200);
  expect(readFileSync(file, 'utf8')).not.toContain(SANDBOX_SECRET);

  // A wrong secret: the dialog says why and offers the trace of the refused request.
  const again = await openFlow(page);
  await fill(again, { 'Client Secret': 'not-the-secret-at-all' });
  await again.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(again.getByRole('alert').first()).toBeVisible();
  await look(page, 'dialog-refused-export-trace');
  const refused = page.waitForEvent('download');
  await again.getByRole('button', { name: 'Export trace' }).click();
  const refusedFile = testInfo.outputPath('refused.har');
  await (await refused).saveAs(refusedFile);
  const text = readFileSync(refusedFile, 'utf8');
  expect((JSON.parse(text) as typeof har).log.entries.at(-1)?.response.status).toBe(401);
  expect(text).not.toContain('not-the-secret-at-all');
});
