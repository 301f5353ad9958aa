import { useStore } from '../../store';
import type { AnalysisView } from '../../store/analysisSlice';
import { LiveRun } from './LiveRun';
import { RunDetail } from './RunDetail';
import { RunsPanel } from './RunsPanel';
import { SetupPanel } from './SetupPanel';
import './analysis.css';

const TABS: { kind: 'setup' | 'runs'; label: string }[] = [
  { kind: 'setup', label: 'Set up' },
  { kind: 'runs', label: 'Runs' },
];

/** A run's live view and its detail belong under Runs. */
const tabOf = (view: AnalysisView) => (view.kind === 'setup' ? 'setup' : 'runs');

/**
 * Outcome analysis (issue 18): the lab's modeling notebook as a reproducible run. Set up the
 * data and models, run them as a job, read every result and export the tables.
 */
export function AnalysisScreen() {
  const view = useStore((s) => s.analysisView);
  const open = useStore((s) => s.openAnalysis);
  return (
    <section className="screen analysis" aria-labelledby="analysis-title">
      <header className="screen-head">
        <h1 id="analysis-title">Analysis</h1>
        <div role="tablist" aria-label="Analysis" className="tabs">
          {TABS.map((t) => (
            <button key={t.kind} type="button" role="tab" aria-selected={tabOf(view) === t.kind} className={tabOf(view) === t.kind ? 'active' : ''} onClick={() => open({ kind: t.kind })}>
              {t.label}
            </button>
          ))}
        </div>
      </header>
      {view.kind === 'setup' && <SetupPanel />}
      {view.kind === 'runs' && <RunsPanel />}
      {view.kind === 'live' && <LiveRun jobId={view.jobId} />}
      {view.kind === 'detail' && <RunDetail runId={view.runId} />}
    </section>
  );
}
