import type { Envelope } from './envelope';
import type { EventListener } from './events';

/** IPC channel names between the preload and the Electron main process. */
export const IPC_CHANNELS = { call: 'framelab:call', event: 'framelab:event' } as const;

/** The desktop app serves stored files (frame images) to its window under this scheme. */
export const DESKTOP_FILE_SCHEME = 'framelab-file';

/** Everything the preload exposes to the renderer as `window.framelab`. Nothing else. */
export interface FramelabBridge {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: EventListener): () => void;
}

export const BRIDGE_KEYS = ['call', 'onEvent'] as const satisfies readonly (keyof FramelabBridge)[];
