import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store';
import { isActive } from './format';
import { JobRow } from './JobRow';

const RECENT_FINISHED = 5;

/** Always at hand: running jobs with live progress and cancel, then the last few that finished. */
export function JobsPanel() {
  const open = useStore((s) => s.jobsPanelOpen);
  const setOpen = useStore((s) => s.setJobsPanelOpen);
  const setArea = useStore((s) => s.setArea);
  const selectJob = useStore((s) => s.selectJob);
  const jobs = useStore(useShallow((s) => s.jobOrder.map((id) => s.jobs[id]!)));
  const active = jobs.filter(isActive);
  const finished = jobs.filter((j) => !isActive(j)).slice(0, RECENT_FINISHED);
  const openJob = (id: string) => {
    selectJob(id);
    setArea('jobs');
  };

  return (
    <aside className={`jobs-panel ${open ? 'open' : ''}`} aria-label="Jobs panel" data-testid="jobs-panel">
      <button type="button" className="jobs-panel-toggle" onClick={() => setOpen(!open)} title="Toggle jobs panel (Ctrl+J)">
        Jobs {active.length > 0 ? <span className="count">{active.length} running</span> : <span className="muted">idle</span>}
      </button>
      {open && (
        <div className="jobs-panel-body">
          {jobs.length === 0 ? (
            <p className="empty">No jobs yet. Long work (checks, imports, training) runs here with its progress.</p>
          ) : (
            <ul className="job-list">
              {[...active, ...finished].map((job) => (
                <JobRow key={job.id} job={job} onOpen={openJob} />
              ))}
            </ul>
          )}
        </div>
      )}
    </aside>
  );
}
