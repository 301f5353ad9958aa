import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, startServe, stopServe, test } from './support/fixtures';

/**
 * The Inference area against `framelab serve`: a home with two seeded ResNet-50s (32 px crop)
 * and a folder of generated clips (some unreadable). The form starts a real `infer.run` job;
 * its progress runs to the end; the results agree with the CSVs the job wrote; a searched
 * video's frames show their images and predictions; the export copies the CSVs and refuses to
 * replace them unless asked.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function table(file: string): Record<string, string>[] {
  const [header, ...rows] = fs
    .readFileSync(file, 'utf8')
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

test('run a batch inference from the form, watch it finish, browse and export the results', async ({ page }) => {
  test.setTimeout(420_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-infer-'));
  const home = path.join(dir, 'home');
  const videos = path.join(dir, 'videos');
  const out = path.join(dir, 'predictions');
  const exported = path.join(dir, 'exported');
  const seed = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'e2e/support/seedInfer.ts'), home, videos], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (seed.status !== 0) throw new Error(`seeding the inference home failed: ${seed.stderr}`);
  const seeded = JSON.parse(seed.stdout.trim().split('\n').at(-1)!) as { good: string[]; bad: string[] };
  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+Shift+P');
    await expect(page.getByRole('heading', { name: 'Inference', exact: true })).toBeVisible();

    // The form: the active versions are the defaults; a missing field is named, not guessed.
    const form = page.getByRole('form', { name: 'New batch inference' });
    await expect(form.getByLabel('Model for pov')).toHaveValue('pov@v7');
    await expect(form.getByLabel('Model for distance')).toHaveValue('distance@v7');
    await expect(form.getByLabel('Workers')).toHaveValue('4');
    await expect(form.getByText('To start, give the videos (a folder or gs://bucket/prefix), an output folder.')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Start inference' })).toBeDisabled();
    await form.getByLabel('Videos source').fill(videos);
    await form.getByLabel('Output folder').fill(out);
    await form.getByLabel('Workers').fill('2');
    await form.getByLabel('Checkpoint every').fill('2');
    await form.getByRole('button', { name: 'Start inference' }).click();

    // Live progress, then the end.
    const job = page.getByTestId('infer-job');
    await expect(page.getByRole('progressbar', { name: 'Inference progress' })).toBeVisible({ timeout: 60_000 });
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 300_000 });
    await expect(page.getByTestId('infer-view')).toHaveAttribute('data-complete', 'true');

    // The results agree with the CSVs the job wrote.
    const frames = table(path.join(out, 'model_predictions.csv'));
    const perVideo = table(path.join(out, 'model_predictions_video.csv'));
    expect(perVideo.map((v) => v.video_id)).toEqual([...seeded.good].sort());
    const total = seeded.good.length + seeded.bad.length;
    await expect(page.getByTestId('infer-job-outcome')).toHaveText(
      `Done: ${total} videos, ${seeded.good.length} read (${frames.length} frames), ${seeded.bad.length} could not be read.`,
    );
    // Where the run's time went: the summary line, and the stages behind it.
    const timings = page.getByTestId('infer-timings');
    await expect(timings.locator('summary')).toHaveText(
      new RegExp(
        `^${frames.length} frames in [\\d.]+ s: [\\d.]+ frames/s end to end, [\\d.]+ frames/s model only \\(\\d+ %\\)\\. Bound by (the model|decoding|resize \\+ normalise|probing the files|downloading the videos)\\.$`,
      ),
    );
    await timings.locator('summary').click();
    await expect(timings.locator('tr[data-stage]')).toHaveCount(6);
    // Small clips sampled densely: one pass each (a seek would cost more than it skips).
    await expect(timings.locator('tr[data-stage="Decode (ffmpeg)"]')).toContainText(/\d+ video\(s\) in one pass, 0 by seeking/);
    await page.screenshot({ path: path.join(os.tmpdir(), 'framelab-infer-timings.png'), fullPage: true });
    await expect(page.getByTestId('infer-counts')).toHaveText(
      `${seeded.good.length} read · ${frames.length} frames · ${seeded.bad.length} could not be read`,
    );
    for (const dim of ['pov', 'distance']) {
      const rows = page.getByTestId(`dist-${dim}`).locator('.dist-row');
      const n = await rows.count();
      expect(n).toBeGreaterThan(1);
      for (let i = 0; i < n; i++) {
        const name = (await rows.nth(i).getAttribute('data-class'))!;
        const f = frames.filter((r) => r[`${dim}_pred`] === name).length;
        const v = perVideo.filter((r) => r[`${dim}_pred`] === name).length;
        await expect(rows.nth(i).getByTestId('dist-count')).toHaveText(`${f} frames · ${v} videos`);
      }
    }
    await expect(page.getByTestId('infer-videos').locator('tbody tr')).toHaveCount(seeded.good.length);
    await page.getByTestId('infer-errors').locator('summary').click();
    for (const bad of seeded.bad) await expect(page.getByTestId('infer-errors').getByText(bad, { exact: true })).toBeVisible();

    // Search, then a video's frames with their images and predictions.
    const target = seeded.good[2]!;
    await page.getByLabel('Search videos').fill(target.toUpperCase());
    await expect(page.getByTestId('infer-videos').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('infer-page')).toHaveText('1–1 of 1');
    await page.getByRole('button', { name: target, exact: true }).click();
    const panel = page.getByTestId('infer-frames');
    const own = frames.filter((r) => r.video_id === target);
    expect(own.length).toBeGreaterThan(1);
    await expect(panel.locator('.infer-frame')).toHaveCount(own.length);
    for (const row of own) {
      const card = panel.locator(`[data-frame-id="${row.frame_id}"]`);
      await expect(card.getByRole('img', { name: `Frame ${row.frame_id}` })).toHaveAttribute('src', /^data:image\/png;base64,/);
      await expect(card.locator('[data-dimension="pov"]').getByTestId('frame-pred')).toHaveText(row.pov_pred!);
      await expect(card.locator('[data-dimension="distance"]').getByTestId('frame-pred')).toHaveText(row.distance_pred!);
      await expect(card.locator('[data-dimension="pov"]')).toContainText(Number(row.pov_conf).toFixed(2));
    }
    const size = await panel
      .locator('img')
      .first()
      .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(size[0]).toBeGreaterThan(0);

    // Export: the three files and their models sidecar, byte for byte; a second export asks before replacing them.
    const exportPanel = page.getByRole('region', { name: 'Export the CSVs' });
    await exportPanel.getByLabel('Export folder').fill(exported);
    await exportPanel.getByRole('button', { name: 'Export the CSVs' }).click();
    await expect(page.getByTestId('infer-exported').locator('li')).toHaveCount(4);
    for (const f of ['model_predictions.csv', 'model_predictions_video.csv', 'errors.csv', 'model_predictions.models.json']) {
      expect(fs.readFileSync(path.join(exported, f)).equals(fs.readFileSync(path.join(out, f))), f).toBe(true);
    }
    const question = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      }),
    );
    await exportPanel.getByRole('button', { name: 'Export the CSVs' }).click();
    expect(await question).toBe(
      `${exported} already holds model_predictions.csv, model_predictions_video.csv, errors.csv, model_predictions.models.json. Replace them?`,
    );
    await expect(page.getByTestId('infer-exported')).toContainText('replaced the file that was there');

    // The folder is listed for later, and reopens.
    await page.getByRole('button', { name: 'New run' }).click();
    await page.locator(`[data-testid="infer-outputs"] button[data-out-dir="${out}"]`).click();
    await expect(page.getByTestId('infer-view')).toHaveAttribute('data-complete', 'true');
  } finally {
    await stopServe(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
