import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

/**
 * Exports download where a browser expects them (issue 20, item 8): with no server folder
 * typed, the Reliability report (HTML, PDF) and a gold snapshot's CSV arrive as real browser
 * downloads, with their names and contents; nothing is asked of the person.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(root, 'test/annotations/fixtures/annotations_sample.csv');

test('the reliability report and a gold snapshot download through the browser', async ({ page, server }) => {
  test.setTimeout(90_000);
  const imported = await fetch(`${server.baseUrl}/api/annotations.import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ file: SAMPLE }),
  });
  expect(imported.status).toBe(200);
  page.on('dialog', (dialog) => {
    throw new Error(`a download must not ask anything, but the page asked: ${dialog.message()}`);
  });

  await page.goto(server.url);
  await page.keyboard.press('Control+4');
  await page.getByRole('tab', { name: 'Distance' }).click();
  await expect(page.getByTestId('figure-krippendorffAlpha.ordinal')).toContainText('0.952');
  const exportPanel = page.getByRole('region', { name: 'Export the report' });
  await expect(exportPanel.getByTestId('export-destination')).toHaveText('Downloads through the browser.');

  const [html] = await Promise.all([page.waitForEvent('download'), exportPanel.getByRole('button', { name: 'HTML' }).click()]);
  expect(html.suggestedFilename()).toBe('reliability_distance.html');
  const htmlText = fs.readFileSync((await html.path())!, 'utf8');
  expect(htmlText).toContain('0.9521');
  expect(htmlText).toContain('41 of 53 overlap frames');
  await expect(page.getByRole('alert')).toContainText('Downloaded reliability_distance.html');

  const [pdf] = await Promise.all([page.waitForEvent('download'), exportPanel.getByRole('button', { name: 'PDF' }).click()]);
  expect(pdf.suggestedFilename()).toBe('reliability_distance.pdf');
  const pdfBytes = fs.readFileSync((await pdf.path())!);
  expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdfBytes.length).toBeGreaterThan(5000);

  // A CSV: freeze a gold snapshot, download it.
  await page.getByRole('button', { name: 'Freeze a gold snapshot' }).click();
  const snapshots = page.getByTestId('snapshots');
  await expect(snapshots.locator('tbody tr')).toHaveCount(1);
  const snapshotId = (await snapshots.locator('tbody tr td').first().textContent())!.trim();
  const [csv] = await Promise.all([page.waitForEvent('download'), snapshots.getByRole('button', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toBe(`gold_${snapshotId}.csv`);
  const lines = fs
    .readFileSync((await csv.path())!, 'utf8')
    .split(/\r?\n/)
    .filter(Boolean);
  expect(lines[0]).toBe('frame_id,video_id,timestamp_s,dimension,code,source,note');
  expect(lines.length - 1).toBe(Number(await snapshots.locator('tbody tr td').nth(1).textContent()));

  // The exports were staged in the home's exports area, each in its own folder.
  const staged = fs.readdirSync(path.join(server.home, 'exports'));
  expect(staged).toHaveLength(3);
});

test('an export into a folder that does not exist asks to create it, then writes there', async ({ page, server }) => {
  test.setTimeout(90_000);
  const imported = await fetch(`${server.baseUrl}/api/annotations.import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ file: SAMPLE }),
  });
  expect(imported.status).toBe(200);
  const target = path.join(server.home, 'papers', 'icr');
  const asked: string[] = [];
  let answer = false;
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    void (answer ? dialog.accept() : dialog.dismiss());
  });

  await page.goto(server.url);
  await page.keyboard.press('Control+4');
  await page.getByRole('tab', { name: 'Distance' }).click();
  const exportPanel = page.getByRole('region', { name: 'Export the report' });
  await exportPanel.getByLabel('Export folder').fill(target);
  await expect(exportPanel.getByTestId('export-destination')).toHaveText(`Writes into ${target} on the server.`);

  // "No" creates nothing and writes nothing.
  await exportPanel.getByRole('button', { name: 'JSON' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toBe(`The folder ${target} does not exist. Create it?`);
  await expect(exportPanel.getByRole('button', { name: 'JSON' })).toBeEnabled();
  expect(fs.existsSync(path.dirname(target))).toBe(false);

  // "Yes" creates the folder with its parent and writes the report into it.
  answer = true;
  await exportPanel.getByRole('button', { name: 'JSON' }).click();
  await expect(page.getByRole('alert')).toContainText(`Report written to ${path.join(target, 'reliability_distance.json')}`);
  expect(asked).toHaveLength(2);
  expect(JSON.parse(fs.readFileSync(path.join(target, 'reliability_distance.json'), 'utf8'))).toBeTruthy();
});
