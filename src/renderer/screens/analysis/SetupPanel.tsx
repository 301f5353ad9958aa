import { useEffect, useState } from 'react';
import { client } from '../../api/client';
import { useAnalysis } from './analysisStore';
import { ColumnsCard } from './ColumnsCard';
import { DataCard } from './DataCard';
import { buildAnalysisConfig, draftProblems } from './draft';
import { ModelsCard } from './ModelsCard';

/**
 * Set up a run: the data, each column's role, the models; then run it (Ctrl/Cmd+Enter) as an
 * analysis.run job, whose live view opens. The config a run gets is shown as JSON, the same
 * file `framelab analysis run --config` reads.
 */
export function SetupPanel() {
  const draft = useAnalysis((s) => s.draft);
  const columns = useAnalysis((s) => s.columns);
  const rows = useAnalysis((s) => s.rows);
  const open = useAnalysis((s) => s.open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problems = draftProblems(draft, columns);
  const config = columns && !problems.length ? buildAnalysisConfig(draft, columns) : null;

  const run = async () => {
    if (!config || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { job } = await client().call('jobs.start', { kind: 'analysis.run', params: { config, configFile: null } as never });
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
