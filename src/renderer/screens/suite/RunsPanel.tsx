import { useEffect, useState } from 'react';
import type { SuiteRunResult } from '../../../shared/suite';
import { isActive } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { formatMetric, METRIC_LABEL, shortRunId, type Metric } from './format';
import { RunTags } from './RunTags';
import { listSuiteRuns } from '../../store/suiteActions';
import { Loaded } from '../../components/Loaded';
import { RunningJobs } from '../../components/RunningJobs';
import { Table } from '../../components/Table';

/**
 * Every finished run (newest first) with its best model, the suite jobs still training, and
 * a pick of runs to compare side by side. Refetched when a job starts or ends.
 */
export function RunsPanel() {
  const open = useStore((s) => s.openSuite);
  const picked = useStore((s) => s.suitePicked);
  const togglePick = useStore((s) => s.toggleSuitePick);
  const jobsVersion = useStore((s) => s.topicVersions.jobs ?? 0);
  const jobs = useStore((s) => s.jobs);
  const jobOrder = useStore((s) => s.jobOrder);
  const [runs, setRuns] = useState<SuiteRunResult[] | null>(null);
  const running = jobOrder.map((id) => jobs[id]!).filter((j) => j && j.kind === 'suite.run' && isActive(j));
  const finishedCount = jobOrder.filter((id) => jobs[id]?.kind === 'suite.run' && jobs[id]?.status === 'succeeded').length;

  useEffect(() => {
    listSuiteRuns({ limit: 200 }).then(({ runs: list }) => setRuns(list), notifyError);
  }, [jobsVersion, finishedCount]);

  const pickedNow = picked.filter((id) => runs?.some((r) => r.runId === id));
  return (
    <article className="card" aria-label="Suite runs">
      <header className="screen-head">
        <h2>Runs</h2>
        <button
          type="button"
          className="primary"
          disabled={pickedNow.length < 2}
          onClick={() => open({ kind: 'compare', runIds: pickedNow })}
          data-testid="compare-button"
        >
          Compare {pickedNow.length >= 2 ? `${pickedNow.length} runs` : '(tick 2 or more)'}
        </button>
      </header>
      <RunningJobs jobs={running} label="Training now" verb="Training" onOpen={(jobId) => open({ kind: 'live', jobId })} />
      <Loaded items={runs} empty="No suite run yet: set one up in Run setup.">
        {(runs) => (
          <Table
            columns={['Compare', 'Run', 'Rows', 'Best model', 'Val', 'Test']}
            items={runs}
            testId="runs"
            row={(r) => {
              const best = r.leaderboard[0];
              const metric = r.rankMetric as Metric;
              return (
                <tr key={r.runId} data-run-id={r.runId}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Compare ${r.name ?? r.runId}`}
                      checked={picked.includes(r.runId)}
                      onChange={() => togglePick(r.runId)}
                    />
                  </td>
                  <td>
                    {r.name && (
                      <strong className="run-name" data-testid="run-name">
                        {r.name}
                      </strong>
                    )}{' '}
                    <button
                      type="button"
                      className={`linklike mono ${r.name ? 'small' : ''}`}
                      onClick={() => open({ kind: 'detail', runId: r.runId })}
                      title={r.runId}
                    >
                      {shortRunId(r.runId)}
                    </button>{' '}
                    <RunTags tags={r.tags ?? []} />
                  </td>
                  <td className="small">
                    {r.folds !== null ? `${r.rows.train} (${r.folds}-fold)` : `${r.rows.train}/${r.rows.val}/${r.rows.test}`}
                  </td>
                  <td>
                    {best?.model} <span className="small muted">of {r.leaderboard.length}</span>
                  </td>
                  <td className="small">
                    {METRIC_LABEL[metric]} {formatMetric(metric, best?.val[metric])}
                  </td>
                  <td className="small">{best?.test ? formatMetric(metric, best.test[metric]) : '—'}</td>
                </tr>
              );
            }}
          />
        )}
      </Loaded>
    </article>
  );
}
