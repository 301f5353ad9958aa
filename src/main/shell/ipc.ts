import { BrowserWindow, ipcMain, type WebFrameMain } from 'electron';
import { IPC_CHANNELS } from '../../shared/bridge';
import { fail } from '../../shared/envelope';
import { dispatch } from '../core/api/dispatch';
import type { Handlers } from '../core/api/types';
import type { Core } from '../core/core';
import { isTrustedSender } from '../core/desktop/trustedSender';

/** Serves the API map over IPC to the app's own page only (`appPage`), and forwards the event channel to every window. */
export function registerIpc(core: Core, handlers: Handlers, appPage: string): () => void {
  const trusted = (frame: WebFrameMain | null) => !!frame && isTrustedSender(frame.url, appPage);

  ipcMain.handle(IPC_CHANNELS.call, async (event, method: unknown, input: unknown) => {
    if (!trusted(event.senderFrame)) {
      return fail({ code: 'UNAUTHORIZED', message: "Calls are only accepted from Framelab's own pages." });
    }
    return dispatch(handlers, core, String(method), input);
  });
  const unsubscribe = core.events.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_CHANNELS.event, event);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.call);
  };
}
