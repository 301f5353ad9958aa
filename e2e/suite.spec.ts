import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addPatternLeakColumns, writeHorizonFixture } from '../test/suite/horizonFixture';
import { expect, startServe, stopServe, test as base, type ServerHandle } from './support/fixtures';

/**
 * The Suite area against `framelab serve`: a horizon table with leakage columns and
 * embeddings written by code, real suite.run jobs (small: baselines, Ridge and a 3-epoch
 * MLP), each test with its own home and server.
 */
const test = base.extend<{ data: string; home: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern: none
  data: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-suite-data-'));
    writeHorizonFixture(dir);
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  home: async ({}, use) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-suite-'));
    await use(home);
    fs.rmSync(home, { recursive: true, force: true });
  },
});

async function call<T>(server: ServerHandle, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  expect(body.ok, JSON.stringify(body.error)).toBe(true);
  return body.value;
}

const numberOf = (text: string | null) => Number((text ?? '').trim().split(/\s/)[0]);

test('datasets preview marks leakage; a run set up in the screen trains, ranks, opens its detail; two runs compare', async ({
  page,
  data,
  home,
}) => {
  test.setTimeout(180_000);
  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+S');
    await expect(page.getByRole('heading', { name: 'Suite', exact: true })).toBeVisible();

    // Datasets: the files, the horizon filter (default), latest capture (default) → preview.
    await page.getByLabel('Metadata table (.csv or .parquet)').fill(path.join(data, 'meta.csv'));
    await page.getByLabel(/^Embeddings/).fill(path.join(data, 'emb.npy'));
    await page.getByLabel('Ids file (for .npy)').fill(path.join(data, 'ids.txt'));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('preview');
    await expect(preview.getByTestId('rows-read')).toHaveText('480');
    await expect(preview.getByTestId('rows-dedupe')).toHaveText('160');
    await expect(preview.getByTestId('rows-kept')).toHaveText('160');
    const leak = preview.locator('[data-column="views_per_day"]');
    await expect(leak).toHaveAttribute('data-role', 'leakage');
    await expect(leak).toContainText('excluded: leakage');
    await expect(leak).toContainText('known only after the outcome');
    await expect(preview.locator('[data-column="horizon_view_count"]')).toHaveAttribute('data-role', 'target');
    await expect(preview.locator('[data-column="duration"]')).toHaveAttribute('data-role', 'numeric');
    await expect(preview.getByRole('note')).toContainText('views_per_day');

    // Run setup: custom features keep ids and dates apart, behind a warning when picked.
    await page.getByRole('button', { name: 'Set up a run →' }).click();
    await page.getByRole('radio', { name: /Custom/ }).check();
    const pick = page.getByTestId('feature-pick');
    const excluded = pick.getByTestId('excluded-columns');
    for (const column of ['video_id', 'captured_at']) {
      await expect(excluded.locator(`[data-column="${column}"]`)).toHaveCount(1);
      await expect(pick.locator(`> [data-column="${column}"]`)).toHaveCount(0);
    }
    await expect(pick.locator('> [data-column="duration"]')).toContainText('numeric');
    await expect(pick.getByTestId('feature-warning')).toHaveCount(0);
    await excluded.locator('summary').click();
    await excluded.getByLabel('Feature captured_at').check();
    await expect(pick.getByTestId('feature-warning')).toContainText('captured_at (date/time');
    await excluded.getByLabel('Feature captured_at').uncheck();
    await expect(pick.getByTestId('feature-warning')).toHaveCount(0);
    await page.getByRole('radio', { name: /Defaults/ }).check();

    // Baselines, Ridge and a 3-epoch MLP, named and tagged; the JSON shown is what runs.
    await page.getByLabel('Run name').fill('week 7 baseline');
    await page.getByLabel('Tags').fill('weekly, mlp');
    await page.getByLabel('ridge_guestnorm').uncheck();
    await page.getByLabel('ridge_guestfeat').uncheck();
    await page.getByLabel('concat_mlp').check();
    await page.getByLabel('MLP max epochs').fill('3');
    await page.getByLabel('Bootstrap resamples').fill('50');
    const config = JSON.parse((await page.getByTestId('config-json').textContent()) ?? '{}') as {
      models: string[];
      mlp: unknown;
      metadata: string;
      name: string;
      tags: string[];
    };
    expect(config.models).toEqual(['mean', 'guest_mean', 'ridge', 'concat_mlp']);
    expect([config.name, config.tags]).toEqual(['week 7 baseline', ['weekly', 'mlp']]);
    expect(config.mlp).toEqual({ maxEpochs: 3 });
    expect(config.metadata).toBe(path.join(data, 'meta.csv'));
    await page.getByRole('button', { name: 'Start run' }).click();

    // Live → the finished run's leaderboard, sorted by validation RMSE, baselines marked.
    const live = page.getByTestId('live-run');
    await expect(live).toHaveAttribute('data-status', 'succeeded', { timeout: 150_000 });
    const board = live.getByTestId('leaderboard');
    await expect(board.locator('tbody tr')).toHaveCount(4);
    const rmse = (await board.locator('td[data-metric="val:rmse_log"]').allTextContents()).map(numberOf);
    expect(rmse).toEqual([...rmse].sort((a, b) => a - b));
    await expect(board.locator('tr[data-model="mean"] .baseline-badge')).toBeVisible();
    await expect(board.locator('tr[data-model="ridge"] .baseline-badge')).toHaveCount(0);
    // Re-sorted by R² on test: descending.
    await board.locator('button[title="Sort by R² (log) on test"]').click();
    const r2 = (await board.locator('td[data-metric="test:r2_log"]').allTextContents()).map(numberOf);
    expect(r2).toEqual([...r2].sort((a, b) => b - a));

    // Detail of the MLP: scatter (24 val rows), importance, curves; then Ridge on test.
    await board.locator('tr[data-model="concat_mlp"]').getByRole('button', { name: 'concat_mlp' }).click();
    const model = live.getByTestId('model-detail');
    await expect(model).toHaveAttribute('data-model', 'concat_mlp');
    await expect(model.getByTestId('scatter')).toHaveAttribute('data-points', '24');
    await expect(model.getByTestId('scatter').locator('circle.dot')).toHaveCount(24);
    await expect(model.getByTestId('importance').locator('tr[data-feature="<embedding>"]')).toBeVisible();
    await expect(model.locator('[data-curve="concat_mlp"] [data-series="val"] circle')).toHaveCount(3);
    await expect(model.getByTestId('slices')).toContainText('text_present=1');
    await model.getByLabel('Model').selectOption('ridge');
    await model.getByRole('tab', { name: 'Test' }).click();
    await expect(model.getByTestId('scatter')).toHaveAttribute('data-points', '24');
    await expect(model.getByTestId('curve')).toHaveCount(0);

    // A second run (unnamed, another split seed, fewer models and a small gbdt) through the API, then compare both.
    const firstRunId = await live.getByTestId('run-detail').getAttribute('data-run-id');
    const { job } = await call<{ job: { id: string } }>(server, 'jobs.start', {
      kind: 'suite.run',
      params: {
        config: {
          ...config,
          name: undefined,
          tags: undefined,
          models: ['mean', 'ridge', 'gbdt'],
          gbdt: { rounds: 40, earlyStoppingRounds: 10, projectionDim: 4, minChildWeight: 5, threads: 1 },
          split: { kind: 'random', ratios: [0.7, 0.15, 0.15], seed: 7 },
          mlp: undefined,
        },
        configFile: null,
      },
    });
    await expect
      .poll(async () => (await call<{ job: { status: string } }>(server, 'jobs.get', { jobId: job.id })).job.status, { timeout: 90_000 })
      .toBe('succeeded');
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByTestId('runs');
    await expect(runs.locator('tbody tr')).toHaveCount(2);
    const ids = await runs.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')!));
    expect(ids).toContain(firstRunId);
    const secondRunId = ids.find((id) => id !== firstRunId)!;
    // The named run shows its name and tags; the other its id.
    const named = runs.locator(`tr[data-run-id="${firstRunId}"]`);
    await expect(named.getByTestId('run-name')).toHaveText('week 7 baseline');
    await expect(named.getByTestId('run-tags')).toHaveText(/weekly\s*mlp/);
    await expect(runs.locator(`tr[data-run-id="${secondRunId}"]`).getByTestId('run-name')).toHaveCount(0);

    // The gbdt curve of the second run: RMSE per boosting round, drawn.
    await runs.locator(`tr[data-run-id="${secondRunId}"]`).locator('button.linklike').click();
    const second = page.getByTestId('run-detail');
    await second.getByTestId('model-detail').getByLabel('Model').selectOption('gbdt');
    const gbdtCurve = second.locator('[data-curve="gbdt"]');
    await expect(gbdtCurve).toHaveAttribute('data-unit', 'round');
    await expect(gbdtCurve).toContainText(/\d+ rounds · best RMSE [0-9.]+ at round \d+/);
    expect(await gbdtCurve.locator('[data-series="val"] circle').count()).toBeGreaterThan(1);
    expect(await gbdtCurve.locator('[data-series="train"] circle').count()).toBeGreaterThan(1);
    await expect(gbdtCurve).toContainText('boosting round');

    await page.getByRole('tab', { name: 'Runs' }).click();
    await runs.getByLabel('Compare week 7 baseline').check();
    await runs.getByLabel(`Compare ${secondRunId}`).check();
    await page.getByTestId('compare-button').click();
    const cmp = page.getByTestId('compare');
    await expect(cmp.getByTestId('compare-table').locator('tbody tr')).toHaveCount(5);
    await expect(cmp.getByTestId('compare-table').locator(`th[data-run-id="${firstRunId}"] [data-testid="run-name"]`)).toHaveText(
      'week 7 baseline',
    );
    // Different split seeds: different rows in val and test, said above the table.
    await expect(cmp.getByTestId('split-warning')).toContainText('These runs used different splits (split.seed differs)');
    await expect(cmp.locator('tr[data-model="concat_mlp"]')).toContainText('not trained');
    await expect(cmp.getByTestId('config-diffs').locator('tr[data-field="split.seed"]')).toContainText('7');
    await expect(cmp.getByTestId('config-diffs').locator('tr[data-field="models"]')).toBeVisible();
  } finally {
    await stopServe(server);
  }
});

test('a filter that keeps nothing fails the preview, naming the file', async ({ page, data, home }) => {
  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+S');
    await page.getByLabel('Metadata table (.csv or .parquet)').fill(path.join(data, 'meta.csv'));
    await page.getByLabel('Filter', { exact: true }).fill('horizon_days = 14');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('preview-error')).toContainText('keeps no rows');
    await expect(page.getByTestId('preview-error')).toContainText('meta.csv');
  } finally {
    await stopServe(server);
  }
});

test('a column caught by a leakage name pattern is shown with its pattern, and only the allow-list lets it back in', async ({
  page,
  data,
  home,
}) => {
  addPatternLeakColumns(data);
  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+S');
    await page.getByLabel('Metadata table (.csv or .parquet)').fill(path.join(data, 'meta.csv'));
    await page.getByLabel(/^Embeddings/).fill(path.join(data, 'emb.npy'));
    await page.getByLabel('Ids file (for .npy)').fill(path.join(data, 'ids.txt'));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('preview');
    // In the spec's list: excluded by name.
    await expect(preview.locator('[data-column="horizon_label_type"]')).toHaveAttribute('data-role', 'leakage');
    const frameRate = preview.locator('[data-column="frame_rate"]');
    await expect(frameRate).toHaveAttribute('data-role', 'leakage');
    await expect(frameRate).toHaveAttribute('data-pattern', '*_rate');
    await expect(frameRate).toContainText('caught by the name pattern *_rate');
    await expect(preview.getByRole('note')).toContainText('frame_rate (pattern *_rate)');
    await expect(preview.getByRole('note')).toContainText('horizon_label_type,');

    // Allowed: a numeric feature again, and the run's config carries the allow-list.
    await page.getByLabel(/^Known at publish time despite a leakage pattern/).fill('frame_rate');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(preview.locator('[data-column="frame_rate"]')).toHaveAttribute('data-role', 'numeric');
    await expect(preview.locator('[data-column="repost_count"]')).toHaveAttribute('data-pattern', '*_count');
    await page.getByRole('button', { name: 'Set up a run →' }).click();
    const config = JSON.parse((await page.getByTestId('config-json').textContent()) ?? '{}') as { leakageAllow?: string[] };
    expect(config.leakageAllow).toEqual(['frame_rate']);
  } finally {
    await stopServe(server);
  }
});

test('the live view draws the MLP curve epoch by epoch; cancel stops it and keeps the curve', async ({ page, data, home }) => {
  test.setTimeout(150_000);
  const server = await startServe(home);
  try {
    const config = {
      metadata: path.join(data, 'meta.csv'),
      embeddings: { path: path.join(data, 'emb.npy'), ids: path.join(data, 'ids.txt') },
      filter: { horizon_days: 7 },
      dedupe: { by: 'video_id', latest: 'captured_at' },
      guestColumn: 'channel_id',
      models: ['mean', 'concat_mlp'],
      // Far more epochs than the test waits for, and no early stop: only cancel ends it.
      mlp: { maxEpochs: 100_000, patience: 100_000, hidden: [256, 128], threads: 1 },
    };
    const { job } = await call<{ job: { id: string } }>(server, 'jobs.start', { kind: 'suite.run', params: { config, configFile: null } });
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+S');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: /^Training now/ }).click();
    const live = page.getByTestId('live-run');
    const dots = live.locator('[data-curve="concat_mlp"] [data-series="val"] circle');
    await expect.poll(() => dots.count(), { timeout: 90_000 }).toBeGreaterThanOrEqual(3);
    await expect(live.getByTestId('live-stage')).toContainText(/training concat_mlp: epoch \d+/);
    await live.getByRole('button', { name: 'Cancel' }).click();
    await expect(live).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    const { job: done } = await call<{ job: { error: { code: string } } }>(server, 'jobs.get', { jobId: job.id });
    expect(done.error.code).toBe('CANCELLED');
    expect(await dots.count()).toBeGreaterThanOrEqual(3);
    expect(fs.readdirSync(path.join(home, 'runs', 'suite')).filter((d) => d.startsWith('suite-'))).toEqual([]);
  } finally {
    await stopServe(server);
  }
});

test("a finished run shows its registry versions; a rerun on today's data is the next version, activated from the screen and compared", async ({
  page,
  data,
  home,
}) => {
  test.setTimeout(180_000);
  const server = await startServe(home);
  try {
    const config = {
      metadata: path.join(data, 'meta.csv'),
      embeddings: { path: path.join(data, 'emb.npy'), ids: path.join(data, 'ids.txt') },
      filter: { horizon_days: 7 },
      dedupe: { by: 'video_id', latest: 'captured_at' },
      guestColumn: 'channel_id',
      models: ['mean', 'ridge'],
      bootstrap: 20,
    };
    const { job } = await call<{ job: { id: string } }>(server, 'jobs.start', { kind: 'suite.run', params: { config, configFile: null } });
    await expect
      .poll(async () => (await call<{ job: { status: string } }>(server, 'jobs.get', { jobId: job.id })).job.status, { timeout: 90_000 })
      .toBe('succeeded');

    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+S');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByTestId('runs').locator('tbody tr button.linklike').first().click();
    const detail = page.getByTestId('run-detail');
    const firstRunId = await detail.getAttribute('data-run-id');
    const registry = detail.getByTestId('run-registry');
    await expect(registry.locator('tr[data-id="suite_7d_ridge@v1"]')).toContainText('Active');
    await expect(registry.locator('tr[data-id="suite_7d_mean@v1"]')).toContainText('Active');
    await expect(registry.locator('tr[data-id="suite_7d_ridge@v1"] td').nth(2)).toHaveText(/^[0-9a-f]{12}$/);

    // The same config on today's data: a new run, the next version, not active until asked.
    await registry.getByRole('button', { name: "Rerun on today's data" }).click();
    const live = page.getByTestId('live-run');
    await expect(live).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    const rerun = live.getByTestId('run-registry');
    await expect(rerun).toContainText(`Re-ran the config of ${firstRunId}`);
    const v2 = rerun.locator('tr[data-id="suite_7d_ridge@v2"]');
    await expect(v2.getByRole('button', { name: 'Activate' })).toBeVisible();
    await v2.getByRole('button', { name: 'Activate' }).click();
    await expect(v2).toContainText('Active');
    await rerun.screenshot({ path: path.join(os.tmpdir(), 'framelab-suite-registry.png') });
    const models = await call<{ models: { id: string; active: boolean }[] }>(server, 'suite.models', { name: 'suite_7d_ridge' });
    expect(models.models.map((m) => [m.id, m.active])).toEqual([
      ['suite_7d_ridge@v1', false],
      ['suite_7d_ridge@v2', true],
    ]);

    await rerun.getByRole('button', { name: 'Compare with it' }).click();
    const cmp = page.getByTestId('compare');
    await expect(cmp.getByTestId('compare-table').locator(`th[data-run-id="${firstRunId}"]`)).toBeVisible();
    await expect(cmp.getByTestId('compare-table').locator('tbody tr')).toHaveCount(2);
  } finally {
    await stopServe(server);
  }
});
