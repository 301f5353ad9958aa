import { CHROMIUM_ARGS, findChromium } from '../../src/main/core/chromium';

/** Debian's Chromium for the e2e tests (Playwright's own browser downloads are never used). */
export { CHROMIUM_ARGS };

export function requireChromium(): string {
  const found = findChromium();
  if (!found) throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH.');
  return found;
}

/** Debian's Chromium, headless, through Playwright: the benchmarks and screenshot scripts share it. */
export async function launchChromium() {
  const { chromium } = await import('playwright');
  return chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS });
}
