import { JobStatusBadge } from '../../components/JobRow';
import { useEffect, useState } from 'react';
import type { InferOutputFolder } from '../../../shared/inferResults';
import { formatTime } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { InferForm } from './InferForm';
import { InferRunView } from './InferRunView';
import { listInferOutputs } from '../../store/inferActions';
import { Screen } from '../../components/Screen';
import { Loaded } from '../../components/Loaded';
import './inference.css';

/**
 * Batch inference (issue 9): output folders of past and running runs on the left (or any
 * folder typed in); on the right the form for a new run, or the open folder: the run's live
 * progress while it goes, then its results (distribution, videos, frames, export).
 */
export function InferenceScreen() {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Screen
      id="inference"
      title="Inference"
      head={
        <button type="button" className={open === null ? 'primary' : ''} onClick={() => setOpen(null)} disabled={open === null}>
          New run
        </button>
      }
    >
      <div className="inference-layout">
        <OutputList open={open} onOpen={setOpen} />
        <div className="inference-main">
          {open === null ? (
            <article className="card">
              <h2>New batch inference</h2>
              <InferForm onStarted={setOpen} />
            </article>
          ) : (
            <InferRunView key={open} outDir={open} />
          )}
        </div>
      </div>
    </Screen>
  );
}

/** Output folders of this home's runs, newest first, plus a box to open any output folder (e.g. a merged one). */
function OutputList({ open, onOpen }: { open: string | null; onOpen: (outDir: string) => void }) {
  const jobsVersion = useStore((s) => s.topicVersions.jobs ?? 0);
  const knownRuns = useStore((s) => s.jobOrder.filter((id) => s.jobs[id]?.kind === 'infer.run').length);
  const jobs = useStore((s) => s.jobs);
  const [outputs, setOutputs] = useState<InferOutputFolder[] | null>(null);
  const [typed, setTyped] = useState('');

  useEffect(() => {
    listInferOutputs({ limit: 100 }).then(({ outputs: list }) => setOutputs(list), notifyError);
  }, [jobsVersion, knownRuns]);

  return (
    <aside className="card run-list" aria-label="Inference output folders">
      <h2>Output folders</h2>
      <Loaded items={outputs} empty="No run yet.">
        {(outputs) => (
          <ul className="plain" data-testid="infer-outputs">
            {outputs.map((o) => {
              // The store's job knows a pause (its error code); the listed output only its status.
              const job = jobs[o.jobId] ?? { kind: 'infer.run' as const, status: o.status, error: null, result: null };
              return (
                <li key={o.outDir}>
                  <button
                    type="button"
                    className={`run-item ${open === o.outDir ? 'active' : ''}`}
                    aria-current={open === o.outDir ? 'true' : undefined}
                    onClick={() => onOpen(o.outDir)}
                    data-out-dir={o.outDir}
                    title={o.outDir}
                  >
                    <span className="run-item-head">
                      <strong className="ellipsis">{o.outDir.split(/[\\/]/).filter(Boolean).at(-1) ?? o.outDir}</strong>
                      <JobStatusBadge job={job} />
                    </span>
                    <span className="small muted">
                      {formatTime(o.createdAt)} · {o.models.join(', ')}
                      {o.exists || status === 'queued' || status === 'running' ? '' : ' · folder gone'}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
      <form
        className="open-folder"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) onOpen(typed.trim());
        }}
      >
        <label className="small">
          Open an output folder
          <input aria-label="Output folder to open" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="/path/to/out" />
        </label>
        <button type="submit" disabled={!typed.trim()}>
          Open
        </button>
      </form>
    </aside>
  );
}
