/**
 * The one Content-Security-Policy of Framelab's pages, in the desktop window and in browser
 * mode alike. It travels two ways because one cannot cover every case: the desktop window
 * loads index.html from file://, which has no response headers, so the renderer build writes
 * the policy into index.html as a <meta> tag; browser mode and the desktop session also send it
 * as a header. Both come from this list, so there is never a second, looser policy.
 */
const DIRECTIVES: readonly (readonly [name: string, sources: string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // React sets style attributes; no inline scripts are ever allowed.
  ['style-src', "'self' 'unsafe-inline'"],
  // framelab-file: is the desktop app's scheme for stored frame images (see shared/bridge.ts).
  ['img-src', "'self' data: blob: framelab-file:"],
  // The Rate panel plays imported videos: framelab-file://videos/<id> on the desktop.
  ['media-src', "'self' blob: framelab-file:"],
  ['font-src', "'self'"],
  // 'self' covers browser mode's event socket: ws:// to the page's own host and port.
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Browsers ignore these in a <meta> policy (and warn); they only work as a header. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The Content-Security-Policy header's value. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, sources]) => `${name} ${sources}`).join('; ');

/** The same policy for `<meta http-equiv="Content-Security-Policy">`: the header without what a meta cannot carry. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name))
  .map(([name, sources]) => `${name} ${sources}`)
  .join('; ');
