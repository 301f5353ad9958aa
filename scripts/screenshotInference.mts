/**
 * Regenerates docs/inference.png: the results view of a real (small, CPU) batch inference —
 * generated clips (some unreadable), two seeded ResNet-50s at a 32 px crop, run by the real
 * `infer.run` job through the API, then one video's frames opened. Needs /usr/bin/python3 with
 * torch + torchvision (for the seeded weights). A few minutes on a 2-core machine.
 * Usage: node --import tsx scripts/screenshotInference.mts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { startServe, stopServe, type ServerHandle } from '../e2e/support/fixtures';

async function call<T>(server: ServerHandle, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-infer-'));
const home = path.join(dir, 'home');
const videos = path.join(dir, 'videos');
const out = path.join(dir, 'predictions');
const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'e2e/support/seedInfer.ts', home, videos], { encoding: 'utf8' });
if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
const { good } = JSON.parse(seeded.stdout.trim().split('\n').pop()!) as { good: string[] };
const server = await startServe(home);
const browser = await launchChromium();
try {
  const { job } = await call<{ job: { id: string } }>(server, 'jobs.start', {
    kind: 'infer.run',
    params: {
      videos,
      models: ['pov@v7', 'distance@v7'],
      sampling: { kind: 'every', seconds: 0.5 },
      workers: 2,
      checkpointEvery: 2,
      outDir: out,
    },
  });
  for (;;) {
    const { job: now } = await call<{ job: { status: string; error: unknown } }>(server, 'jobs.get', { jobId: job.id });
    if (now.status === 'succeeded') break;
    if (now.status !== 'running' && now.status !== 'queued') throw new Error(`the run ${now.status}: ${JSON.stringify(now.error)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(server.url);
  await page.keyboard.press('Control+Shift+P');
  await page.locator(`[data-testid="infer-outputs"] button[data-out-dir="${out}"]`).click();
  await page.getByRole('button', { name: good[1]!, exact: true }).click();
  await page.locator('[data-testid="infer-frames"] img').first().waitFor();
  await page.getByText('loading…').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.resolve('docs/inference.png'), fullPage: true });
} finally {
  await browser.close();
  await stopServe(server);
  fs.rmSync(dir, { recursive: true, force: true });
}
