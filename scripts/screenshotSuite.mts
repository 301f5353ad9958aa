/**
 * Regenerates docs/suite.png: the detail of a real small suite run (the synthetic horizon
 * table of the tests: baselines, the three Ridge variants and a short concat MLP) — the
 * leaderboard with intervals, predicted vs actual, permutation importance and the curves.
 * Needs the training addon (for the MLP). Under a minute.
 * Usage: node --import tsx scripts/screenshotSuite.mts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { startServe, stopServe } from '../e2e/support/fixtures';
import { writeHorizonFixture } from '../test/suite/horizonFixture';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-suite-'));
const data = path.join(home, 'data');
writeHorizonFixture(data, 400);
const server = await startServe(home);
const api = async <T,>(method: string, input: unknown): Promise<T> => {
  const res = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
};
const browser = await launchChromium();
try {
  const config = {
    name: 'horizon 7 days',
    metadata: path.join(data, 'meta.csv'),
    embeddings: { path: path.join(data, 'emb.npy'), ids: path.join(data, 'ids.txt') },
    filter: { horizon_days: 7 },
    dedupe: { by: 'video_id', latest: 'captured_at' },
    guestColumn: 'channel_id',
    models: ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat', 'concat_mlp'],
    mlp: { hidden: [128, 64], maxEpochs: 25, patience: 5, lr: 0.003 },
    bootstrap: 200,
  };
  const { job } = await api<{ job: { id: string } }>('jobs.start', { kind: 'suite.run', params: { config, configFile: null } });
  for (;;) {
    const { job: j } = await api<{ job: { status: string; error: unknown } }>('jobs.get', { jobId: job.id });
    if (j.status === 'succeeded') break;
    if (j.status !== 'queued' && j.status !== 'running') throw new Error(`the run ${j.status}: ${JSON.stringify(j.error)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 1750 } });
  await page.goto(server.url);
  await page.keyboard.press('Control+Shift+S');
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.locator('[data-testid="runs"] tbody tr').first().getByRole('button').click();
  await page.getByTestId('leaderboard').locator('tr[data-model="concat_mlp"]').getByRole('button', { name: 'concat_mlp' }).click();
  await page.getByTestId('curve').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.resolve('docs/suite.png'), fullPage: true });
} finally {
  await browser.close();
  await stopServe(server);
  fs.rmSync(home, { recursive: true, force: true });
}
