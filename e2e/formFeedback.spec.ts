import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './support/fixtures';

/**
 * Errors where the action is (issue 20, item 5): each form says what happened beside its own
 * button, an export over an existing file asks first and says what it did, and a message that
 * described an older attempt goes when the form changes.
 */
test('model import, annotations export and the sync settings answer beside their buttons; stale results go', async ({ page, server }) => {
  test.setTimeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-forms-'));
  await page.goto(server.url);

  // A model file that is not there: the Import form says so, naming it.
  await page.keyboard.press('Control+9');
  const missing = path.join(dir, 'no-such-model.pth');
  await page.getByLabel('Weights file').fill(missing);
  await page.getByLabel('Classes').fill('a,b');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importOutcome = page.getByTestId('import-model-feedback').or(page.getByTestId('job-inline'));
  await expect(importOutcome).toContainText('no-such-model.pth');
  await page.screenshot({ path: '/tmp/forms-model-import.png' });
  // Editing the form clears the old message.
  await page.getByLabel('Weights file').fill(path.join(dir, 'other.pth'));
  await expect(importOutcome).toBeHidden();

  // Annotations export: a success line; then over the existing file, "no" keeps it and says so.
  await page.keyboard.press('Control+6');
  const out = path.join(dir, 'annotations.csv');
  await page.getByLabel('Export file').fill(out);
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByTestId('export-result')).toContainText(`written to ${out}`);
  fs.writeFileSync(out, 'mine');
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByTestId('export-result')).toHaveText('Not exported: the existing file was kept.');
  expect(fs.readFileSync(out, 'utf8')).toBe('mine');

  // Sync: a connection test's result describes the settings it tested; a changed bucket hides it.
  await page.keyboard.press('Control+0');
  await page.getByLabel('Bucket', { exact: true }).fill('lab-bucket');
  await page.getByLabel('Service-account key file (path; empty: application default credentials)').fill(path.join(dir, 'missing-key.json'));
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByTestId('sync-test-result').or(page.getByTestId('sync-settings-feedback'));
  await expect(result).toContainText('missing-key.json');
  await page.getByLabel('Bucket', { exact: true }).fill('lab-bucket-2');
  await expect(result).toBeHidden();
});
