import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../core/icr/exportReport';

/** Prints self-contained HTML (a report) to PDF in a hidden, sandboxed window: Electron's printToPDF. */
export const electronPdfPrinter: PdfPrinter = async (html) => {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
  }
};
