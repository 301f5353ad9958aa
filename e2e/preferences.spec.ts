import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type ServerHandle } from './support/fixtures';

/**
 * The Rate panel against `framelab serve`: a portrait video imported with sampled frames and a
 * video known only by its analysis, both rated with the keyboard alone; the ratings are then
 * read back through the API, and values off the scale are refused.
 */

interface Envelope<T> {
  ok: boolean;
  value: T;
  error?: { code: string; message: string };
}

async function call<T>(server: ServerHandle, method: string, input: unknown): Promise<Envelope<T>> {
  const res = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  return (await res.json()) as Envelope<T>;
}

async function ok<T>(server: ServerHandle, method: string, input: unknown): Promise<T> {
  const body = await call<T>(server, method, input);
  expect(body.ok, JSON.stringify(body.error)).toBe(true);
  return body.value;
}

async function runJob(server: ServerHandle, kind: string, params: unknown): Promise<void> {
  const { job } = await ok<{ job: { id: string } }>(server, 'jobs.start', { kind, params });
  await expect
    .poll(async () => (await ok<{ job: { status: string } }>(server, 'jobs.get', { jobId: job.id })).job.status, { timeout: 60_000 })
    .toBe('succeeded');
}

const analysis = (hook: string, score: number) => ({
  feature_count: 172,
  script: { hook: { type: hook, strength: 0.8 }, replicability: { score }, structure: 'setup-payoff' },
  trends: { memeDependent: false, format: 'pov' },
  audio: { soundEffects: ['laugh', 'ding'], music: 'upbeat', voiceover: true },
  visual: { cuts: 14, textOverlay: true, faceInFirstSecond: true },
});

/** A portrait clip imported with 4 frames, and an analysis (v2) for it and for a video Framelab does not have. */
async function seed(server: ServerHandle, dir: string): Promise<void> {
  const clip = path.join(dir, 'reel_a.mp4');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=duration=4:size=360x640:rate=15',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    clip,
  ]);
  await runJob(server, 'media.import', { paths: [clip] });
  await runJob(server, 'frames.sample', { strategy: { kind: 'perVideo', count: 4 } });
  const jsonl = path.join(dir, 'analyses.jsonl');
  fs.writeFileSync(
    jsonl,
    [
      { video_id: 'ext_002', analysis_version: 'v2', analysis: analysis('question', 7) },
      { video_id: 'reel_a', analysis_version: 'v2', analysis: analysis('shock', 4) },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  const report = await ok<{ filesImported: number }>(server, 'preference.analyses.import', { path: jsonl });
  expect(report.filesImported).toBe(1);
  // Someone else's rating of reel_a: in its history, never in the owner's draft.
  await ok(server, 'preference.ratings.save', {
    videoId: 'reel_a',
    rater: 'lukas',
    raterType: 'other',
    overall: 6.5,
    hook: 7,
    notes: 'Good loop',
  });
}

async function openRate(page: Page, url: string) {
  await page.goto(url);
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByRole('heading', { name: 'Preferences' })).toBeVisible();
}

const value = (page: Page, field: string) => page.getByTestId(`score-${field}-value`);

test('the owner rates two videos with the keyboard only; the API has both ratings and refuses values off the scale', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-rate-'));
  try {
    await seed(server, dir);
    await page.setViewportSize({ width: 1400, height: 900 });
    await openRate(page, server.url);

    // Who is rating: the id field has the keyboard; Enter starts.
    await expect(page.getByLabel('Rater id')).toBeFocused();
    await page.keyboard.type('owner');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rater')).toHaveText('owner');
    await expect(page.getByTestId('rate-counter')).toHaveText('0 of 2 rated by owner');
    await expect(page.getByRole('tab', { name: 'To rate (2)' })).toBeVisible();

    // First in the queue: ext_002, not imported, so its analysis stands in for the player.
    await expect(page.getByTestId('rate-video-id')).toHaveText('ext_002');
    const summary = page.getByTestId('analysis-summary');
    await expect(summary).toContainText('not imported into Framelab');
    await expect(summary).toContainText('172 features');
    await expect(summary.getByRole('region', { name: 'audio' })).toContainText('laugh, ding');
    await expect(page.getByTestId('rate-video')).toHaveCount(0);
    await page.screenshot({ path: '/tmp/rate-analysis.png' });

    // Enter without an overall score saves nothing and says why.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rate-message')).toContainText('Give the overall score first');

    // Overall 7.5, hook 8, pacing 6.5, payoff 10 (typed "1" "0"); "." on 10 cannot make 10.5.
    for (const key of ['7', '.', 'h', '8', 'p', '6', '.', 'y', '1', '0']) await page.keyboard.press(key);
    await expect(value(page, 'overall')).toHaveText('7.5');
    await expect(value(page, 'hook')).toHaveText('8');
    await expect(value(page, 'pacing')).toHaveText('6.5');
    await expect(value(page, 'payoff')).toHaveText('10');
    await page.keyboard.press('.');
    await expect(value(page, 'payoff')).toHaveText('10');
    await expect(page.getByTestId('rate-message')).toContainText('no 10.5');
    // ↑ back to pacing, → half a point up: 7.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight');
    await expect(value(page, 'pacing')).toHaveText('7');
    // N: the note, Enter keeps it; Enter again saves and moves on.
    await page.keyboard.press('n');
    await page.keyboard.type('Strong question hook');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rate-note')).toContainText('Strong question hook');
    await page.keyboard.press('Enter');

    // Second: reel_a, imported: the video itself plays, its 4 frames beside it.
    await expect(page.getByTestId('rate-video-id')).toHaveText('reel_a');
    await expect(page.getByTestId('rate-message')).toHaveText('Saved ext_002: overall 7.5.');
    await expect(page.getByTestId('rate-counter')).toHaveText('1 of 2 rated by owner');
    await expect(value(page, 'overall')).toHaveText('–');
    const video = page.getByTestId('rate-video');
    await expect(video).toBeVisible();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([360, 640]);
    await expect(page.getByRole('list', { name: 'Sampled frames' }).getByRole('button')).toHaveCount(4);
    // Portrait, fitted to the height: at least 600 px tall in a 1400×900 window.
    const box = (await page.getByTestId('rate-stage').boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(600);
    // ] seeks the video to the next sampled frame.
    await page.keyboard.press(']');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);
    await expect(page.getByTestId('rating-history')).toContainText('lukas (other)');
    await expect(page.getByText('Also rated by 1 other rater')).toBeVisible();
    for (const key of ['5', 'h', '6', '.', 'y', '4']) await page.keyboard.press(key);
    await page.screenshot({ path: '/tmp/rate-player.png' });
    await page.keyboard.press('Control+Shift+L');
    await page.screenshot({ path: '/tmp/rate-player-dark.png' });
    await page.keyboard.press('Control+Shift+L');
    await page.keyboard.press('Enter');

    // The queue is empty, and says so.
    await expect(page.getByTestId('rate-empty')).toHaveText('Every video is rated by owner: 2 of 2. Rate one again from Rated.');
    await expect(page.getByTestId('rate-message')).toHaveText('Saved reel_a: overall 5.');
    await page.screenshot({ path: '/tmp/rate-empty.png' });

    // Both ratings through the API, exactly as typed.
    const { ratings } = await ok<{ ratings: Record<string, unknown>[] }>(server, 'preference.ratings.list', { rater: 'owner' });
    expect(ratings).toEqual([
      expect.objectContaining({
        videoId: 'ext_002',
        raterType: 'owner',
        overall: 7.5,
        hook: 8,
        pacing: 7,
        payoff: 10,
        notes: 'Strong question hook',
      }),
      expect.objectContaining({ videoId: 'reel_a', raterType: 'owner', overall: 5, hook: 6.5, pacing: null, payoff: 4, notes: '' }),
    ]);

    // Values off the scale cannot be saved: nothing is added.
    for (const bad of [{ overall: 10.5 }, { overall: 3.3 }, { overall: 7, hook: 3.3 }, { overall: -0.5 }]) {
      const refused = await call(server, 'preference.ratings.save', { videoId: 'ext_002', rater: 'owner', raterType: 'owner', ...bad });
      expect(refused.ok, JSON.stringify(bad)).toBe(false);
      expect(refused.error?.code).toBe('INVALID_INPUT');
    }
    const history = await ok<{ entries: unknown[] }>(server, 'preference.ratings.history', { videoId: 'ext_002' });
    expect(history.entries).toHaveLength(1);

    // The rater is remembered on this machine: a reload goes straight to rating; Rated re-opens
    // a rated video with the rating on screen, and a new save is a new history entry.
    await openRate(page, server.url);
    await expect(page.getByTestId('rater')).toHaveText('owner');
    await page.getByRole('tab', { name: 'Rated (2)' }).click();
    await expect(page.getByTestId('rate-video-id')).toHaveText('ext_002');
    await expect(value(page, 'overall')).toHaveText('7.5');
    await page.keyboard.press('8');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rate-message')).toHaveText('Saved ext_002: overall 8 (was 7.5).');
    await expect(page.getByTestId('rate-video-id')).toHaveText('reel_a');
    await page.keyboard.press('PageUp');
    await expect(page.getByTestId('rate-video-id')).toHaveText('ext_002');
    await expect(page.getByTestId('rating-history').locator('li')).toHaveCount(2);
    const after = await ok<{ entries: { overall: number }[] }>(server, 'preference.ratings.history', { videoId: 'ext_002' });
    expect(after.entries.map((e) => e.overall)).toEqual([8, 7.5]);

    // ? shows every key, the app's chords included; Esc closes it.
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keys' });
    await expect(sheet).toContainText('save and next video');
    await expect(sheet).toContainText('Preferences');
    await page.screenshot({ path: '/tmp/rate-keys.png' });
    await page.keyboard.press('Escape');
    await expect(sheet).toHaveCount(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a rater id with spaces is refused where it is typed, and the type is kept', async ({ page, server }) => {
  await openRate(page, server.url);
  await page.keyboard.type('lukas lab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('letters, digits and . _ @ -');
  await page.getByLabel('Rater id').fill('lukas@lab');
  await page.getByRole('radio', { name: 'other' }).check();
  await page.getByLabel('Rater id').press('Enter');
  await expect(page.getByTestId('rater')).toHaveText('lukas@lab');
  await expect(page.locator('.rate-rater .badge')).toHaveText('other');
  await expect(page.getByTestId('rate-empty')).toContainText('Nothing to rate yet');
});
