/**
 * Electron main process: owns the home (lock, database, job supervisor), opens the window,
 * and serves the typed API over IPC. All logic lives in core; this file only wires Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import { toErrorInfo } from '../../shared/errors';
import { appRoot, rendererDir } from '../core/appRoot';
import { handlers } from '../core/api/handlers';
import { openCore, type Core } from '../core/core';
import { resolveHome } from '../core/home/paths';
import { appPageUrl } from '../core/desktop/trustedSender';
import { handleFileScheme, registerFileScheme } from './fileProtocol';
import { registerIpc } from './ipc';
import { registerSaveDialog } from './saveDialog';
import { buildMenu } from './menu';
import { electronPdfPrinter } from './pdfPrinter';
import { installSecurity } from './security';
import { utilityProcessLauncher } from './utilityLauncher';
import { createMainWindow } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
let core: Core | null = null;
const preload = path.join(here, '../preload/index.cjs');

function homeFlag(): string | undefined {
  const index = process.argv.indexOf('--home');
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** better-sqlite3 built for Electron's ABI (scripts/electron-sqlite.mjs puts it there). */
function useElectronSqlite(): void {
  const binding = path.join(appRoot(), '.electron-native', `better_sqlite3-electron-${process.versions.electron}.node`);
  if (fs.existsSync(binding)) process.env.FRAMELAB_SQLITE_BINDING = binding;
}

registerFileScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    installSecurity(session.defaultSession);
    useElectronSqlite();
    try {
      core = openCore({
        home: resolveHome(homeFlag()),
        mode: 'desktop',
        launcher: utilityProcessLauncher(path.join(here, 'jobWorker.js')),
        pdfPrinter: electronPdfPrinter,
      });
    } catch (err) {
      dialog.showErrorBox('Framelab cannot open its workspace', toErrorInfo(err).message);
      app.exit(1);
      return;
    }
    const page = appPageUrl(rendererDir());
    const createWindow = () => createMainWindow(page, preload, app.isPackaged);
    registerIpc(core, handlers, page);
    registerSaveDialog(page);
    handleFileScheme(core);
    Menu.setApplicationMenu(buildMenu(app.isPackaged));
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    core?.close();
    core = null;
  });
}
