import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { DESKTOP_FILE_SCHEME } from '../../shared/bridge';
import type { Core } from '../core/core';
import { resolveStoredFile, resolveVideoFile } from '../core/server/staticFiles';

/** Must run before the app is ready: the scheme behaves like a secure, standard origin for <img> and streams to <video>. */
export function registerFileScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: DESKTOP_FILE_SCHEME, privileges: { standard: true, secure: true, stream: true } }]);
}

/**
 * Serves registered stored files (frame images, thumbnails; host `files`) and imported videos by
 * id (host `videos`, for the Rate panel) to the window; nothing else. The request's headers go
 * along so that a video's Range requests (seeking) reach the file.
 */
export function handleFileScheme(core: Core): void {
  protocol.handle(DESKTOP_FILE_SCHEME, (request) => {
    const url = new URL(request.url);
    const rest = url.pathname.slice(1);
    const stored = url.host === 'files' ? resolveStoredFile(core, rest) : url.host === 'videos' ? resolveVideoFile(core, rest) : null;
    if (!stored) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(stored.file).href, { headers: request.headers });
  });
}
