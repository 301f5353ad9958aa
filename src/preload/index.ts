/**
 * The only bridge between the sandboxed renderer and the main process: three functions,
 * typed against the shared contract. The renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type FramelabBridge, type SavePathRequest } from '../shared/bridge';
import type { Envelope } from '../shared/envelope';
import type { FramelabEvent } from '../shared/events';

export const bridge = {
  call: (method: string, input: unknown) => ipcRenderer.invoke(IPC_CHANNELS.call, method, input) as Promise<Envelope<unknown>>,
  onEvent: (listener: (event: FramelabEvent) => void) => {
    const forward = (_event: IpcRendererEvent, payload: FramelabEvent) => listener(payload);
    ipcRenderer.on(IPC_CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, forward);
    };
  },
  chooseSavePath: (request: SavePathRequest) => ipcRenderer.invoke(IPC_CHANNELS.chooseSavePath, request) as Promise<string | null>,
} satisfies FramelabBridge;

contextBridge.exposeInMainWorld('framelab', bridge);
