import { app, shell, type Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/contentSecurityPolicy';

/** Secure defaults for every window: CSP, no permissions, no navigation, no new windows, no webviews. */
export function installSecurity(session: Session): void {
  // The app's one policy. The window's page comes from file://, which has no headers: there the
  // same policy arrives as the meta tag the renderer build writes; this covers every other response.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Requests (camera, notifications, …) and checks (navigator.permissions, media devices) alike: no.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
