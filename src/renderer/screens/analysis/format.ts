/** Numbers as the Analysis screen prints them: 3 significant-ish decimals, p as journals do. */
export const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(digits));

export const fmtP = (p: number | null | undefined): string => (p === null || p === undefined || !Number.isFinite(p) ? '—' : p < 0.001 ? '< .001' : p.toFixed(3).replace(/^0/, ''));

/** Conventional stars: * p < .05, ** p < .01, *** p < .001. */
export const stars = (p: number | null | undefined): string => (p === null || p === undefined ? '' : p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');
