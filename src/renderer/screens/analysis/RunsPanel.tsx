import { useEffect, useState } from 'react';
import type { AnalysisRunSummary } from '../../../shared/analysis';
import { formatTime, isActive } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { listAnalysisRuns } from '../../store/analysisActions';
import { Loaded } from '../../components/Loaded';
import { RunningJobs } from '../../components/RunningJobs';

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
    listAnalysisRuns({ limit: 200 }).then(({ runs: list }) => setRuns(list), notifyError);
  }, [finished]);

  return (
    <article className="card" aria-label="Analysis runs">
      <h2>Runs</h2>
      <RunningJobs jobs={running} label="Fitting now" verb="Fitting" onOpen={(jobId) => open({ kind: 'live', jobId })} />
      <Loaded items={runs} empty="No analysis run yet: set one up in Set up.">
        {(runs) => (
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
      </Loaded>
    </article>
  );
}
