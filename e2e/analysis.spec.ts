import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeRunInputs } from '../test/analysis/pipelineFixture';
import { expect, startServe, stopServe, test as base } from './support/fixtures';

/**
 * The Analysis area against `framelab serve`: the lab-shaped synthetic table (a planted
 * negative color_entropy × avg_objects × text_area_ratio term) set up in the screen, run as a
 * real analysis.run job, read per outcome and exported; each test with its own home and server.
 */
const test = base.extend<{ data: string; home: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern: none
  data: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-analysis-data-'));
    writeRunInputs(dir, { n: 400 });
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  home: async ({}, use) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-analysis-'));
    await use(home);
    fs.rmSync(home, { recursive: true, force: true });
  },
});

const PLANTED = 'color_entropy:avg_objects:text_area_ratio';

test('a run set up in the screen fits, shows every result per outcome and exports its tables', async ({ page, data, home }) => {
  test.setTimeout(240_000);
  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+A');
    await expect(page.getByRole('heading', { name: 'Analysis', exact: true })).toBeVisible();

    // Data → columns with types and missingness; the lab's roles are suggested.
    await page.getByLabel('Video-level table').fill(path.join(data, 'videos.csv'));
    await page.getByLabel('Run name').fill('visual overload');
    await page.getByRole('button', { name: 'Read columns' }).click();
    await expect(page.getByTestId('analysis-rows')).toHaveText('400 rows');
    await expect(page.getByLabel('Role of views')).toHaveValue('outcome');
    await expect(page.getByLabel('Role of color_entropy')).toHaveValue('predictor');
    await expect(page.getByLabel('Role of category')).toHaveValue('categorical');
    await expect(page.getByLabel('Role of duration_s')).toHaveValue('control');
    await expect(page.getByLabel('Focal set 1, variable 3')).toHaveValue('text_area_ratio');

    // Fewer outcomes and a small grid keep it quick; a PDP pair is added.
    await page.getByLabel('Role of likes').selectOption('');
    await page.getByLabel('PDP grid (points per axis)').fill('6');
    await page.getByLabel('GBM folds').fill('3');
    await page.getByLabel('Cross-validation folds (OLS, LASSO)').fill('3');
    await page.getByRole('button', { name: '+ PDP pair' }).click();
    const config = JSON.parse(
      (await page
        .getByTestId('analysis-config-json')
        .textContent({ timeout: 5_000 })
        .catch(() => null)) ?? 'null',
    ) as null | { outcomes: string[] };
    if (config) expect(config.outcomes).toEqual(['views', 'shares']);
    await page.keyboard.press('Control+Enter');

    // Live → the run's detail.
    const detail = page.getByTestId('analysis-detail');
    await expect(detail).toBeVisible({ timeout: 200_000 });
    await expect(detail.getByRole('heading', { name: 'visual overload' })).toBeVisible();
    await expect(detail.getByRole('tab', { name: 'views' })).toHaveAttribute('aria-selected', 'true');
    await expect(detail.getByTestId('analysis-coef-plot').locator('svg')).toBeVisible();

    // The focal model: the planted term is negative and significant for views.
    await detail.getByRole('tab', { name: /^focal/ }).click();
    const planted = detail.getByTestId('analysis-coef-table').locator('tr', { hasText: PLANTED });
    await expect(planted).toHaveClass(/significant/);
    expect(Number((await planted.locator('td').nth(1).textContent())!.replace(/\*+$/, ''))).toBeLessThan(0);
    await expect(detail.getByRole('heading', { name: /Pairwise screen/ })).toContainText('exploratory');
    await expect(detail.getByTestId('analysis-slopes-plot').first().locator('svg')).toBeVisible();
    await expect(detail.getByTestId('analysis-gbm-cv')).toContainText('3-fold cross-validated R²');

    // A three-way PDP view: its slice selector changes the surface.
    await detail.getByLabel('PDP surface').selectOption({ label: 'color_entropy × avg_objects | text_area_ratio' });
    const pdp = detail.getByTestId('analysis-pdp-plot');
    const before = await pdp.innerHTML();
    await detail.getByRole('radio', { name: 'text_area_ratio Q75' }).click();
    await expect(detail.getByRole('radio', { name: 'text_area_ratio Q75' })).toHaveAttribute('aria-checked', 'true');
    expect(await pdp.innerHTML()).not.toBe(before);
    await expect(detail.getByTestId('analysis-comparison')).toContainText('Cross-validated');
    await expect(detail.getByTestId('analysis-count-models')).toContainText('NB2');
    await expect(detail.getByTestId('analysis-overdispersion')).toContainText('variance/mean');
    await page.screenshot({ path: test.info().outputPath('analysis-detail.png'), fullPage: true });

    // → switches outcome (focus outside any field).
    await detail.getByRole('heading', { name: 'visual overload' }).click();
    await page.keyboard.press('ArrowRight');
    await expect(detail.getByRole('tab', { name: 'shares' })).toHaveAttribute('aria-selected', 'true');

    // Export CSV tables; a second export asks before replacing, and keeps them on “no”.
    const out = path.join(data, 'tables');
    await detail.getByLabel('Export folder').fill(out);
    await detail.getByRole('button', { name: 'Export CSV' }).click();
    await expect(detail.getByTestId('analysis-export-result')).toContainText('Wrote');
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['focal_interactions_full.csv', 'focal_interactions_pivot.csv']));
    page.once('dialog', (d) => void d.dismiss());
    await detail.getByRole('button', { name: 'Export CSV' }).click();
    await expect(detail.getByTestId('analysis-export-result')).toHaveText('Nothing written: the existing files were kept.');

    // The Runs tab lists it.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect(page.getByTestId('analysis-runs').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('analysis-runs')).toContainText('visual overload');
  } finally {
    await stopServe(server);
  }
});

test('a column that cannot be a predictor is not offered as one; a constant predictor fails the run naming it and leaves no run', async ({
  page,
  data,
  home,
}) => {
  test.setTimeout(120_000);
  // num_faces becomes text in one row; a constant column is added.
  const file = path.join(data, 'videos.csv');
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const col = lines[0]!.split(',').indexOf('num_faces');
  const cells = lines[5]!.split(',');
  cells[col] = 'many';
  lines[5] = cells.join(',');
  fs.writeFileSync(file, `${lines.map((line, i) => `${line},${i === 0 ? 'constant_one' : '1'}`).join('\n')}\n`);
  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+A');
    await page.getByLabel('Video-level table').fill(path.join(data, 'missing.csv'));
    await page.getByRole('button', { name: 'Read columns' }).click();
    await expect(page.getByTestId('analysis-columns-error')).toContainText('missing.csv');
    await expect(page.getByTestId('analysis-problems')).toContainText('Read the table’s columns first.');
    await expect(page.getByRole('button', { name: /Run analysis/ })).toBeDisabled();

    await page.getByLabel('Video-level table').fill(file);
    await page.getByRole('button', { name: 'Read columns' }).click();
    await expect(page.getByLabel('Role of num_faces')).toHaveValue('');
    await expect(page.getByLabel('Role of num_faces').locator('option')).toHaveText(['not used', 'control, categorical C()']);
    await page.getByLabel('Role of constant_one').selectOption('predictor');
    await page.getByLabel('Gradient boosting').uncheck();
    await page.getByRole('button', { name: /Run analysis/ }).click();
    await expect(page.getByTestId('analysis-live')).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
    await expect(page.getByTestId('analysis-live-error')).toContainText('constant_one');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect(page.getByText('No analysis run yet')).toBeVisible();
  } finally {
    await stopServe(server);
  }
});
