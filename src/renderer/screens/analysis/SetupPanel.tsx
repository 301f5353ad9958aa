import { useEffect, useState } from 'react';
import { useStore } from '../../store';
import { ColumnsCard } from './ColumnsCard';
import { DataCard } from './DataCard';
import { buildAnalysisConfig, draftProblems } from '../../store/analysisDraft';
import { ModelsCard } from './ModelsCard';
import { startJob } from '../../store/actions';

/**
 * Set up a run: the data, each column's role, the models; then run it (Ctrl/Cmd+Enter) as an
 * analysis.run job, whose live view opens. The config a run gets is shown as JSON, the same
 * file `framelab analysis run --config` reads.
 */
export function SetupPanel() {
  const draft = useStore((s) => s.analysisDraft);
  const columns = useStore((s) => s.analysisColumns);
  const rows = useStore((s) => s.analysisRows);
  const open = useStore((s) => s.openAnalysis);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problems = draftProblems(draft, columns);
  const config = columns && !problems.length ? buildAnalysisConfig(draft, columns) : null;

  const run = async () => {
    if (!config || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { job } = await startJob({ kind: 'analysis.run', params: { config, configFile: null } as never });
      open({ kind: 'live', jobId: job.id });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div className="analysis-setup">
      <DataCard />
      {columns && rows !== null && <ColumnsCard columns={columns} rows={rows} />}
      {columns && <ModelsCard columns={columns} />}
      <article className="card" aria-labelledby="analysis-run-title">
        <h2 id="analysis-run-title">Run</h2>
        {problems.length > 0 && (
          <ul className="analysis-problems" data-testid="analysis-problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {config && (
          <details>
            <summary>The config as JSON (save it to rerun with framelab analysis run --config)</summary>
            <pre className="config-json" data-testid="analysis-config-json">
              {JSON.stringify(config, null, 2)}
            </pre>
          </details>
        )}
        <div className="actions">
          <button type="button" className="primary" disabled={!config || busy} onClick={() => void run()}>
            {busy ? 'Starting…' : 'Run analysis'} <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
        {error && (
          <p className="bad" role="alert" data-testid="analysis-run-error">
            {error}
          </p>
        )}
      </article>
    </div>
  );
}
