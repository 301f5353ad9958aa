import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../src/shared/bridge';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/contentSecurityPolicy';

/**
 * The Electron shell's security wiring. Electron cannot load in Node, so its objects are stood
 * in for (as in preload.test.ts); what is checked is what the shell hands to them: the IPC
 * sender check, the session's permission handlers and CSP, the window's preferences, the menu.
 */
const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
const appListeners = new Map<string, (...args: unknown[]) => void>();
const windows: { options: unknown; loaded: string | null }[] = [];

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (...args: unknown[]) => unknown) => ipcHandlers.set(channel, handler),
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
  BrowserWindow: class {
    static getAllWindows = () => [];
    record: { options: unknown; loaded: string | null };
    constructor(options: unknown) {
      this.record = { options, loaded: null };
      windows.push(this.record);
    }
    once() {}
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
  },
  Menu: { buildFromTemplate: (template: unknown) => template },
  app: { on: (name: string, listener: (...args: unknown[]) => void) => appListeners.set(name, listener) },
  shell: { openExternal: vi.fn() },
}));

const { registerIpc } = await import('../../src/main/shell/ipc');
const { installSecurity } = await import('../../src/main/shell/security');
const { createMainWindow, mainWindowOptions } = await import('../../src/main/shell/window');
const { buildMenu } = await import('../../src/main/shell/menu');
const { appPageUrl } = await import('../../src/main/core/desktop/trustedSender');

const rendererDir = path.resolve('/opt/Framelab/resources/app.asar/out/renderer');
const page = appPageUrl(rendererDir);

describe('desktop IPC bridge', () => {
  const core = { events: { subscribe: () => () => {} } };
  const handlers = { 'app.info': async () => ({ answered: true }) };
  let stop: () => void;

  beforeEach(() => {
    stop?.();
    stop = registerIpc(core as never, handlers as never, page);
  });

  const call = (senderUrl: string | null) =>
    ipcHandlers.get(IPC_CHANNELS.call)!({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, 'app.info', {});

  it("answers the app's own page", async () => {
    await expect(call(page)).resolves.toEqual({ ok: true, value: { answered: true } });
  });

  it('refuses lookalike pages that share the start of its URL, and frames without a URL', async () => {
    const folder = page.slice(0, -'/index.html'.length);
    for (const url of [`${folder}-evil/index.html`, `${folder}/../evil.html`, `${folder}/assets/x.html`, 'file:///x/../evil', null]) {
      const answer = (await call(url)) as { ok: boolean; error?: { code: string } };
      expect(answer.ok, String(url)).toBe(false);
      expect(answer.error!.code).toBe('UNAUTHORIZED');
    }
  });
});

describe('desktop session security', () => {
  const calls: Record<string, unknown[]> = {};
  const session = {
    webRequest: { onHeadersReceived: (listener: unknown) => (calls.headers = [listener]) },
    setPermissionRequestHandler: (handler: unknown) => (calls.request = [handler]),
    setPermissionCheckHandler: (handler: unknown) => (calls.check = [handler]),
  };

  beforeEach(() => {
    for (const key of Object.keys(calls)) delete calls[key];
    installSecurity(session as never);
  });

  it('denies every permission check, not only requests', () => {
    const check = calls.check?.[0] as ((...args: unknown[]) => boolean) | undefined;
    expect(check).toBeTypeOf('function');
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'hid', 'serial', 'usb']) {
      expect(check!(null, permission, `file://${rendererDir}`, {}), permission).toBe(false);
    }
    const request = calls.request![0] as (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    const granted = vi.fn();
    request(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it("sends the app's one CSP on every response", () => {
    const listener = calls.headers![0] as (details: unknown, callback: (response: unknown) => void) => void;
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (response = r as typeof response));
    expect(response!.responseHeaders).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('blocks navigation and new windows in every web contents', () => {
    const on = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    appListeners.get('web-contents-created')!(
      {},
      {
        on: (name: string, listener: (event: { preventDefault(): void }) => void) => on.set(name, listener),
        setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
      },
    );
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      on.get(name)!(event);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });
});

describe('desktop window and menu', () => {
  it('a packaged build has no DevTools; a development run keeps them', () => {
    expect(mainWindowOptions('/p/preload.cjs', true).webPreferences!.devTools).toBe(false);
    expect(mainWindowOptions('/p/preload.cjs', false).webPreferences!.devTools).toBe(true);
  });

  it('the renderer is isolated and sandboxed, with the preload as its only door', () => {
    expect(mainWindowOptions('/p/preload.cjs', true).webPreferences).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('the window loads exactly the page the IPC bridge trusts', () => {
    createMainWindow(page, '/p/preload.cjs', true);
    expect(windows.at(-1)!.loaded).toBe(page);
  });

  it('the packaged menu offers no DevTools item', () => {
    const roles = (packaged: boolean) =>
      (buildMenu(packaged) as unknown as { label?: string; submenu?: { role?: string }[] }[])
        .flatMap((item) => item.submenu ?? [])
        .map((item) => item.role);
    expect(roles(false)).toContain('toggleDevTools');
    expect(roles(true)).not.toContain('toggleDevTools');
  });
});
