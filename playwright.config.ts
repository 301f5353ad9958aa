import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, requireChromium } from './e2e/support/chromium';

/**
 * e2e runs the real renderer against a real `framelab serve` (one per test, own temp home)
 * in Debian's Chromium.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  fullyParallel: true,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: requireChromium(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});
