import type { FramelabBridge } from '../../shared/bridge';
import type { ExportDelivery } from './exportDelivery';
import { createClient, type Client, type Transport } from '../../shared/client';
import { createHttpTransport } from '../../shared/httpTransport';
import { DESKTOP_FILE_SCHEME } from '../../shared/bridge';
import { DOWNLOAD_PATH_PARAM, HTTP_PATHS, TOKEN_QUERY_PARAM } from '../../shared/http';

declare global {
  interface Window {
    framelab?: FramelabBridge;
  }
}

export type Connection =
  | {
      kind: 'desktop' | 'browser';
      client: Client;
      fileUrl: (storedPath: string) => string;
      videoUrl: (videoId: string) => string;
      /** How an export reaches the person: a native save dialog, or a browser download. */
      delivery: ExportDelivery;
    }
  | { kind: 'unauthorized' };

const encodePath = (storedPath: string) => storedPath.split('/').map(encodeURIComponent).join('/');

const TOKEN_KEY = 'framelab.token';

/** The token arrives once in the address; it is kept for this tab and removed from the address bar. */
function browserToken(): string | null {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get(TOKEN_QUERY_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete(TOKEN_QUERY_PARAM);
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function bridgeTransport(bridge: FramelabBridge): Transport {
  return {
    call: (method, input) => bridge.call(method, input),
    subscribe: (listener) => bridge.onEvent(listener),
    eventsReady: () => Promise.resolve(),
  };
}

/** The renderer cannot tell the desktop app from browser mode past this function. */
export function connect(onConnectionChange: (connected: boolean) => void): Connection {
  if (window.framelab) {
    return {
      kind: 'desktop',
      client: createClient(bridgeTransport(window.framelab)),
      fileUrl: (p) => `${DESKTOP_FILE_SCHEME}://files/${encodePath(p)}`,
      videoUrl: (id) => `${DESKTOP_FILE_SCHEME}://videos/${encodeURIComponent(id)}`,
      delivery: { kind: 'dialog', choose: (request) => window.framelab!.chooseSavePath(request) },
    };
  }
  const token = browserToken();
  if (!token) return { kind: 'unauthorized' };
  const transport = createHttpTransport({ baseUrl: window.location.origin, token, onConnectionChange });
  // Images authenticate with the page's cookie: an <img> cannot send the bearer header.
  return {
    kind: 'browser',
    client: createClient(transport),
    fileUrl: (p) => `${HTTP_PATHS.files}${encodePath(p)}`,
    videoUrl: (id) => `${HTTP_PATHS.videos}${encodeURIComponent(id)}`,
    delivery: { kind: 'download', download: (file) => downloadFromServer(token, file) },
  };
}

/**
 * Saves a file the server produced through the browser's own download (its folder, its bar).
 * The route wants the API token in the header, which a plain link cannot send, so the bytes
 * come by fetch and leave as a blob link with the file's name.
 */
async function downloadFromServer(token: string, file: string): Promise<void> {
  const url = `${HTTP_PATHS.downloads}?${DOWNLOAD_PATH_PARAM}=${encodeURIComponent(file)}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`The download of ${file} failed: ${(await response.text()).trim() || response.status}`);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = file.split(/[\\/]/).at(-1) ?? 'export';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; give it a moment before letting it go.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
