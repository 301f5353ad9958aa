import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(root, 'test/annotations/fixtures/annotations_sample.csv');

test("the lead imports the lab's annotations.csv; blank cells reach their coder's re-code queue", async ({ page, server }) => {
  await page.goto(server.url);
  await page.keyboard.press('Control+6');
  await page.getByLabel('Annotations file').fill(SAMPLE);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('Imported 120 rows: 67 frames, 2 coders.');
  await expect(report).toContainText('pov: 117 codes, 3 missing');
  await expect(report).toContainText('distance: 108 codes, 12 missing');
  await expect(report).toContainText('15 missing codes sent back');
  await expect(report.getByTestId('changed-codes')).toHaveText("0 codes replaced, 0 kept because the code here is newer than the file's");
  await expect(page.getByTestId('recode-table').locator('tbody tr')).toHaveCount(15);
  // The import ran as a job: it is in the jobs list with the same report.
  const { value } = (await (
    await fetch(`${server.baseUrl}/api/jobs.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({}),
    })
  ).json()) as { value: { jobs: { kind: string; status: string; result: { rows: number } }[] } };
  expect(value.jobs).toEqual([
    expect.objectContaining({ kind: 'annotations.import', status: 'succeeded', result: expect.objectContaining({ rows: 120 }) }),
  ]);

  // The coder sees their own blanks under Re-code.
  await page.keyboard.press('Control+1');
  await page.getByLabel('Coder').selectOption('coder_a');
  await page.getByRole('tab', { name: /Re-code/ }).click();
  await expect(page.getByTestId('frame-id')).toBeVisible();
  await expect(page.locator('.dimension .badge-failed').first()).toHaveText('re-code');
});

test('a file with a bad row imports nothing and lists the row and column', async ({ page, server }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-csv-'));
  const bad = path.join(dir, 'bad.csv');
  const text = fs.readFileSync(SAMPLE, 'utf8').replace('3rd person,Public', '3rd persn,Public');
  fs.writeFileSync(bad, text);
  await page.goto(server.url);
  await page.keyboard.press('Control+6');
  await page.getByLabel('Annotations file').fill(bad);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-report')).toContainText('Nothing was imported');
  await expect(page.getByTestId('import-report')).toContainText('row 1, column pov');
  await expect(page.getByText('No missing codes are waiting.')).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the lead imports a video and samples frames from it, as jobs', async ({ page, server }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-video-'));
  const clip = path.join(dir, 'clip_01.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=3:size=160x120:rate=10', '-pix_fmt', 'yuv420p', clip]);
  await page.goto(server.url);
  await page.keyboard.press('Control+5');
  await expect(page.getByText('No videos yet')).toBeVisible();
  await page.getByLabel('Video paths').fill(clip);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const table = page.getByTestId('video-table');
  await expect(table).toContainText('clip_01');
  await expect(table).toContainText('3.0 s');
  await expect(table).toContainText('160×120');

  await page.getByLabel('Strategy').selectOption('even');
  await page.getByLabel('Frames per video').fill('3');
  await page.getByRole('button', { name: 'Sample' }).click();
  // Sampling is a job: a process of its own plus ffmpeg, slow to start on a loaded machine.
  await expect(table.locator('tbody tr').first().locator('td').nth(4)).toHaveText('3', { timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a corrupt video among good ones: the import succeeds with 1 error, named beside the Import button', async ({ page, server }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-video-'));
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=2:size=160x120:rate=10',
    '-pix_fmt',
    'yuv420p',
    path.join(dir, 'good.mp4'),
  ]);
  fs.writeFileSync(path.join(dir, 'broken.mp4'), 'not a video at all');
  await page.goto(server.url);
  await page.keyboard.press('Control+5');
  await page.getByLabel('Video paths').fill(dir);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const inline = page.getByTestId('job-inline').first();
  await expect(inline).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(inline.locator('.badge')).toHaveText('succeeded with 1 error');
  await expect(inline).toContainText('broken.mp4');
  await expect(page.getByTestId('video-table')).toContainText('good');
  fs.rmSync(dir, { recursive: true, force: true });
});
