import { useState } from 'react';
import type { AnalysisJoin } from '../../../shared/analysis';
import { useStore } from '../../store';
import { suggestRoles } from '../../store/analysisDraft';
import { readAnalysisColumns } from '../../store/analysisActions';

const JOIN_LABEL: Record<AnalysisJoin['kind'], string> = {
  table: 'Metadata table (CSV/Parquet, joined by id)',
  inference: 'Batch-inference output folder (frame classifiers → class shares)',
};

/**
 * The data a run reads: the video-level table, its id column and the optional joins; “Read
 * columns” asks the core what they hold (analysis.columns) and, the first time, suggests the
 * lab's roles for them.
 */
export function DataCard() {
  const draft = useStore((s) => s.analysisDraft);
  const setDraft = useStore((s) => s.setAnalysisDraft);
  const setColumns = useStore((s) => s.setAnalysisColumns);
  const rows = useStore((s) => s.analysisRows);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A changed table or join makes the columns read before stale: they are read again.
  const change = (c: Partial<typeof draft>) => {
    setDraft(c);
    setColumns(null, null);
  };
  const setJoin = (i: number, join: AnalysisJoin | null) =>
    change({ joins: draft.joins.flatMap((j, k) => (k !== i ? [j] : join ? [join] : [])) });

  const read = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const id = draft.id.trim() || undefined;
      const out = await readAnalysisColumns({ data: draft.data.trim(), id, joins: draft.joins.filter((j) => j.path.trim()) });
      setColumns(out.columns, out.rows);
      if (!Object.keys(draft.roles).length) setDraft(suggestRoles(out.columns, draft.id));
    } catch (err) {
      setColumns(null, null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card" aria-labelledby="analysis-data-title">
      <h2 id="analysis-data-title">Data</h2>
      <form className="form" onSubmit={(e) => void read(e)} aria-label="Analysis data">
        <label className="wide">
          Video-level table (.csv or .parquet)
          <input
            aria-label="Video-level table"
            value={draft.data}
            placeholder="/data/videos.csv"
            onChange={(e) => change({ data: e.target.value })}
          />
        </label>
        <label>
          Id column
          <input aria-label="Id column" value={draft.id} onChange={(e) => change({ id: e.target.value })} />
        </label>
        <label>
          Run name (optional)
          <input
            aria-label="Run name"
            value={draft.name}
            placeholder="visual overload, wave 2"
            onChange={(e) => setDraft({ name: e.target.value })}
          />
        </label>
        {draft.joins.map((join, i) => (
          <div key={i} className="wide analysis-join">
            <label>
              {JOIN_LABEL[join.kind]}
              <input aria-label={`Join ${i + 1} path`} value={join.path} onChange={(e) => setJoin(i, { ...join, path: e.target.value })} />
            </label>
            <button type="button" aria-label={`Remove join ${i + 1}`} onClick={() => setJoin(i, null)}>
              Remove
            </button>
          </div>
        ))}
        <div className="wide actions">
          <button type="button" onClick={() => change({ joins: [...draft.joins, { kind: 'table', path: '' }] })}>
            + Metadata table
          </button>
          <button type="button" onClick={() => change({ joins: [...draft.joins, { kind: 'inference', path: '' }] })}>
            + Inference output
          </button>
          <button type="submit" className="primary" disabled={busy || !draft.data.trim()}>
            {busy ? 'Reading…' : 'Read columns'}
          </button>
          {rows !== null && (
            <span className="muted small" data-testid="analysis-rows">
              {rows.toLocaleString()} rows
            </span>
          )}
        </div>
      </form>
      {error && (
        <p className="bad" role="alert" data-testid="analysis-columns-error">
          {error}
        </p>
      )}
    </article>
  );
}
