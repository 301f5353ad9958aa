import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options: the renderer runs isolated and sandboxed with the preload as its
 * only door, and a packaged build has no DevTools (a user's copy is not a debugging target, and
 * DevTools would hand anyone at the keyboard a console inside the app's page).
 */
export function mainWindowOptions(preload: string, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Framelab',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !packaged,
      spellcheck: false,
    },
  };
}

/** Opens the app's page: the same URL the IPC bridge trusts (see core/desktop/trustedSender.ts). */
export function createMainWindow(pageUrl: string, preload: string, packaged: boolean): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preload, packaged));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(pageUrl);
  return window;
}
