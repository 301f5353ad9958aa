import { useEffect, useState } from 'react';
import type { AnalysisRunSummary } from '../../../shared/analysis';
import { formatTime, isActive } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { listAnalysisRuns } from '../../store/analysisActions';
import { Loaded } from '../../components/Loaded';
import { RunningJobs } from '../../components/RunningJobs';
import { Table } from '../../components/Table';

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
          <Table
            columns={[
              { label: 'Run', scope: 'col' },
              { label: 'Name', scope: 'col' },
              { label: 'When', scope: 'col' },
              { label: 'Outcomes', scope: 'col' },
              { label: 'Models', scope: 'col', className: 'num' },
              { label: 'Rows', scope: 'col', className: 'num' },
            ]}
            items={runs}
            testId="analysis-runs"
            row={(r) => (
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
            )}
          />
        )}
      </Loaded>
    </article>
  );
}
