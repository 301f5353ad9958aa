import type { WorkspaceProgress } from '../../../shared/api';
import { useStore } from '../../store';
import { FIRST_RUN_STEPS } from '../start/firstRunSteps';

/**
 * What a reliability report still lacks, in the first-run checklist's words, with a link to the
 * screen of each missing step: an empty home says so instead of computing forever.
 */
export function ReliabilityMissing({ progress }: { progress: WorkspaceProgress }) {
  const setArea = useStore((s) => s.setArea);
  const missing = FIRST_RUN_STEPS.filter((s) => s.id !== 'reliability' && !s.done(progress));
  return (
    <div className="card" data-testid="reliability-missing">
      <p>
        No reliability report yet: it needs frames coded by two coders (an overlap set), and this home has{' '}
        {progress.codedByTwo === 0 && progress.codedFrames > 0 ? 'codes from one coder only on every frame' : 'none'}.
      </p>
      {missing.length > 0 ? (
        <>
          <p>Still to do:</p>
          <ol>
            {missing.map((step) => (
              <li key={step.id}>
                <button type="button" className="link" onClick={() => setArea(step.area)}>
                  {step.label}
                </button>
                <span className="small muted"> — {step.detail(progress)}</span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p>
          Frames are coded, but none by two coders: on{' '}
          <button type="button" className="link" onClick={() => setArea('coders')}>
            Coders
          </button>
          , assign an overlap set that two coders both code.
        </p>
      )}
    </div>
  );
}
