import { useStore } from '../../store';
import type { AnalysisView } from '../../store/analysisSlice';
import { LiveRun } from './LiveRun';
import { RunDetail } from './RunDetail';
import { RunsPanel } from './RunsPanel';
import { SetupPanel } from './SetupPanel';
import { Screen } from '../../components/Screen';
import { Tabs } from '../../components/Tabs';
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
    <Screen
      id="analysis"
      title="Analysis"
      className="analysis"
      head={<Tabs label="Analysis" tabs={TABS} active={tabOf(view)} onSelect={(kind) => open({ kind })} />}
    >
      {view.kind === 'setup' && <SetupPanel />}
      {view.kind === 'runs' && <RunsPanel />}
      {view.kind === 'live' && <LiveRun jobId={view.jobId} />}
      {view.kind === 'detail' && <RunDetail runId={view.runId} />}
    </Screen>
  );
}
