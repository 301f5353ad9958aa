import { useEffect, useRef, useState } from 'react';
import { InferResult, type InferTimings } from '../../../shared/infer';
import { RunTimings } from './RunTimings';
import type { InferResultsView } from '../../../shared/inferResults';
import type { JobSummary } from '../../../shared/jobs';
import { JobActions, JobStatusBadge } from '../../components/JobRow';
import { ProgressBar } from '../../components/ProgressBar';
import { formatEta, isActive } from '../../components/format';
import { useStore } from '../../store';
import { ResultsView } from './ResultsView';
import { inferResults } from '../../store/inferActions';

/** How often, at most, a running job's saved videos are re-read for the results below it. */
const REFRESH_MS = 1500;

/**
 * One output folder: the run writing it (live progress, cancel/resume) and its results. The
 * results refetch when the job's row moves (events, never a timer), at most every 1.5 s.
 */
export function InferRunView({ outDir }: { outDir: string }) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [view, setView] = useState<InferResultsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(false);
  const liveJob = useFolderJob(outDir, view?.overview.job?.id ?? null);
  const updatedAt = liveJob?.updatedAt;
  const status = liveJob?.status;

  useEffect(() => {
    let current = true;
    const timer = setTimeout(
      () => {
        inferResults({ outDir, search, offset, limit: 50 }).then(
          (v) => {
            if (!current) return;
            loaded.current = true;
            setView(v);
            setError(null);
          },
          (err: unknown) => {
            if (!current) return;
            setError(err instanceof Error ? err.message : String(err));
          },
        );
      },
      !loaded.current ? 0 : status === 'running' ? REFRESH_MS : 150,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [outDir, search, offset, updatedAt, status]);

  if (error && !view) {
    return (
      <article className="card" data-testid="infer-view">
        <h2 className="mono">{outDir}</h2>
        {liveJob && <RunProgress job={liveJob} />}
        <p className="bad" role="status" data-testid="infer-error">
          {error}
        </p>
      </article>
    );
  }
  if (!view) return <p className="loading">Loading…</p>;
  return (
    <section
      className="infer-view"
      aria-label="Inference output"
      data-testid="infer-view"
      data-complete={view.overview.complete ? 'true' : 'false'}
    >
      <header className="screen-head">
        <h2 className="mono ellipsis" title={view.overview.outDir}>
          {view.overview.outDir}
        </h2>
        <span className={`badge ${view.overview.complete ? 'badge-succeeded' : 'badge-running'}`} data-testid="infer-complete">
          {view.overview.complete ? 'complete' : 'partial'}
        </span>
      </header>
      {liveJob && <RunProgress job={liveJob} />}
      <ResultsView
        view={view}
        search={search}
        onSearch={(text) => {
          setSearch(text);
          setOffset(0);
        }}
        onPage={setOffset}
        running={liveJob ? isActive(liveJob) : false}
      />
    </section>
  );
}

/**
 * The job that writes (or last wrote) this folder: the one the folder names, else the newest
 * infer.run job of that folder in the store (a just-started job may not have written its manifest yet).
 */
function useFolderJob(outDir: string, jobId: string | null): JobSummary | undefined {
  return useStore((s) => {
    const id = s.jobOrder.find(
      (i) => s.jobs[i]?.kind === 'infer.run' && (s.jobs[i]?.params as { outDir?: string } | null)?.outDir === outDir,
    );
    const byFolder = id ? s.jobs[id] : undefined;
    const named = jobId ? s.jobs[jobId] : undefined;
    if (byFolder && named) return byFolder.createdAt > named.createdAt ? byFolder : named;
    return byFolder ?? named;
  });
}

/** What a finished job did (its result), or where a stopped one was. */
function outcome(job: JobSummary): string {
  const parsed = job.status === 'succeeded' ? InferResult.safeParse(job.result) : null;
  if (parsed?.success) {
    const r = parsed.data;
    return `Done: ${r.videos} videos, ${r.videos - r.errors} read (${r.frames} frames), ${r.errors} could not be read${r.resumedFrom ? `; resumed with ${r.resumedFrom} already saved` : ''}.`;
  }
  return job.progress.stage ? `Stopped at: ${job.progress.stage}` : '';
}

/** Where a finished run's time went (none when every video was already done). */
function timingsOf(job: JobSummary): InferTimings | null {
  const parsed = job.status === 'succeeded' ? InferResult.safeParse(job.result) : null;
  return parsed?.success ? (parsed.data.timings ?? null) : null;
}

/** The run's progress, ETA, errors so far, cancel/resume. */
function RunProgress({ job }: { job: JobSummary }) {
  return (
    <article className="card live" data-testid="infer-job" data-job-id={job.id} data-status={job.status}>
      <div className="run-item-head">
        <strong>{job.title}</strong>
        <JobStatusBadge job={job} testId="infer-job-status" />
      </div>
      {isActive(job) && (
        <>
          <ProgressBar fraction={job.progress.fraction} label="Inference progress" />
          <p className="small muted" data-testid="infer-stage">
            {job.progress.stage || 'Waiting to start…'} {formatEta(job)}
          </p>
        </>
      )}
      {!isActive(job) && (
        <p className="small muted" data-testid="infer-job-outcome">
          {outcome(job)}
        </p>
      )}
      {timingsOf(job) && <RunTimings timings={timingsOf(job)!} />}
      {job.error && job.status !== 'succeeded' && (
        <p className={job.status === 'cancelled' ? 'muted' : 'bad'} role="status" data-testid="infer-job-error">
          {job.error.message}
        </p>
      )}
      <JobActions job={job} />
    </article>
  );
}
