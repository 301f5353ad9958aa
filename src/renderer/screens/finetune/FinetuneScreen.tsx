import { JobStatusBadge } from '../../components/JobRow';
import { useEffect, useState } from 'react';
import type { FinetuneRunSummary } from '../../../shared/finetuneRuns';
import { formatTime } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { FinetuneForm } from './FinetuneForm';
import { RunView } from './RunView';
import { listFinetuneRuns } from '../../store/finetuneActions';
import { Screen } from '../../components/Screen';
import { Loaded } from '../../components/Loaded';
import './finetune.css';

/**
 * Fine-tuning v7 → v8 (issue 8): past and running runs on the left; on the right the form for
 * a new run, or the open run (live while it trains, the v7-vs-v8 comparison once finished).
 */
export function FinetuneScreen() {
  const runId = useStore((s) => s.finetuneRunId);
  const openFinetuneRun = useStore((s) => s.openFinetuneRun);
  return (
    <Screen
      id="finetune"
      title="Fine-tune"
      head={
        <button type="button" className={runId === null ? 'primary' : ''} onClick={() => openFinetuneRun(null)} disabled={runId === null}>
          New fine-tune
        </button>
      }
    >
      <div className="finetune-layout">
        <RunList />
        <div className="finetune-main">
          {runId === null ? (
            <article className="card">
              <h2>New fine-tune</h2>
              <FinetuneForm />
            </article>
          ) : (
            <RunView jobId={runId} />
          )}
        </div>
      </div>
    </Screen>
  );
}

/** Every fine-tune run, newest first; statuses follow the jobs' events, the list refetches when one starts or ends. */
function RunList() {
  const runId = useStore((s) => s.finetuneRunId);
  const openFinetuneRun = useStore((s) => s.openFinetuneRun);
  const jobsVersion = useStore((s) => s.topicVersions.jobs ?? 0);
  const knownRuns = useStore((s) => s.jobOrder.filter((id) => s.jobs[id]?.kind === 'finetune.run').length);
  const jobs = useStore((s) => s.jobs);
  const [runs, setRuns] = useState<FinetuneRunSummary[] | null>(null);

  useEffect(() => {
    listFinetuneRuns({ limit: 100 }).then(({ runs: list }) => setRuns(list), notifyError);
  }, [jobsVersion, knownRuns]);

  return (
    <aside className="card run-list" aria-label="Fine-tune runs">
      <h2>Runs</h2>
      <Loaded items={runs} empty="No fine-tune yet.">
        {(runs) => (
          <ul className="plain" data-testid="runs">
            {runs.map((r) => {
              const job = jobs[r.job.id] ?? r.job;
              return (
                <li key={r.job.id}>
                  <button
                    type="button"
                    className={`run-item ${runId === r.job.id ? 'active' : ''}`}
                    aria-current={runId === r.job.id ? 'true' : undefined}
                    onClick={() => openFinetuneRun(r.job.id)}
                    data-job-id={r.job.id}
                  >
                    <span className="run-item-head">
                      <strong>
                        {r.params.baseModel} → {r.newModelId ?? '?'}
                      </strong>
                      <JobStatusBadge job={job} />
                    </span>
                    <span className="small muted">
                      {formatTime(r.job.createdAt)} · {r.params.cv}
                      {r.outcome ? ` · ${r.outcome.save ? 'saved' : 'not saved'}` : ''}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
    </aside>
  );
}
