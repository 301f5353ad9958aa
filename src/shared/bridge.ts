import type { Envelope } from './envelope';
import type { EventListener } from './events';

/** IPC channel names between the preload and the Electron main process. */
export const IPC_CHANNELS = { call: 'framelab:call', event: 'framelab:event', chooseSavePath: 'framelab:choose-save-path' } as const;

/**
 * What the desktop's native save dialog asks for: a file (the suggested name, the extension
 * it must keep) or a folder (a several-file export). The answer is the chosen absolute path,
 * or null when the person cancelled.
 */
export type SavePathRequest = { kind: 'file'; defaultName: string; extension: string; title?: string } | { kind: 'folder'; title?: string };

/** The desktop app serves stored files (frame images) to its window under this scheme. */
export const DESKTOP_FILE_SCHEME = 'framelab-file';

/** Everything the preload exposes to the renderer as `window.framelab`. Nothing else. */
export interface FramelabBridge {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: EventListener): () => void;
  /** The native save dialog (desktop only): where an export goes. */
  chooseSavePath(request: SavePathRequest): Promise<string | null>;
}

export const BRIDGE_KEYS = ['call', 'onEvent', 'chooseSavePath'] as const satisfies readonly (keyof FramelabBridge)[];
