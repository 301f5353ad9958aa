import { useEffect, useState } from 'react';
import type { AnalysisRunSummary } from '../../../shared/analysis';
import { formatTime, isActive } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { listAnalysisRuns } from '../../store/analysisActions';

/** Finished runs (immutable folders under the home), newest first, and the runs fitting now. */
export function RunsPanel() {
  const open = useStore((s) => s.openAnalysis);
  const jobs = useStore((s) => s.jobs);
  const jobOrder = useStore((s) => s.jobOrder);
  const [runs, setRuns] = useState<AnalysisRunSummary[] | null>(null);
  const analysisJobs = jobOrder.map((id) => jobs[id]!).filter((j) => j?.kind === 'analysis.run');
  const running = analysisJobs.filter(isActive);
  const finished = analysisJobs.filter((j) => j.status === 'succeeded').length;

  useEffect(() => {
    listAnalysisRuns({ limit: 200 })
      .then(({ runs: list }) => setRuns(list), notifyError);
  }, [finished]);

  return (
    <article className="card" aria-label="Analysis runs">
      <h2>Runs</h2>
      {running.length > 0 && (
        <ul className="plain" aria-label="Fitting now">
          {running.map((j) => (
            <li key={j.id}>
              <button type="button" className="linklike" onClick={() => open({ kind: 'live', jobId: j.id })}>
                Fitting now: {j.progress.stage || 'queued'} ({Math.round(j.progress.fraction * 100)}%)
              </button>
            </li>
          ))}
        </ul>
      )}
      {runs === null ? (
        <p className="loading">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="empty">No analysis run yet: set one up in Set up.</p>
      ) : (
        <table className="table" data-testid="analysis-runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Name</th>
              <th scope="col">When</th>
              <th scope="col">Outcomes</th>
              <th scope="col" className="num">
                Models
              </th>
              <th scope="col" className="num">
                Rows
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId}>
                <td>
                  <button type="button" className="linklike mono" onClick={() => open({ kind: 'detail', runId: r.runId })}>
                    {r.runId}
                  </button>
                </td>
                <td>{r.name ?? <span className="muted">—</span>}</td>
                <td>{formatTime(r.createdAt)}</td>
                <td>{r.outcomes.join(', ')}</td>
                <td className="num">{r.models}</td>
                <td className="num">{r.rows.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
