import { useState } from 'react';
import type { DatasetPreview } from '../../../shared/suiteViews';
import { ComparePanel } from './ComparePanel';
import { DatasetsPanel } from './DatasetsPanel';
import { LiveRun } from './LiveRun';
import { RunDetail } from './RunDetail';
import { RunSetup } from './RunSetup';
import { RunsPanel } from './RunsPanel';
import { useStore } from '../../store';
import type { SuiteView } from '../../store/suiteSlice';
import { Screen } from '../../components/Screen';
import { Tabs } from '../../components/Tabs';
import './suite.css';

const TABS: { kind: 'datasets' | 'setup' | 'runs'; label: string }[] = [
  { kind: 'datasets', label: 'Datasets' },
  { kind: 'setup', label: 'Run setup' },
  { kind: 'runs', label: 'Runs' },
];

/** Which tab a view belongs to (a run's live view and detail live under Runs). */
const tabOf = (view: SuiteView) => (view.kind === 'datasets' || view.kind === 'setup' ? view.kind : 'runs');

/**
 * Suite training (issue 10): pick the data and preview what a run would read, set up and
 * launch a run, watch it train, read its leaderboard and per-model detail, compare runs.
 */
export function SuiteScreen() {
  const view = useStore((s) => s.suiteView);
  const open = useStore((s) => s.openSuite);
  // The preview belongs to the session, not the draft: it is refetched when asked.
  const [preview, setPreview] = useState<DatasetPreview | null>(null);
  return (
    <Screen
      id="suite"
      title="Suite"
      className="suite"
      head={<Tabs label="Suite" tabs={TABS} active={tabOf(view)} onSelect={(kind) => open({ kind })} />}
    >
      {view.kind === 'datasets' && <DatasetsPanel preview={preview} setPreview={setPreview} />}
      {view.kind === 'setup' && <RunSetup preview={preview} />}
      {view.kind === 'runs' && <RunsPanel />}
      {view.kind === 'live' && <LiveRun jobId={view.jobId} />}
      {view.kind === 'detail' && <RunDetail runId={view.runId} />}
      {view.kind === 'compare' && <ComparePanel runIds={view.runIds} />}
    </Screen>
  );
}
