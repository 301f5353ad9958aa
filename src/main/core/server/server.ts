import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope } from '../../../shared/envelope';
import type { ErrorCode } from '../../../shared/errors';
import { DOWNLOAD_PATH_PARAM, HTTP_PATHS } from '../../../shared/http';
import { attachmentHeader, resolveDownload } from '../exports/downloads';
import { dispatch } from '../api/dispatch';
import type { Handlers } from '../api/types';
import type { Core } from '../core';
import { credentials, hostAllowed, mayLoadPage, newSecrets, originAllowed, pageCookie, requestUrl } from './auth';
import { securityHeaders } from './headers';
import { resolveStatic, resolveStoredFile, resolveVideoFile } from './staticFiles';

export interface ServeOptions {
  core: Core;
  handlers: Handlers;
  /** 0 picks a free port. */
  port: number;
  rendererDir: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Loopback only, always: browser mode is for the person at this machine. */
export const BIND_ADDRESS = '127.0.0.1';
const MAX_BODY_BYTES = 10 * 2 ** 20;

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  CONFLICT: 409,
  HOME_LOCKED: 409,
  JOB_NOT_RESUMABLE: 409,
  INTERNAL: 500,
};

/**
 * Browser mode: the built renderer and the API (HTTP for calls, one WebSocket for events) on
 * 127.0.0.1 with a random per-launch token. Every request without the token gets 401.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const secrets = newSecrets();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  let port = options.port;
  const base = () => `http://${BIND_ADDRESS}:${port}`;

  // Every handler turns an exception into an answer and the server keeps serving: a request from
  // anyone on this machine, token or not, must never be able to stop it.
  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((err) => {
      console.error('[framelab] request failed:', err);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Internal error.' } });
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(securityHeaders(port))) res.setHeader(name, value);
    const url = requestUrl(req, base());
    if (!url) return sendText(res, 400, 'Bad request: the address cannot be parsed.');
    const creds = credentials(req, url, secrets, port);
    // Checked after the token so that every request without it gets 401, whatever its Host.
    const misdirected = () => sendText(res, 421, 'Misdirected request: use the address Framelab printed.');

    if (url.pathname.startsWith(HTTP_PATHS.api)) {
      // API calls need the header: the page cookie never opens the API.
      if (!creds.bearer) return sendJson(res, 401, unauthorized());
      if (!hostAllowed(req, port)) return misdirected();
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'INVALID_INPUT', message: 'Use POST.' } });
      const body = await readJson(req);
      if (!body.ok) return sendJson(res, 400, body);
      const method = safeDecode(url.pathname.slice(HTTP_PATHS.api.length));
      const envelope = await dispatch(options.handlers, options.core, method, body.value);
      return sendJson(res, envelope.ok ? 200 : (HTTP_STATUS[envelope.error.code] ?? 500), envelope);
    }

    if (url.pathname === HTTP_PATHS.downloads) {
      // A produced export as an attachment. The API's token, in its header, like a call: the page
      // cookie, which every local port receives, never reads a file. Exports and runs only.
      if (!creds.bearer) return sendText(res, 401, 'Unauthorized: downloads need the API token in the Authorization header.');
      if (!hostAllowed(req, port)) return misdirected();
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
      const download = resolveDownload(options.core.home, url.searchParams.get(DOWNLOAD_PATH_PARAM));
      if (!download.ok) return sendText(res, download.status, download.message);
      return sendFile(req, res, download.file, {
        'Content-Type': download.contentType,
        'Content-Disposition': attachmentHeader(download.name),
        'Cache-Control': 'no-store',
      });
    }

    if (!mayLoadPage(creds)) {
      return sendText(res, 401, 'Unauthorized: open the address that `framelab serve` printed; it carries the token.');
    }
    if (!hostAllowed(req, port)) return misdirected();
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    // The page's assets, images and reloads authenticate with the page key, never the token.
    if (creds.query) res.setHeader('Set-Cookie', pageCookie(secrets, port));
    if (url.pathname.startsWith(HTTP_PATHS.files)) {
      // Stored files (frame images, thumbnails): only what the database registered, never anything else under home.
      const stored = resolveStoredFile(options.core, url.pathname.slice(HTTP_PATHS.files.length));
      if (!stored) return sendText(res, 404, 'Not found.');
      return sendFile(req, res, stored.file, { 'Content-Type': stored.contentType, 'Cache-Control': 'private, max-age=3600' });
    }
    if (url.pathname.startsWith(HTTP_PATHS.videos)) {
      // An imported video's file, by id (the Rate panel plays it): only paths the videos table holds.
      const video = resolveVideoFile(options.core, url.pathname.slice(HTTP_PATHS.videos.length));
      if (!video) return sendText(res, 404, 'Not found.');
      return sendFile(req, res, video.file, { 'Content-Type': video.contentType, 'Cache-Control': 'private, no-cache' });
    }
    const file = resolveStatic(options.rendererDir, url.pathname);
    if (!file) {
      if (!fs.existsSync(options.rendererDir)) {
        return sendText(res, 503, `The app's pages are not built (${options.rendererDir} is missing): run \`npm run build\`.`);
      }
      return sendText(res, 404, 'Not found.');
    }
    sendFile(req, res, file.file, {
      'Content-Type': file.contentType,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The upgrade handler runs outside the request promise: a throw here would end the process.
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req, base());
      const allowed =
        url !== null &&
        url.pathname === HTTP_PATHS.events &&
        hostAllowed(req, port) &&
        originAllowed(req, port) &&
        mayLoadPage(credentials(req, url, secrets, port));
      if (!allowed) return refuseUpgrade(socket, url === null ? '400 Bad Request' : '401 Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        const unsubscribe = options.core.events.subscribe((event) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
        });
        ws.on('error', () => ws.terminate());
        ws.on('close', () => {
          unsubscribe();
          sockets.delete(ws);
        });
      });
    } catch (err) {
      console.error('[framelab] upgrade failed:', err);
      refuseUpgrade(socket, '500 Internal Server Error');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, BIND_ADDRESS, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${BIND_ADDRESS}:${port}`;

  return {
    url,
    port,
    token: secrets.token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A malformed escape is just an unknown method name, not a server error. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function unauthorized(): Envelope<never> {
  return {
    ok: false,
    error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token: use the address that `framelab serve` printed.' },
  };
}

function refuseUpgrade(socket: Duplex, status: string): void {
  if (!socket.destroyed) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Streams a file; a read error (the file vanished, a disk error) ends this response, not the server. */
/** One `bytes=a-b` range (a video seeks with them) within `size`; null: the whole file; 'bad': unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null; // several ranges or another unit: send it all
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2])); // the last n bytes
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'bad' : { start, end };
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return sendText(res, 404, 'Not found.');
  }
  const range = parseRange(req.headers.range, size);
  if (range === 'bad') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` });
    return void res.end();
  }
  const status = range ? 206 : 200;
  const all: Record<string, string> = {
    ...headers,
    'Accept-Ranges': 'bytes',
    'Content-Length': String(range ? range.end - range.start + 1 : size),
  };
  if (range) all['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  if (req.method === 'HEAD') {
    res.writeHead(status, all);
    return void res.end();
  }
  const stream = fs.createReadStream(file, range ?? {});
  stream.once('open', () => {
    res.writeHead(status, all);
    stream.pipe(res);
  });
  stream.once('error', (err) => {
    console.error('[framelab] could not read', file, err.message);
    if (!res.headersSent) sendText(res, 404, 'Not found.');
    else res.destroy();
  });
  res.once('close', () => stream.destroy());
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text + '\n');
}

async function readJson(req: IncomingMessage): Promise<Envelope<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, error: { code: 'INVALID_INPUT', message: 'Request body too large.' } };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'The request body is not valid JSON.' } };
  }
}
