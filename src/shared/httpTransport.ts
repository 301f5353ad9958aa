import type { MethodName } from './api';
import type { Transport } from './client';
import type { Envelope } from './envelope';
import type { EventListener, FramelabEvent } from './events';
import { HTTP_PATHS, TOKEN_QUERY_PARAM } from './http';

/** The subset of the WebSocket API both the browser's and the `ws` package's sockets offer. */
interface SocketLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}
type SocketFactory = new (url: string) => SocketLike;

export interface HttpTransportOptions {
  baseUrl: string;
  token: string;
  /** Defaults to the global WebSocket (browsers); Node 20 passes the `ws` package's. */
  WebSocket?: SocketFactory;
  /** Called when the event socket drops or comes back, so the UI can say it is offline. */
  onConnectionChange?: (connected: boolean) => void;
}

/** Browser-mode transport: calls are POSTs with the bearer token, events arrive on one WebSocket. */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const listeners = new Set<EventListener>();
  let socket: SocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelayMs = 250;
  let connected = false;
  const waitingForOpen: (() => void)[] = [];

  function openSocket(): void {
    const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as SocketFactory);
    const wsUrl = `${options.baseUrl.replace(/^http/, 'ws')}${HTTP_PATHS.events}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(options.token)}`;
    const current = new Socket(wsUrl);
    socket = current;
    current.onmessage = (message) => {
      retryDelayMs = 250;
      const event = JSON.parse(String(message.data)) as FramelabEvent;
      for (const listener of listeners) listener(event);
    };
    current.onerror = () => undefined;
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      connected = false;
      options.onConnectionChange?.(false);
      if (listeners.size === 0) return;
      // The server may be restarting: try again, backing off to 5 s.
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (listeners.size > 0 && !socket) openSocket();
      }, retryDelayMs);
      retryDelayMs = Math.min(retryDelayMs * 2, 5000);
    };
    (current as unknown as { onopen: (() => void) | null }).onopen = () => {
      connected = true;
      options.onConnectionChange?.(true);
      for (const resolve of waitingForOpen.splice(0)) resolve();
    };
  }

  return {
    async call(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
      let response: Response;
      try {
        response = await fetch(`${options.baseUrl}${HTTP_PATHS.api}${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return {
          ok: false,
          error: {
            code: 'SERVER_UNREACHABLE',
            message: `Framelab at ${options.baseUrl} does not answer (${(err as Error).message}). Is it still running?`,
          },
        };
      }
      try {
        return (await response.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: `Framelab answered ${response.status} without a result.` } };
      }
    },
    eventsReady(): Promise<void> {
      if (connected) return Promise.resolve();
      return new Promise((resolve) => waitingForOpen.push(resolve));
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      if (!socket && !retryTimer) openSocket();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          if (retryTimer) clearTimeout(retryTimer);
          retryTimer = null;
          const current = socket;
          socket = null;
          current?.close();
        }
      };
    },
  };
}
