/**
 * Regenerates docs/finetune.png: the v7-vs-v8 comparison page of a real (small, CPU) fine-tune
 * run — the seeded gold home of the model tests, one epoch, both CV kinds. Needs the training
 * addon and /usr/bin/python3 with torch + torchvision (for the seeded weights). About a minute.
 * Usage: node --import tsx scripts/screenshotFinetune.mts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { startServe, stopServe } from '../e2e/support/fixtures';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-finetune-'));
const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'e2e/support/seedFinetune.ts', home], { encoding: 'utf8' });
if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
const { run } = JSON.parse(seeded.stdout.trim().split('\n').pop()!) as { run: { jobId: string } };
const server = await startServe(home);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.keyboard.press('Control+Shift+F');
  await page.locator(`[data-testid="runs"] button[data-job-id="${run.jobId}"]`).click();
  await page.getByText('McNemar').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.resolve('docs/finetune.png') });
} finally {
  await browser.close();
  await stopServe(server);
  fs.rmSync(home, { recursive: true, force: true });
}
