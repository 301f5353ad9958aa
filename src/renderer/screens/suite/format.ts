export const METRICS = ['rmse_log', 'mae_log', 'r2_log', 'rmse_raw', 'mae_raw', 'spearman'] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_LABEL: Record<Metric, string> = {
  rmse_log: 'RMSE (log)',
  mae_log: 'MAE (log)',
  r2_log: 'R² (log)',
  rmse_raw: 'RMSE (views)',
  mae_raw: 'MAE (views)',
  spearman: 'Spearman',
};

export const HIGHER_IS_BETTER = new Set<Metric>(['r2_log', 'spearman']);

/** Naive baselines: every other model has to beat them to mean anything. */
export const BASELINES = new Set(['mean', 'guest_mean']);

export function formatMetric(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (metric.endsWith('_raw'))
    return Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0);
  return v.toFixed(3);
}

export const shortRunId = (runId: string) => runId.replace(/^suite-/, '');
