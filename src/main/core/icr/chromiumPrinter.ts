import { CHROMIUM_ARGS, findChromium } from '../chromium';
import type { PdfPrinter } from './exportReport';

/**
 * Prints HTML to PDF with the machine's Chromium through Playwright (no browser download):
 * browser mode and the CLI use it; the desktop app prints with Electron instead.
 */
export function chromiumPrinter(): PdfPrinter | undefined {
  const executablePath = findChromium();
  if (!executablePath) return undefined;
  return async (html) => {
    const { chromium } = await import('playwright');
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' } });
    } finally {
      await browser.close();
    }
  };
}
