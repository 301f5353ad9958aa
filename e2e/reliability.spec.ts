import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(root, 'test/annotations/fixtures/annotations_sample.csv');

test('the report shows the sample figures with intervals; a disagreement is adjudicated into a gold snapshot', async ({ page, server }) => {
  test.setTimeout(90_000);
  const imported = await fetch(`${server.baseUrl}/api/annotations.import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ file: SAMPLE }),
  });
  expect(imported.status).toBe(200);

  await page.goto(server.url);
  await page.keyboard.press('Control+4');
  await expect(page.getByTestId('coverage')).toContainText('50 of 53 overlap frames coded by every coder');
  const alpha = page.getByTestId('figure-krippendorffAlpha.nominal');
  await expect(alpha).toContainText('0.917');
  await expect(alpha).toContainText('95% CI [');
  await expect(alpha).toContainText('reliable');
  await expect(page.getByTestId('figure-cohenKappa')).toContainText('0.916');
  await expect(page.getByTestId('confusion')).toBeVisible();

  await page.getByRole('tab', { name: 'Distance' }).click();
  await expect(page.getByTestId('coverage')).toContainText('41 of 53');
  await expect(page.getByTestId('coverage')).toContainText('in the re-code queue');
  await expect(page.getByTestId('figure-krippendorffAlpha.ordinal')).toContainText('0.952');
  await expect(page.getByTestId('figure-weightedKappa.quadratic')).toContainText('0.931');

  const cards = page.getByTestId('disagreement');
  await expect(cards).toHaveCount(6);
  await expect(page.getByTestId('coverage')).toContainText('the figures rest on the');
  await expect(page.getByTestId('figure-percentAgreement')).toContainText('of the compared frames coded alike');
  // An off-diagonal confusion cell shows just those disagreements; "all" shows every one again.
  const cell = page.getByTestId('confusion').locator('button.cell-pick').first();
  const inCell = Number(await cell.textContent());
  await cell.click();
  await expect(page.getByLabel('Category pair')).not.toHaveValue('');
  await expect(cards).toHaveCount(inCell);
  await page.getByLabel('Category pair').selectOption('');
  await expect(cards).toHaveCount(6);
  const first = cards.first();
  await first.getByLabel('Note').fill('face fills half the frame');
  await first.getByRole('button', { name: /^coder_a:/ }).click();
  await expect(first.getByTestId('decision')).toContainText('face fills half the frame');

  await page.getByRole('button', { name: 'Freeze a gold snapshot' }).click();
  const snapshots = page.getByTestId('snapshots');
  await expect(snapshots.locator('tbody tr')).toHaveCount(1);
  await expect(snapshots.locator('tbody tr td').nth(1)).toHaveText('36');
  await expect(snapshots.locator('tbody tr td').nth(2)).toHaveText('35 / 1');
});

test('the report exports as self-contained HTML and as a PDF printed by Chromium', async ({ page, server }) => {
  test.setTimeout(90_000);
  const fs = await import('node:fs');
  const os = await import('node:os');
  await fetch(`${server.baseUrl}/api/annotations.import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ file: SAMPLE }),
  });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-report-'));
  await page.goto(server.url);
  await page.keyboard.press('Control+4');
  await page.getByRole('tab', { name: 'Distance' }).click();
  await expect(page.getByTestId('figure-krippendorffAlpha.ordinal')).toContainText('0.952');
  await page.getByLabel('Export folder').fill(folder);
  await page.getByRole('button', { name: 'HTML' }).click();
  await expect(page.getByRole('alert')).toContainText('reliability_distance.html');

  // The file is there now: exporting again asks first; "no" keeps it, "yes" replaces it.
  const htmlFile = path.join(folder, 'reliability_distance.html');
  fs.writeFileSync(htmlFile, 'mine');
  const answer = (accept: boolean) =>
    new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void (accept ? dialog.accept() : dialog.dismiss());
      }),
    );
  const declined = answer(false);
  await page.getByRole('button', { name: 'HTML' }).click();
  expect(await declined).toBe(`${htmlFile} exists. Replace it?`);
  await expect(page.getByRole('button', { name: 'HTML' })).toBeEnabled();
  expect(fs.readFileSync(htmlFile, 'utf8')).toBe('mine');
  const accepted = answer(true);
  await page.getByRole('button', { name: 'HTML' }).click();
  expect(await accepted).toBe(`${htmlFile} exists. Replace it?`);
  await expect.poll(() => fs.readFileSync(htmlFile, 'utf8').length).toBeGreaterThan(1000);

  await page.getByRole('button', { name: 'PDF' }).click();
  await expect(page.getByRole('alert')).toContainText('reliability_distance.pdf');

  const html = fs.readFileSync(path.join(folder, 'reliability_distance.html'), 'utf8');
  expect(html).toContain('0.9521');
  expect(html).toContain('41 of 53 overlap frames');
  expect(html).not.toMatch(/<script|src="http|href="http/);
  const pdf = fs.readFileSync(path.join(folder, 'reliability_distance.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(5000);

  // The self-contained file renders the same figures in Chromium on its own.
  await page.goto('file://' + path.join(folder, 'reliability_distance.html'));
  await expect(page.locator('h1')).toHaveText('Inter-coder reliability: Distance');
  fs.rmSync(folder, { recursive: true, force: true });
});
