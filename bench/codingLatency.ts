/// <reference lib="dom" />
/**
 * Key press → next frame painted in the coding view, in Chromium, over 200 frames; beside the
 * floor measured the same way on a page that only swaps two cached images on a key press.
 * Both are timed inside the page: from the keydown event's timestamp to two animation frames
 * after the new frame id is in the DOM (the browser has painted it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright';
import { launchChromium } from '../e2e/support/chromium';
import { seedHome, startServe, stopServe } from '../e2e/support/fixtures';

export interface LatencyResult {
  p50: number;
  p95: number;
  floorP50: number;
  floorP95: number;
  frames: number;
}

const FRAMES = 200;

/** Installs the in-page probe: resolves with the latency of the next key that changes the watched text. */
async function installProbe(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __lat: number[]; __t0: number };
    w.__lat = [];
    window.addEventListener('keydown', (e) => (w.__t0 = e.timeStamp), { capture: true });
    const target = document.querySelector(sel)!.parentElement!.parentElement!;
    new MutationObserver(() => {
      const t0 = w.__t0;
      requestAnimationFrame(() => requestAnimationFrame(() => w.__lat.push(performance.now() - t0)));
    }).observe(target, { subtree: true, characterData: true, childList: true });
  }, selector);
}

async function collect(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function floor(page: Page): Promise<number[]> {
  const pixel = (color: string) =>
    `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180" fill="${color}"/></svg>`)}`;
  await page.setContent(
    `<div><div><img id="img" src="${pixel('red')}" width="640"><strong id="label">0</strong></div></div>
     <script>
       const srcs = [${JSON.stringify(pixel('red'))}, ${JSON.stringify(pixel('blue'))}];
       let n = 0;
       addEventListener('keydown', () => { n++; img.src = srcs[n % 2]; label.textContent = String(n); });
     </script>`,
  );
  await installProbe(page, '#label');
  for (let i = 0; i < FRAMES; i++) {
    await page.keyboard.press('x');
    await page.waitForFunction((k) => (window as unknown as { __lat: number[] }).__lat.length >= k, i + 1);
  }
  return collect(page);
}

export async function codingLatency(): Promise<LatencyResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-coding-'));
  seedHome(home, { codingFrames: FRAMES + 1 });
  const server = await startServe(home);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByLabel('Coder').selectOption('coder_a');
    await page.getByTestId('frame-id').waitFor();
    await installProbe(page, '[data-testid=frame-id]');
    const keys = [
      ['1', 'a'],
      ['3', 'd'],
      ['4', 'f'],
      ['2', 's'],
    ];
    const ours: number[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const before = await page.getByTestId('frame-id').textContent();
      const [first, second] = keys[i % keys.length]!;
      await page.keyboard.press(first!);
      // Only the key that completes the frame is timed: it saves and shows the next frame.
      await page.evaluate(() => ((window as unknown as { __lat: number[] }).__lat.length = 0));
      await page.keyboard.press(second!);
      await page.waitForFunction((b) => document.querySelector('[data-testid=frame-id]')?.textContent !== b, before);
      await page.waitForFunction(() => (window as unknown as { __lat: number[] }).__lat.length > 0);
      const [latency] = await collect(page);
      ours.push(latency!);
    }
    const floorValues = await floor(await browser.newPage());
    return {
      p50: quantile(ours, 0.5),
      p95: quantile(ours, 0.95),
      floorP50: quantile(floorValues, 0.5),
      floorP95: quantile(floorValues, 0.95),
      frames: ours.length,
    };
  } finally {
    await browser.close();
    await stopServe(server);
    fs.rmSync(home, { recursive: true, force: true });
  }
}
