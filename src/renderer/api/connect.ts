import type { FramelabBridge } from '../../shared/bridge';
import { createClient, type Client, type Transport } from '../../shared/client';
import { createHttpTransport } from '../../shared/httpTransport';
import { DESKTOP_FILE_SCHEME } from '../../shared/bridge';
import { HTTP_PATHS, TOKEN_QUERY_PARAM } from '../../shared/http';

declare global {
  interface Window {
    framelab?: FramelabBridge;
  }
}

export type Connection =
  | { kind: 'desktop' | 'browser'; client: Client; fileUrl: (storedPath: string) => string; videoUrl: (videoId: string) => string }
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
  };
}
