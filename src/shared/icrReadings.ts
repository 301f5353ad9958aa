/** The accepted readings of the figures, as the lab reports them. */
export function alphaReading(alpha: number | null): string {
  if (alpha === null) return 'undefined';
  if (alpha >= 0.8) return 'reliable (α ≥ .800)';
  if (alpha >= 0.667) return 'tentative (.667 ≤ α < .800)';
  return 'unreliable (α < .667)';
}

/** Landis & Koch (1977). */
export function kappaReading(kappa: number | null): string {
  if (kappa === null) return 'undefined';
  if (kappa < 0) return 'poor (< 0)';
  if (kappa <= 0.2) return 'slight (.00–.20)';
  if (kappa <= 0.4) return 'fair (.21–.40)';
  if (kappa <= 0.6) return 'moderate (.41–.60)';
  if (kappa <= 0.8) return 'substantial (.61–.80)';
  return 'almost perfect (.81–1.00)';
}

export const fmt = (value: number | null | undefined, digits = 3): string => (value === null || value === undefined ? '—' : value.toFixed(digits));
