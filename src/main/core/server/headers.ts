import { CONTENT_SECURITY_POLICY } from '../../../shared/contentSecurityPolicy';

/** Security headers sent with every browser-mode response; the CSP is the app's one policy (also in index.html). */
export function securityHeaders(_port?: number): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The page URL carries the token: never leak it in a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
