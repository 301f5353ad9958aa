import { useEffect, useState } from 'react';
import type { WorkspaceProgress } from '../../../shared/api';
import type { DataTopic } from '../../../shared/events';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { FIRST_RUN_STEPS } from './firstRunSteps';
import { loadProgress } from '../../store/actions';
import './start.css';

const PROGRESS_TOPICS: DataTopic[] = ['videos', 'frames', 'coders', 'assignments', 'codes', 'gold'];

/** The counts the checklist ticks from, fetched again whenever one of them may have changed. */
export function useWorkspaceProgress(): WorkspaceProgress | null {
  const versions = useStore((s) => PROGRESS_TOPICS.map((t) => s.topicVersions[t] ?? 0).join('/'));
  const [progress, setProgress] = useState<WorkspaceProgress | null>(null);
  useEffect(() => {
    loadProgress().then(setProgress, notifyError);
  }, [versions]);
  return progress;
}

/**
 * The first-run checklist: from an empty home to a reliability report. Shown on the Workspace
 * screen (where an empty home opens) until every step is done; never over the coding view.
 */
export function StartChecklist() {
  const progress = useWorkspaceProgress();
  const setArea = useStore((s) => s.setArea);
  if (!progress) return null;
  const done = FIRST_RUN_STEPS.filter((s) => s.done(progress)).length;
  if (done === FIRST_RUN_STEPS.length) return null;
  return (
    <section className="card start-checklist" aria-labelledby="start-title" data-testid="start-checklist">
      <h2 id="start-title">Getting started</h2>
      <p className="muted small">
        {done} of {FIRST_RUN_STEPS.length} done. Each step ticks itself when the home has it. To look around first, fill a new home with a
        demo project: <code>npx framelab demo --home ./framelab-demo</code>.
      </p>
      <ol>
        {FIRST_RUN_STEPS.map((step) => {
          const ok = step.done(progress);
          return (
            <li key={step.id} className={ok ? 'done' : ''} data-step={step.id} data-done={ok}>
              <span className="tick" role="img" aria-label={ok ? 'done' : 'to do'}>
                {ok ? '✓' : '○'}
              </span>
              <span>
                <button type="button" className="link" onClick={() => setArea(step.area)}>
                  {step.label}
                </button>
                <span className="small muted"> — {step.detail(progress)}</span>
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
