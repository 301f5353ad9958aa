import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { JobRow, JobStatusBadge } from '../../components/JobRow';
import { formatTime } from '../../components/format';
import { useStore } from '../../store';
import { loadJobDetail } from '../../store/actions';
import { Screen } from '../../components/Screen';

function JobDetail({ jobId }: { jobId: string }) {
  const job = useStore((s) => s.jobs[jobId]);
  const logs = useStore((s) => s.logs[jobId]);
  const selectJob = useStore((s) => s.selectJob);
  useEffect(() => {
    void loadJobDetail(jobId);
  }, [jobId]);
  if (!job) return null;
  return (
    <section className="job-detail" aria-label="Job detail" data-testid="job-detail">
      <header className="screen-head">
        <h2>{job.title}</h2>
        <button type="button" onClick={() => selectJob(null)}>
          Close
        </button>
      </header>
      <dl className="grid">
        <dt>Status</dt>
        <dd>
          {/* As every screen shows it: a paused job reads paused, not cancelled. */}
          <JobStatusBadge job={job} testId="job-detail-status" />
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(job.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(job.finishedAt)}</dd>
        <dt>Attempts</dt>
        <dd>{job.attempts}</dd>
      </dl>
      <h3>Log</h3>
      {!logs || logs.length === 0 ? (
        <p className="empty">No log lines.</p>
      ) : (
        <pre className="log" data-testid="job-log">
          {logs.map((l) => `${l.at.slice(11, 19)} ${l.level.padEnd(5)} ${l.message}`).join('\n')}
        </pre>
      )}
      {job.result !== null && (
        <>
          <h3>Result</h3>
          <pre className="log">{JSON.stringify(job.result, null, 2)}</pre>
        </>
      )}
    </section>
  );
}

/** Every job this workspace ran, newest first, with its log and result. */
export function JobsScreen() {
  const jobs = useStore(useShallow((s) => s.jobOrder.map((id) => s.jobs[id]!)));
  const loaded = useStore((s) => s.jobsLoaded);
  const selected = useStore((s) => s.selectedJobId);
  const selectJob = useStore((s) => s.selectJob);
  return (
    <Screen id="jobs" title="Jobs">
      <div className="split">
        {!loaded ? (
          <p className="loading">Loading jobs…</p>
        ) : jobs.length === 0 ? (
          <p className="empty">
            No jobs yet. Start one from the Workspace (integrity check) — its progress appears here and in the jobs panel.
          </p>
        ) : (
          <ul className="job-list">
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} onOpen={selectJob} />
            ))}
          </ul>
        )}
        {selected && <JobDetail jobId={selected} />}
      </div>
    </Screen>
  );
}
