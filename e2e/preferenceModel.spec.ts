import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { syntheticPreferences } from '../test/preference/synthetic';
import { expect, test, type ServerHandle } from './support/fixtures';

/**
 * Preferences › Model against `framelab serve`: 120 owner ratings of synthetic v3 analyses
 * (~170 features, feature_count 172) plus videos left out for a reason, seeded through the
 * HTTP API; then in the screen: the ladder at 100, correlations run and the expected list
 * edited, v1.0 trained through the job (its minimum lowered to 100), activated, a video
 * scored and every video written to a CSV; 50 more ratings make a retrain due, and the one
 * click trains v1.1 with live progress.
 */

test.use({ viewport: { width: 1400, height: 900 } });

interface Envelope<T> {
  ok: boolean;
  value: T;
  error?: { code: string; message: string };
}

async function ok<T>(server: ServerHandle, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as Envelope<T>;
  expect(body.ok, JSON.stringify(body.error)).toBe(true);
  return body.value;
}

const HEADER = 'video_id,rater,rater_type,overall,hook,pacing,payoff,notes,rated_at';
const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
const line = (videoId: string, analysis: unknown, version = 'v3') =>
  JSON.stringify({ video_id: videoId, analysis_version: version, analysis });

/** n owner ratings (from `from` in time) of new synthetic v3 analyses, imported through the API; returns their video ids. */
async function seedRatings(
  server: ServerHandle,
  dir: string,
  n: number,
  seed: number,
  from: number,
  extra: { analyses?: string[]; rows?: string[] } = {},
): Promise<string[]> {
  const { records } = syntheticPreferences(n, seed);
  const ids = records.map((r) => `s${seed}_${r.videoId}`);
  const jsonl = path.join(dir, `analyses-${seed}.jsonl`);
  fs.writeFileSync(jsonl, [...records.map((r, i) => line(ids[i]!, r.analysis)), ...(extra.analyses ?? [])].join('\n') + '\n');
  await ok(server, 'preference.analyses.import', { path: jsonl });
  const rows = records.map((r, i) =>
    [ids[i], 'owner', 'owner', r.overall, r.hook ?? '', r.pacing ?? '', r.payoff ?? '', '', at(from + i)].join(','),
  );
  const csv = path.join(dir, `ratings-${seed}.csv`);
  fs.writeFileSync(csv, `${HEADER}\n${[...rows, ...(extra.rows ?? [])].join('\n')}\n`);
  const report = await ok<{ errors: unknown[]; added: number }>(server, 'preference.ratings.import', { file: csv });
  expect(report.errors).toEqual([]);
  return ids;
}

async function openModel(page: Page, url: string) {
  await page.goto(url);
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByRole('heading', { name: 'Preferences' })).toBeVisible();
  await page.getByRole('tab', { name: 'Model', exact: true }).click();
  await expect(page.getByTestId('model-panel')).toBeVisible();
}

const section = (page: Page, name: string) =>
  page.getByRole('tablist', { name: 'Model' }).getByRole('tab', { name: new RegExp(`^${name}`) });

test('status ladder, correlations with the expected list, v1.0 trained and activated, a video scored, scores to CSV, a due retrain in one click', async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-prefmodel-'));
  try {
    const base = syntheticPreferences(1, 99).records[0]!.analysis as Record<string, unknown>;
    const ids = await seedRatings(server, dir, 120, 7, 0, {
      analyses: [line('x_few', { ...base, feature_count: 50 }), line('x_guest', base)],
      rows: [
        ['x_few', 'owner', 'owner', 5, '', '', '', '', at(500)].join(','),
        ['x_guest', 'guest', 'other', 6, '', '', '', '', at(501)].join(','),
      ],
    });

    await openModel(page, server.url);

    // Status: 120 eligible, the 100 rung reached (you are here), 200 not; what was left out and why.
    const status = page.getByTestId('pm-status');
    await expect(status.getByTestId('pm-eligible')).toHaveText('120');
    const ladder = status.getByTestId('pm-ladder');
    await expect(ladder.locator('li[data-rung="100"]')).toHaveAttribute('data-reached', 'true');
    await expect(ladder.locator('li[data-rung="100"]')).toContainText('you are here');
    await expect(ladder.locator('li[data-rung="200"]')).toHaveAttribute('data-reached', 'false');
    await expect(status.getByTestId('pm-now')).toContainText('120 eligible owner ratings — past the 100 rung.');
    await expect(status).toContainText('80 more eligible ratings to reach 200');
    const few = status.locator('details[data-reason="too few features"]');
    await expect(few.locator('summary')).toContainText('1 too few features');
    await few.locator('summary').click();
    await expect(few).toContainText('x_few');
    await expect(status.locator('details[data-reason="not an owner rating"] summary')).toContainText('1 not an owner rating');
    await expect(status.getByTestId('pm-active')).toContainText('None yet');
    await page.screenshot({ path: '/tmp/prefmodel-status.png' });

    // Correlations: the arrow keys move between the sections; run; the top lists, the table, the expected list checked.
    await section(page, 'Status').focus();
    await page.keyboard.press('ArrowRight');
    await expect(section(page, 'Correlations')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('pm-run-correlations').click();
    await expect(page.getByTestId('pm-correlations-source')).toContainText('This run');
    await expect(page.getByTestId('pm-correlations-source')).toContainText('120 ratings');
    await expect(page.getByTestId('pm-top-positive').locator('li')).toHaveCount(20);
    await expect(page.getByTestId('pm-top-negative').locator('li').first()).toBeVisible();
    const table = page.getByTestId('pm-feature-table');
    await expect(table.locator('tbody tr').first()).toBeVisible();
    const expected = page.getByTestId('pm-expected');
    const replicability = expected.locator('tr[data-feature="script.replicability.score"]');
    await expect(replicability).toHaveAttribute('data-status', 'confirmed');
    // Flip its expected sign in place: it reads opposite before saving; add one and remove one; save.
    await replicability.getByRole('combobox').selectOption('negative');
    await expect(replicability).toHaveAttribute('data-status', 'opposite');
    await expected
      .locator('tr[data-feature="casting.attractivenessDependency"]')
      .getByRole('button', { name: /^Remove/ })
      .click();
    await expected.getByLabel('Expected feature').fill('script.humor.comedyTiming_x');
    await expected.getByRole('button', { name: 'Add' }).click();
    await expect(expected.locator('tr[data-feature="script.humor.comedyTiming_x"]')).toHaveAttribute('data-status', 'absent');
    await expect(expected).toContainText('Unsaved changes');
    await expected.getByRole('button', { name: 'Save expected list' }).click();
    await expect(expected).not.toContainText('Unsaved changes');
    const saved = await ok<{ expected: { feature: string; direction: string }[]; isDefault: boolean }>(
      server,
      'preference.expected.get',
      {},
    );
    expect(saved.isDefault).toBe(false);
    expect(saved.expected.find((e) => e.feature === 'script.replicability.score')?.direction).toBe('negative');
    expect(saved.expected.some((e) => e.feature === 'casting.attractivenessDependency')).toBe(false);
    expect(saved.expected.at(-1)).toEqual({ feature: 'script.humor.comedyTiming_x', direction: 'positive' });
    await expect(page.getByTestId('pm-snapshots').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('pm-snapshots').locator('tbody tr').first()).toContainText('120');
    await page.screenshot({ path: '/tmp/prefmodel-correlations.png' });

    // Versions: none yet; train v1.0 (Ridge, top 30, minimum lowered to 100) through the job.
    await section(page, 'Versions').click();
    const form = page.getByTestId('pm-train-form');
    await form.getByLabel('Top K features').fill('30');
    await form.getByLabel('Minimum eligible ratings').fill('100');
    await form.getByLabel('Notes').fill('first model, e2e');
    await form.getByTestId('pm-train-button').click();
    const job = page.getByTestId('train-job');
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await expect(job.getByTestId('train-result')).toHaveAttribute('data-model', 'preference@v1.0');
    await expect(job.getByTestId('train-advice')).toContainText('keep the current model');
    const row = page.getByTestId('pm-versions-table').locator('tr[data-model="preference@v1.0"]');
    await expect(row).toContainText('first model, e2e');
    await expect(row).toContainText('120');
    await expect(row.locator('[data-verdict]').first()).toBeVisible();
    await expect(row).toHaveAttribute('data-active', 'false');
    // Activation is explicit (not advised under 200 ratings, still offered).
    await row.getByRole('button', { name: 'Activate preference@v1.0' }).click();
    await expect(row).toHaveAttribute('data-active', 'true');
    await expect(job).toContainText('Active: new scores use preference@v1.0');
    const models = await ok<{
      active: string | null;
      models: { id: string; notes: string; trainingRatings: number; options: { top: number } }[];
    }>(server, 'preference.models.list', {});
    expect(models.active).toBe('preference@v1.0');
    expect(models.models).toHaveLength(1);
    expect(models.models[0]).toMatchObject({ notes: 'first model, e2e', trainingRatings: 120, options: { top: 30 } });
    await page.screenshot({ path: '/tmp/prefmodel-versions.png' });

    // Score: one video with the active model, equal to the API's; then every video to a CSV, replacing only when confirmed.
    await section(page, 'Score').click();
    await page.getByLabel('Video id to score').fill(ids[3]!);
    await page.getByRole('button', { name: 'Score', exact: true }).click();
    const result = page.getByTestId('pm-score-result');
    await expect(result).toHaveAttribute('data-video', ids[3]!);
    const api = await ok<{ score: number; confidence: number | null; topFactors: { feature: string }[] }>(server, 'preference.score', {
      videoId: ids[3],
    });
    await expect(result.getByTestId('pm-score-value')).toContainText(api.score.toFixed(1));
    await expect(result.getByTestId('pm-factors').locator('li')).toHaveCount(5);
    await expect(result.getByTestId('pm-factors').locator('li').first()).toHaveAttribute('data-feature', api.topFactors[0]!.feature);
    const csv = path.join(dir, 'scores.csv');
    await page.getByLabel('Scores CSV path').fill(csv);
    await page.getByRole('button', { name: 'Score all to CSV' }).click();
    await expect(page.getByTestId('pm-score-all-result')).toContainText('122 videos scored by preference@v1.0');
    expect(fs.readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(123);
    fs.writeFileSync(csv, 'kept\n');
    // Keep the file: nothing written; then replace it.
    const answer = (accept: boolean) =>
      new Promise<string>((resolve) =>
        page.once('dialog', (d) => {
          resolve(d.message());
          void (accept ? d.accept() : d.dismiss());
        }),
      );
    let asked = answer(false);
    await page.getByRole('button', { name: 'Score all to CSV' }).click();
    expect(await asked).toBe(`${csv} exists. Replace it?`);
    await expect(page.getByRole('button', { name: 'Score all to CSV' })).toBeEnabled();
    expect(fs.readFileSync(csv, 'utf8')).toBe('kept\n');
    asked = answer(true);
    await page.getByRole('button', { name: 'Score all to CSV' }).click();
    await asked;
    await expect.poll(() => fs.readFileSync(csv, 'utf8').split('\n').length).toBeGreaterThan(100);
    await page.screenshot({ path: '/tmp/prefmodel-score.png' });

    // 50 new owner ratings: a retrain is due (the dot on Status), and one click trains v1.1 with progress.
    await seedRatings(server, dir, 50, 8, 1000);
    await expect(section(page, 'Status').locator('.pm-dot')).toBeVisible();
    await page.getByRole('button', { name: 'Close the training result' }).click();
    await section(page, 'Status').click();
    const retrain = page.getByTestId('pm-retrain');
    await expect(retrain).toHaveAttribute('data-due', 'true');
    await expect(retrain).toContainText('A retrain is due.');
    await expect(retrain).toContainText('50 of 50');
    await expect(page.getByTestId('pm-active')).toHaveAttribute('data-model', 'preference@v1.0');
    await page.screenshot({ path: '/tmp/prefmodel-due-light.png' });
    await page.keyboard.press('Control+Shift+L');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: '/tmp/prefmodel-due-dark.png' });
    await page.getByTestId('pm-retrain-button').click();
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await expect(job.getByTestId('train-result')).toHaveAttribute('data-model', 'preference@v1.1');
    await expect(job.getByTestId('train-result')).toContainText('170 ratings');
    await expect(job.getByTestId('train-result')).toContainText('parent preference@v1.0');
    await page.screenshot({ path: '/tmp/prefmodel-retrained-dark.png' });
    await section(page, 'Versions').click();
    await expect(page.getByTestId('pm-versions-table').locator('tbody tr')).toHaveCount(2);
    await page.screenshot({ path: '/tmp/prefmodel-versions-dark.png' });
    await section(page, 'Correlations').click();
    await page.screenshot({ path: '/tmp/prefmodel-correlations-dark.png' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
