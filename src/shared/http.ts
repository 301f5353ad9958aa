/** Browser-mode wire protocol shared by the server and its clients. */
/** files: stored files (frame images, thumbnails); videos: an imported video's file, by video id (played by the Rate panel). */
/** downloads: `?path=<absolute>` a produced export as an attachment (bearer token; the home's exports/ and runs/ only). */
export const HTTP_PATHS = { api: '/api/', events: '/events', files: '/files/', videos: '/videos/', downloads: '/downloads' } as const;
export const DOWNLOAD_PATH_PARAM = 'path';
export const TOKEN_QUERY_PARAM = 'token';
export const TOKEN_HEADER = 'authorization';
/**
 * The page cookie's name. It carries a per-launch page key, never the API token: cookies for
 * 127.0.0.1 are sent to every port, so whatever a cookie holds, other local services see.
 */
export const pageCookieName = (port: number): string => `framelab_page_${port}`;

export function listeningLine(url: string, token: string): string {
  return `Framelab listening on ${url}/?${TOKEN_QUERY_PARAM}=${token}`;
}
