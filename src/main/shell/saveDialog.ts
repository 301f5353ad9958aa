import { BrowserWindow, dialog, ipcMain, type WebFrameMain } from 'electron';
import { IPC_CHANNELS, type SavePathRequest } from '../../shared/bridge';
import { isTrustedSender } from '../core/desktop/trustedSender';

/**
 * The desktop's answer to "where does this export go" (issue 20, item 8): the system's own save
 * dialog, sheet-attached to the asking window. A file dialog keeps the export's extension as
 * its filter and asks before replacing (the OS does), so the renderer then writes with
 * overwrite; a folder dialog is for several-file exports. Null when the person cancels.
 */
export function registerSaveDialog(appPage: string): () => void {
  const trusted = (frame: WebFrameMain | null) => !!frame && isTrustedSender(frame.url, appPage);
  ipcMain.handle(IPC_CHANNELS.chooseSavePath, async (event, raw: unknown): Promise<string | null> => {
    if (!trusted(event.senderFrame)) return null;
    const request = parseRequest(raw);
    if (!request) return null;
    const window = BrowserWindow.fromWebContents(event.sender);
    if (request.kind === 'file') {
      const options: Electron.SaveDialogOptions = {
        title: request.title ?? 'Save the export',
        defaultPath: request.defaultName,
        filters: [{ name: request.extension.toUpperCase(), extensions: [request.extension] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const answer = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      if (answer.canceled || !answer.filePath) return null;
      // A name typed without the extension gets it: the export method writes only its own kind.
      return answer.filePath.toLowerCase().endsWith(`.${request.extension}`) ? answer.filePath : `${answer.filePath}.${request.extension}`;
    }
    const options: Electron.OpenDialogOptions = {
      title: request.title ?? 'Choose a folder for the export',
      buttonLabel: 'Save here',
      properties: ['openDirectory', 'createDirectory'],
    };
    const answer = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return answer.canceled ? null : (answer.filePaths[0] ?? null);
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.chooseSavePath);
}

/** The renderer is untrusted input here too: only the two shapes, with a plain extension. */
function parseRequest(raw: unknown): SavePathRequest | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const title = typeof r.title === 'string' ? r.title.slice(0, 200) : undefined;
  if (r.kind === 'folder') return { kind: 'folder', title };
  if (r.kind === 'file' && typeof r.defaultName === 'string' && typeof r.extension === 'string' && /^[a-z0-9]{1,10}$/.test(r.extension)) {
    return { kind: 'file', defaultName: r.defaultName.replace(/[\\/]/g, '_').slice(0, 200), extension: r.extension, title };
  }
  return null;
}
