import { JobsPanel } from './components/JobsPanel';
import { KeySheet } from './components/KeySheet';
import { Notices } from './components/Notices';
import { Sidebar } from './components/Sidebar';
import { SyncBanner } from './components/SyncBadge';
import { AnalysisScreen } from './screens/analysis/AnalysisScreen';
import { AnnotationsScreen } from './screens/annotations/AnnotationsScreen';
import { CodebookScreen } from './screens/codebook/CodebookScreen';
import { CodersScreen } from './screens/coders/CodersScreen';
import { CodingScreen } from './screens/coding/CodingScreen';
import { JobsScreen } from './screens/jobs/JobsScreen';
import { FinetuneScreen } from './screens/finetune/FinetuneScreen';
import { InferenceScreen } from './screens/inference/InferenceScreen';
import { ModelsScreen } from './screens/models/ModelsScreen';
import { PreferencesScreen } from './screens/preferences/PreferencesScreen';
import { ReliabilityScreen } from './screens/reliability/ReliabilityScreen';
import { SyncScreen } from './screens/sync/SyncScreen';
import { SuiteScreen } from './screens/suite/SuiteScreen';
import { VideosScreen } from './screens/videos/VideosScreen';
import { WorkspaceScreen } from './screens/workspace/WorkspaceScreen';
import { useStore } from './store';
import { areaAllowed } from './store/role';
import { useTheme } from './useTheme';

export function App() {
  // A role that does not see the area (a remembered coder opening a lead's last screen) gets Coding.
  const area = useStore((s) => (areaAllowed(s.role, s.area) ? s.area : 'coding'));
  useTheme();
  return (
    <div className="app">
      <Sidebar />
      <main className="content">
        <SyncBanner />
        <Notices />
        {area === 'coding' && <CodingScreen />}
        {area === 'coders' && <CodersScreen />}
        {area === 'codebook' && <CodebookScreen />}
        {area === 'reliability' && <ReliabilityScreen />}
        {area === 'videos' && <VideosScreen />}
        {area === 'annotations' && <AnnotationsScreen />}
        {area === 'workspace' && <WorkspaceScreen />}
        {area === 'jobs' && <JobsScreen />}
        {area === 'models' && <ModelsScreen />}
        {area === 'sync' && <SyncScreen />}
        {area === 'finetune' && <FinetuneScreen />}
        {area === 'inference' && <InferenceScreen />}
        {area === 'suite' && <SuiteScreen />}
        {area === 'analysis' && <AnalysisScreen />}
        {area === 'preferences' && <PreferencesScreen />}
      </main>
      <JobsPanel />
      <KeySheet />
    </div>
  );
}

export function Unauthorized() {
  return (
    <main className="unauthorized">
      <h1>Framelab needs its token</h1>
      <p>
        Open the address that <code>framelab serve</code> printed (it ends in <code>?token=…</code>). The token changes every time the
        server starts.
      </p>
    </main>
  );
}
