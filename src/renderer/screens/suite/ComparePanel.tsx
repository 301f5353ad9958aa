import { useEffect, useState } from 'react';
import type { SuiteCompare } from '../../../shared/suiteViews';
import { formatTime } from '../../components/format';
import { notifyError } from '../../store/notifyError';
import { BASELINES, formatMetric, HIGHER_IS_BETTER, METRIC_LABEL, METRICS, shortRunId, type Metric } from './format';
import { RunTags } from './RunTags';
import { useStore } from '../../store';
import { compareSuiteRuns } from '../../store/suiteActions';

/**
 * Runs side by side: one row per model, one column per run (named, the chosen metric, val and
 * test), the best per row marked, a warning when the runs split their rows differently, and the
 * config fields that differ.
 */
export function ComparePanel({ runIds }: { runIds: string[] }) {
  const open = useStore((s) => s.openSuite);
  const [cmp, setCmp] = useState<SuiteCompare | null>(null);
  const [metric, setMetric] = useState<Metric>('rmse_log');
  const key = runIds.join(',');

  useEffect(() => {
    let current = true;
    compareSuiteRuns({ runIds: key.split(',') }).then((c) => {
      if (!current) return;
      setCmp(c);
      setMetric((c.runs[0]?.rankMetric as Metric | undefined) ?? 'rmse_log');
    }, notifyError);
    return () => {
      current = false;
    };
  }, [key]);

  if (!cmp) return <p className="loading">Loading…</p>;
  const better = (a: number, b: number) => (HIGHER_IS_BETTER.has(metric) ? a > b : a < b);
  return (
    <article className="card" data-testid="compare">
      <header className="screen-head">
        <h2>Compare {cmp.runs.length} runs</h2>
        <label className="small">
          Metric{' '}
          <select aria-label="Compare metric" value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {METRIC_LABEL[m]}
              </option>
            ))}
          </select>
        </label>
      </header>
      {cmp.splitWarning && (
        <p className="warn-banner split-warning" role="note" data-testid="split-warning">
          {cmp.splitWarning}
        </p>
      )}
      <table className="table compare" data-testid="compare-table">
        <thead>
          <tr>
            <th rowSpan={2}>Model</th>
            {cmp.runs.map((r) => (
              <th key={r.runId} colSpan={2} className="group" data-run-id={r.runId}>
                {r.name && (
                  <div className="run-name" data-testid="run-name">
                    {r.name}
                  </div>
                )}
                <button
                  type="button"
                  className={`linklike mono ${r.name ? 'small' : ''}`}
                  onClick={() => open({ kind: 'detail', runId: r.runId })}
                  title={r.runId}
                >
                  {shortRunId(r.runId)}
                </button>{' '}
                <RunTags tags={r.tags} />
                <div className="small muted">
                  {formatTime(r.createdAt)} · {r.folds !== null ? `${r.folds}-fold` : `${r.rows.train}/${r.rows.val}/${r.rows.test}`}
                </div>
              </th>
            ))}
          </tr>
          <tr>
            {cmp.runs.flatMap((r) => [
              <th key={`${r.runId}-v`}>{r.folds !== null ? 'CV mean' : 'val'}</th>,
              <th key={`${r.runId}-t`}>test</th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {cmp.models.map((m) => {
            const vals = m.byRun.map((b) => b?.val[metric] ?? null);
            const best = vals.reduce<number | null>((acc, v) => (v !== null && (acc === null || better(v, acc)) ? v : acc), null);
            return (
              <tr key={m.model} data-model={m.model} className={BASELINES.has(m.model) ? 'baseline' : ''}>
                <td>
                  {m.model}
                  {BASELINES.has(m.model) && <span className="badge baseline-badge">baseline</span>}
                </td>
                {m.byRun.flatMap((b, i) => [
                  <td key={`${i}-v`} data-run={cmp.runs[i]!.runId} className={b && vals[i] === best && cmp.runs.length > 1 ? 'best' : ''}>
                    {b ? (
                      <>
                        {formatMetric(metric, b.val[metric])} <span className="small muted">#{b.rank}</span>
                      </>
                    ) : (
                      <span className="muted">not trained</span>
                    )}
                  </td>,
                  <td key={`${i}-t`}>{b?.test ? formatMetric(metric, b.test[metric]) : '—'}</td>,
                ])}
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Config differences</h3>
      {cmp.configDiffs.length === 0 ? (
        <p className="muted">Same config (the runs differ only in when they ran).</p>
      ) : (
        <table className="table" data-testid="config-diffs">
          <thead>
            <tr>
              <th>Field</th>
              {cmp.runs.map((r) => (
                <th key={r.runId} className={r.name ? '' : 'mono'}>
                  {r.name ?? shortRunId(r.runId)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cmp.configDiffs.map((d) => (
              <tr key={d.field} data-field={d.field}>
                <td className="mono">{d.field}</td>
                {d.values.map((v, i) => (
                  <td key={i} className="mono small">
                    {v === null || v === undefined ? '—' : JSON.stringify(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
