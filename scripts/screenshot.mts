/**
 * Regenerates the README's screenshots: the coding view (docs/coding.png) on a seeded home
 * with two coders and portrait (1080×1920) frames, the reliability report of the lab's sample annotations
 * (docs/reliability.png), and the workspace (docs/screenshot.png) after an integrity check.
 * Usage: node --import tsx scripts/screenshot.mts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../e2e/support/chromium';
import { seedHome, startServe, stopServe } from '../e2e/support/fixtures';

const browser = await launchChromium();

// The coding view as short-form video is coded: 1080×1920 frames in a 1400×900 window.
const portraitHome = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-'));
seedHome(portraitHome, { codingFrames: 12, codingSize: '1080x1920', codebookExamples: true });
const portraitServer = await startServe(portraitHome);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(portraitServer.url);
  await page.getByLabel('Coder').selectOption('coder_a');
  await page.getByTestId('frame-id').waitFor();
  // Two frames coded (each save waits for its commit), the third with one key drafted.
  for (const [keys, done] of [
    [['1', 'a'], 1],
    [['3', 'd'], 2],
  ] as const) {
    for (const key of keys) await page.keyboard.press(key);
    await page.getByTestId('coding-counter').getByText(`${done} / 12 done`).waitFor();
  }
  await page.keyboard.press('2');
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.resolve('docs/coding.png') });
} finally {
  await stopServe(portraitServer);
  fs.rmSync(portraitHome, { recursive: true, force: true });
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-'));
seedHome(home, { codingFrames: 12 });
const server = await startServe(home);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
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
