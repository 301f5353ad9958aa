import type { MaeStatus, ModelMetrics, R2Status } from '../../../../shared/preferenceModel';

/**
 * How the Model tab writes numbers: metrics on the spec's 0–1 scale with 3 decimals, r with 3,
 * p and q in scientific notation when small, coverage as a percentage.
 */

export const fixed = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);

export function formatP(p: number | null): string {
  if (p === null) return '—';
  if (p === 0) return '0';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export const percent = (x: number): string => `${Math.round(x * 100)} %`;

export const signed = (x: number, digits = 2): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The spec's §6.2 words for MAE: < .15 ready, .15–.20 acceptable, > .20 not ready (needs more data or features). */
export const MAE_LABEL: Record<MaeStatus, string> = { ready: 'ready', acceptable: 'acceptable', 'needs more data': 'not ready' };
export const R2_LABEL: Record<R2Status, string> = { good: 'ready', moderate: 'acceptable', low: 'not ready' };
/** CSS tone of a status: good / warn / bad. */
export const MAE_TONE: Record<MaeStatus, 'good' | 'warn' | 'bad'> = { ready: 'good', acceptable: 'warn', 'needs more data': 'bad' };
export const R2_TONE: Record<R2Status, 'good' | 'warn' | 'bad'> = { good: 'good', moderate: 'warn', low: 'bad' };

export const MAE_RULE = 'MAE (0–1 scale): below 0.15 ready, 0.15–0.20 acceptable, above 0.20 not ready';
export const R2_RULE = 'R²: above 0.6 ready, 0.4–0.6 acceptable, below 0.4 not ready';

export function metricsLine(m: ModelMetrics): string {
  return `CV MAE ${fixed(m.cv_mae)} ± ${fixed(m.cv_mae_std)} · hold-out MAE ${fixed(m.mae)} · RMSE ${fixed(m.rmse)} · R² ${fixed(m.r2)}`;
}

export const kindLabel = (kind: string): string => (kind === 'random_forest' ? 'random forest' : kind === 'ridge' ? 'Ridge' : kind);
