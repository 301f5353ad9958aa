import { useState } from 'react';
import type { LeaderboardRow } from '../../../shared/suite';
import { BASELINES, formatMetric, HIGHER_IS_BETTER, METRIC_LABEL, METRICS, type Metric } from './format';

const KEY_METRICS = new Set<Metric>(['rmse_log', 'r2_log', 'rmse_raw', 'spearman']);

type Interval = { lo: number | null; hi: number | null };

/**
 * The leaderboard of one run: val and test metrics per model, sortable by any metric on
 * either split (the run's rank metric on val first), baselines marked, 95% bootstrap
 * intervals under each value when the run has them, K-fold runs as mean ± sd.
 */
export function Leaderboard({
  rows,
  rankMetric,
  folds,
  intervals,
  onPick,
  picked,
}: {
  rows: LeaderboardRow[];
  rankMetric: Metric;
  folds: number | null;
  intervals?: Record<string, { val: Record<string, Interval>; test: Record<string, Interval> }>;
  onPick?: (model: string) => void;
  picked?: string;
}) {
  const [sort, setSort] = useState<{ metric: Metric; split: 'val' | 'test' }>({ metric: rankMetric, split: 'val' });
  const [allMetrics, setAllMetrics] = useState(false);
  // Twelve metric columns do not fit beside the run list: the key ones (and the sort metric) unless asked.
  const shown = METRICS.filter((m) => allMetrics || KEY_METRICS.has(m) || m === sort.metric);
  const value = (r: LeaderboardRow) => (sort.split === 'val' ? r.val[sort.metric] : r.test?.[sort.metric]) ?? null;
  const sign = HIGHER_IS_BETTER.has(sort.metric) ? -1 : 1;
  const sorted = [...rows].sort((a, b) => {
    const [va, vb] = [value(a), value(b)];
    if (va === null || vb === null) return va === null ? (vb === null ? 0 : 1) : -1;
    return sign * (va - vb) || a.model.localeCompare(b.model);
  });
  const kfold = folds !== null;
  const splits: ('val' | 'test')[] = kfold ? ['val'] : ['val', 'test'];
  const header = (metric: Metric, split: 'val' | 'test') => {
    const active = sort.metric === metric && sort.split === split;
    return (
      <th key={`${split}-${metric}`} aria-sort={active ? (HIGHER_IS_BETTER.has(metric) ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className={`linklike ${active ? 'active' : ''}`}
          onClick={() => setSort({ metric, split })}
          title={`Sort by ${METRIC_LABEL[metric]} on ${split}`}
        >
          {METRIC_LABEL[metric]}
          {active ? (HIGHER_IS_BETTER.has(metric) ? ' ↓' : ' ↑') : ''}
        </button>
      </th>
    );
  };
  return (
    <div className="leaderboard-wrap">
      <label className="small">
        Sort by{' '}
        <select aria-label="Sort metric" value={sort.metric} onChange={(e) => setSort({ ...sort, metric: e.target.value as Metric })}>
          {METRICS.map((m) => (
            <option key={m} value={m}>
              {METRIC_LABEL[m]}
            </option>
          ))}
        </select>{' '}
        on{' '}
        <select
          aria-label="Sort split"
          value={sort.split}
          onChange={(e) => setSort({ ...sort, split: e.target.value as 'val' | 'test' })}
          disabled={kfold}
        >
          <option value="val">{kfold ? `${folds}-fold mean` : 'validation'}</option>
          {!kfold && <option value="test">test</option>}
        </select>
      </label>{' '}
      <label className="small">
        <input type="checkbox" aria-label="All metrics" checked={allMetrics} onChange={(e) => setAllMetrics(e.target.checked)} /> all
        metrics
      </label>
      <table className="table leaderboard" data-testid="leaderboard" data-sort={`${sort.split}:${sort.metric}`}>
        <thead>
          <tr>
            <th rowSpan={2}>#</th>
            <th rowSpan={2}>Model</th>
            {splits.map((s) => (
              <th key={s} colSpan={shown.length} className="group">
                {s === 'val' ? (kfold ? `${folds}-fold CV (mean ± sd)` : 'Validation') : 'Test'}
              </th>
            ))}
          </tr>
          <tr>{splits.flatMap((s) => shown.map((m) => header(m, s)))}</tr>
        </thead>
        <tbody>
          {sorted.map((r, i) => (
            <tr
              key={r.model}
              data-model={r.model}
              className={`${BASELINES.has(r.model) ? 'baseline' : ''} ${picked === r.model ? 'picked' : ''}`}
            >
              <td>{i + 1}</td>
              <td>
                {onPick ? (
                  <button type="button" className="linklike" onClick={() => onPick(r.model)}>
                    {r.model}
                  </button>
                ) : (
                  r.model
                )}
                {BASELINES.has(r.model) && (
                  <span className="badge baseline-badge" title="A naive baseline: the models above it learned something">
                    baseline
                  </span>
                )}
              </td>
              {splits.flatMap((s) =>
                shown.map((m) => {
                  const v = s === 'val' ? r.val[m] : r.test?.[m];
                  const iv = intervals?.[r.model]?.[s]?.[m];
                  const sd = kfold ? r.sd?.[m] : undefined;
                  return (
                    <td key={`${s}-${m}`} className={sort.metric === m && sort.split === s ? 'sorted' : ''} data-metric={`${s}:${m}`}>
                      {formatMetric(m, v)}
                      {sd !== undefined && sd !== null && <span className="small muted"> ± {formatMetric(m, sd)}</span>}
                      {iv && iv.lo !== null && iv.hi !== null && (
                        <div className="small muted interval" title="95% bootstrap interval">
                          [{formatMetric(m, iv.lo)}, {formatMetric(m, iv.hi)}]
                        </div>
                      )}
                    </td>
                  );
                }),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
