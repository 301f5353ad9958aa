import { useEffect, useState } from 'react';
import type { SuiteRunDetail } from '../../../shared/suiteViews';
import { formatTime } from '../../components/format';
import { notifyError } from '../../store/notifyError';
import { CurvesChart, ImportanceBars, ScatterPlot } from './charts';
import { formatMetric, METRIC_LABEL, METRICS, type Metric } from './format';
import { Leaderboard } from './Leaderboard';
import { RunRegistry } from './RunRegistry';
import { RunTags } from './RunTags';
import { suiteRunDetail } from '../../store/suiteActions';
import { Tabs } from '../../components/Tabs';

const SPLIT_TABS = [
  { kind: 'val', label: 'Validation' },
  { kind: 'test', label: 'Test' },
] as const;

/**
 * One finished run: what it trained on, the leaderboard (val/test, intervals), and per model
 * the predicted-vs-actual scatter, the permutation importance, the training curves (neural
 * models per epoch, gbdt per boosting round) and the metrics per slice (text present or not).
 */
export function RunDetail({ runId }: { runId: string }) {
  const [detail, setDetail] = useState<SuiteRunDetail | null>(null);
  const [model, setModel] = useState<string | null>(null);
  const [split, setSplit] = useState<'val' | 'test' | 'oof'>('val');

  useEffect(() => {
    let current = true;
    suiteRunDetail({ runId }).then((d) => {
      if (!current) return;
      setDetail(d);
      setModel(d.result.leaderboard[0]?.model ?? null);
      setSplit(d.result.folds !== null ? 'oof' : 'val');
    }, notifyError);
    return () => {
      current = false;
    };
  }, [runId]);

  if (!detail || detail.runId !== runId) return <p className="loading">Loading…</p>;
  const { result } = detail;
  const summary = detail.dataSummary as {
    rows?: number;
    embeddings?: { dim: number } | null;
    features?: { numeric: string[]; categorical: string[]; excluded: { column: string; reason: string }[] };
  };
  const config = detail.config as {
    name?: string;
    tags?: string[];
    split?: { kind: string; seed?: number; k?: number };
    target?: { column: string; transform: string };
  };
  const points = detail.predictions.find((p) => p.model === model && p.split === split);
  const curveNames = Object.keys(detail.curves).filter((c) => c === model || c.startsWith(`${model}.fold`));
  const slices = model ? detail.slices.models[model] : undefined;

  return (
    <section className="suite-detail" aria-label="Suite run detail" data-testid="run-detail" data-run-id={runId}>
      <article className="card">
        <header className="screen-head">
          <h2>
            {config.name ? `${config.name} · ` : ''}
            <span className="mono">{runId}</span>
          </h2>
        </header>
        {config.tags && config.tags.length > 0 && <RunTags tags={config.tags} />}
        <p className="small muted">
          {formatTime(detail.createdAt)} · {config.target?.column} ({config.target?.transform}) ·{' '}
          {result.folds !== null
            ? `${result.folds}-fold CV over ${result.rows.train} rows`
            : `${result.rows.train} train / ${result.rows.val} val / ${result.rows.test} test`}{' '}
          · {config.split?.kind} split, seed {config.split?.seed} · {summary.features?.numeric.length ?? 0} numeric,{' '}
          {summary.features?.categorical.length ?? 0} categorical
          {summary.embeddings ? `, ${summary.embeddings.dim}-d embedding` : ''} · ranked by {METRIC_LABEL[result.rankMetric as Metric]} ·
          framelab {detail.versions.framelab}
        </p>
        <Leaderboard
          rows={result.leaderboard}
          rankMetric={result.rankMetric as Metric}
          folds={result.folds}
          intervals={detail.intervals}
          onPick={setModel}
          picked={model ?? undefined}
        />
        <RunRegistry
          runId={runId}
          rerunOf={result.rerunOf ?? null}
          config={detail.config}
          configFile={detail.configFile}
          kfold={result.folds !== null}
        />
        <details>
          <summary>Config used</summary>
          <pre className="config-json">{JSON.stringify(detail.config, null, 2)}</pre>
        </details>
      </article>
      {model && (
        <article className="card" data-testid="model-detail" data-model={model}>
          <header className="screen-head">
            <h2>
              Model{' '}
              <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)}>
                {result.leaderboard.map((r) => (
                  <option key={r.model} value={r.model}>
                    {r.model}
                  </option>
                ))}
              </select>
            </h2>
            {result.folds === null && <Tabs label="Split" tabs={SPLIT_TABS} active={split} onSelect={setSplit} />}
          </header>
          <div className="suite-panels">
            <section>
              <h3>Predicted vs actual {split === 'oof' ? '(out of fold)' : `(${split})`}</h3>
              {points ? <ScatterPlot data={points} /> : <p className="muted">No predictions for this split.</p>}
            </section>
            <section>
              <h3>Permutation importance (validation)</h3>
              {detail.importance[model] ? (
                <ImportanceBars rows={detail.importance[model]!} />
              ) : (
                <p className="muted">Not computed for this run.</p>
              )}
            </section>
          </div>
          {curveNames.length > 0 && (
            <section>
              <h3>Training curves</h3>
              <div className="suite-curves">
                {curveNames.map((c) => (
                  <CurvesChart key={c} name={c} points={detail.curves[c]!} unit={detail.curveUnits[c]} />
                ))}
              </div>
            </section>
          )}
          {slices && detail.slices.column && (
            <section>
              <h3>By {detail.slices.column}</h3>
              <table className="table" data-testid="slices">
                <thead>
                  <tr>
                    <th>Split</th>
                    <th>Slice</th>
                    <th>n</th>
                    {METRICS.map((m) => (
                      <th key={m}>{METRIC_LABEL[m]}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {(['val', 'test'] as const).flatMap((s) =>
                    Object.entries(slices[s]).map(([slice, metrics]) => (
                      <tr key={`${s}-${slice}`}>
                        <td>{s}</td>
                        <td className="mono">{slice}</td>
                        <td>{metrics.n}</td>
                        {METRICS.map((m) => (
                          <td key={m}>{formatMetric(m, metrics[m] as number | null | undefined)}</td>
                        ))}
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </section>
          )}
        </article>
      )}
    </section>
  );
}
