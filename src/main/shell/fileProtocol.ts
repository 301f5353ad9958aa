import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { DESKTOP_FILE_SCHEME } from '../../shared/bridge';
import type { Core } from '../core/core';
import { resolveStoredFile } from '../core/server/staticFiles';

/** Must run before the app is ready: the scheme behaves like a secure, standard origin for <img>. */
export function registerFileScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: DESKTOP_FILE_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Serves registered stored files (frame images, thumbnails) to the window; nothing else under home. */
export function handleFileScheme(core: Core): void {
  protocol.handle(DESKTOP_FILE_SCHEME, (request) => {
    const url = new URL(request.url);
    const stored = url.host === 'files' ? resolveStoredFile(core, url.pathname.slice(1)) : null;
    if (!stored) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(stored.file).href);
  });
}
