/**
 * Regenerates the README's screenshots: the coding view (docs/coding.png) on a seeded home
 * with two coders, the reliability report of the lab's sample annotations
 * (docs/reliability.png), and the workspace (docs/screenshot.png) after an integrity check.
 * Usage: node --import tsx scripts/screenshot.mts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { seedHome, startServe, stopServe } from '../e2e/support/fixtures';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-'));
seedHome(home, { codingFrames: 12 });
const server = await startServe(home);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByLabel('Coder').selectOption('coder_a');
  for (const key of ['1', 'a', '3', 'd', '2']) await page.keyboard.press(key);
  await page.getByTestId('frame-id').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.resolve('docs/coding.png') });

  await page.getByRole('button', { name: 'Workspace' }).click();
  await page.getByRole('button', { name: 'Run integrity check' }).click();
  await page.getByTestId('integrity-status').waitFor();
  await page.getByTestId('capabilities').waitFor();
  await page.screenshot({ path: path.resolve('docs/screenshot.png') });
} finally {
  await stopServe(server);
  fs.rmSync(home, { recursive: true, force: true });
}

// The reliability report on a home holding only the lab's sample annotations.
const sampleHome = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-'));
const sampleServer = await startServe(sampleHome);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.request.post(`${sampleServer.baseUrl}/api/annotations.import`, {
    headers: { Authorization: `Bearer ${sampleServer.token}` },
    data: { file: path.resolve('test/annotations/fixtures/annotations_sample.csv') },
  });
  await page.goto(sampleServer.url);
  await page.getByRole('button', { name: 'Reliability' }).click();
  await page.getByRole('tab', { name: 'Distance' }).click();
  await page.getByTestId('figure-krippendorffAlpha.ordinal').getByText('95% CI').waitFor();
  await page.screenshot({ path: path.resolve('docs/reliability.png') });
} finally {
  await browser.close();
  await stopServe(sampleServer);
  fs.rmSync(sampleHome, { recursive: true, force: true });
}
