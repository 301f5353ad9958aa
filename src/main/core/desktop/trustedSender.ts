import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Which frames the desktop app's IPC bridge serves: exactly the app's own page. Kept out of
 * src/main/shell (which imports electron) so that it is tested in plain Node.
 */

/** The URL of the page the window loads: index.html of the built renderer. */
export function appPageUrl(rendererDir: string): string {
  return pathToFileURL(path.join(rendererDir, 'index.html')).href;
}

/**
 * True only when `senderUrl` is the app's page. For an http(s) page (a dev server) that is the
 * same scheme, host and port; a prefix comparison would also accept `http://localhost:51730.evil`.
 * Every file:// URL has the same opaque origin, so for the packaged page the sender must be that
 * very file: the URL parser resolves `..` first, and encoded slashes are refused rather than
 * guessed at. Query and fragment do not change the document, so they are ignored.
 */
export function isTrustedSender(senderUrl: string | null | undefined, appPage: string): boolean {
  const sender = parseUrl(senderUrl);
  const app = parseUrl(appPage);
  if (!sender || !app || sender.protocol !== app.protocol) return false;
  if (app.protocol !== 'file:') return sender.origin !== 'null' && sender.origin === app.origin;
  if (sender.host !== app.host || /%(2f|5c)/i.test(sender.pathname)) return false;
  const senderPath = decodePath(sender.pathname);
  return senderPath !== null && senderPath === decodePath(app.pathname);
}

function parseUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Chromium and Node percent-encode a path's unusual characters differently; compare the decoded path. */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}
