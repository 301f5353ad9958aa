/**
 * Regenerates docs/screenshot.png for the README: a fresh home with a few stored files, an
 * integrity check run, the jobs panel open. Usage: node --import tsx scripts/screenshot.mts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, requireChromium } from '../e2e/support/chromium';
import { startServe, stopServe } from '../e2e/support/fixtures';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-shot-'));
const server = await startServe(home);
const browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Run integrity check' }).click();
  await page.getByTestId('integrity-status').waitFor();
  await page.getByTestId('capabilities').waitFor();
  await page.screenshot({ path: path.resolve('docs/screenshot.png') });
} finally {
  await browser.close();
  await stopServe(server);
  fs.rmSync(home, { recursive: true, force: true });
}
