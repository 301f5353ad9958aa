/** Numbers as the Analysis screen prints them: 3 significant-ish decimals, p as journals do. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  // Large figures (a log-likelihood, a variance of views) read better whole, with separators.
  if (Math.abs(v) >= 1e4) return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return v.toFixed(digits);
}

export const fmtP = (p: number | null | undefined): string =>
  p === null || p === undefined || !Number.isFinite(p) ? '—' : p < 0.001 ? '< .001' : p.toFixed(3).replace(/^0/, '');

/** Conventional stars: * p < .05, ** p < .01, *** p < .001. */
export const stars = (p: number | null | undefined): string =>
  p === null || p === undefined ? '' : p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
