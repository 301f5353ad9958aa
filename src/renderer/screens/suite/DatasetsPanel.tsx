import { useState } from 'react';
import type { DatasetPreview } from '../../../shared/suiteViews';
import { dataConfig, parseFilter } from './config';
import { useStore } from '../../store';
import { previewSuiteDataset } from '../../store/suiteActions';

const ROLE_LABEL: Record<DatasetPreview['columns'][number]['role'], string> = {
  target: 'target',
  numeric: 'numeric feature',
  categorical: 'categorical feature (one-hot)',
  guest: 'guest',
  leakage: 'excluded: leakage',
  id: 'excluded: id',
  time: 'excluded: date/time',
  high_cardinality: 'excluded: high cardinality',
  not_selected: 'not selected',
};

/**
 * Datasets: the metadata table and embeddings a suite reads, the horizon filter and the
 * latest-capture dedupe, and a dry run of the data step (suite.dataset.preview): rows kept at
 * each step and every column's role, with the reason each excluded column is out. Leakage
 * columns are marked loudly: they are the ones that would make a model look good and be useless.
 */
export function DatasetsPanel({ preview, setPreview }: { preview: DatasetPreview | null; setPreview: (p: DatasetPreview | null) => void }) {
  const draft = useStore((s) => s.suiteDraft);
  const setDraft = useStore((s) => s.setSuiteDraft);
  const open = useStore((s) => s.openSuite);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filterProblems = parseFilter(draft.filter).problems;

  const run = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setPreview(await previewSuiteDataset({ config: dataConfig(draft) as never, configFile: null }));
    } catch (err) {
      setPreview(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const text = (key: keyof typeof draft, label: string, placeholder = '', wide = false) => (
    <label className={wide ? 'wide' : ''}>
      {label}
      <input
        aria-label={label}
        value={draft[key] as string}
        placeholder={placeholder}
        onChange={(e) => setDraft({ [key]: e.target.value })}
      />
    </label>
  );

  return (
    <div className="suite-datasets">
      <article className="card">
        <h2>Data</h2>
        <form className="form" onSubmit={(e) => void run(e)} aria-label="Dataset">
          {text('metadata', 'Metadata table (.csv or .parquet)', '/data/horizon.parquet', true)}
          {text('embeddingsPath', 'Embeddings (fused.pt, .npy, .npz or a manifest .parquet; optional)', '/data/fused.pt', true)}
          {text('embeddingsIds', 'Ids file (for .npy)', 'ids.txt')}
          {text('embeddingsKey', 'Array key (for .npz)', '')}
          <label className="wide">
            Filter, one “column = value” per line
            <textarea aria-label="Filter" rows={2} value={draft.filter} onChange={(e) => setDraft({ filter: e.target.value })} />
          </label>
          {filterProblems.map((p) => (
            <p key={p} className="bad small wide">
              {p}
            </p>
          ))}
          <label className="check">
            <input
              type="checkbox"
              aria-label="Keep the latest capture per video"
              checked={draft.dedupe}
              onChange={(e) => setDraft({ dedupe: e.target.checked })}
            />{' '}
            Keep the latest capture per video
          </label>
          {draft.dedupe && (
            <>
              {text('dedupeBy', 'Dedupe key')}
              {text('dedupeLatest', 'Latest by')}
            </>
          )}
          {text('idColumn', 'Video id column')}
          {text('targetColumn', 'Target column')}
          {text('guestColumn', 'Guest (channel) column')}
          {text('leakage', 'Extra leakage columns (comma-separated)', '', true)}
          {text(
            'leakageAllow',
            'Known at publish time despite a leakage pattern (comma-separated; the run records them)',
            'hashtag_count',
            true,
          )}
          <div className="wide actions">
            <button type="submit" className="primary" disabled={busy || !draft.metadata.trim() || filterProblems.length > 0}>
              {busy ? 'Reading…' : 'Preview'}
            </button>
            {preview && (
              <button type="button" onClick={() => open({ kind: 'setup' })}>
                Set up a run →
              </button>
            )}
          </div>
        </form>
        {error && (
          <p className="bad" role="alert" data-testid="preview-error">
            {error}
          </p>
        )}
      </article>
      {preview && <PreviewCard preview={preview} />}
    </div>
  );
}

function PreviewCard({ preview }: { preview: DatasetPreview }) {
  const leaks = preview.columns.filter((c) => c.role === 'leakage');
  const steps: [string, string, number][] = [
    ['read', 'rows read', preview.rowsRead],
    ['filter', 'after the filter', preview.rowsAfterFilter],
    ['dedupe', 'after the dedupe', preview.rowsAfterDedupe],
    ['no-target', 'without a target (dropped)', preview.rowsMissingTarget],
    ['no-embedding', 'without an embedding (dropped)', preview.rowsWithoutEmbedding],
    ['kept', 'rows a run trains and scores on', preview.rows],
  ];
  return (
    <article className="card" data-testid="preview">
      <h2>What a run would read</h2>
      <dl className="suite-steps">
        {steps.map(([id, label, n]) => (
          <div key={id} className="row">
            <dt>{label}</dt>
            <dd data-testid={`rows-${id}`}>{n.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p className="small muted">
        {preview.embeddings
          ? `Embeddings: ${preview.embeddings.count.toLocaleString()} × ${preview.embeddings.dim} from ${preview.embeddings.source}. `
          : 'No embeddings. '}
        Target {preview.target.column} ({preview.target.transform}): mean {preview.target.mean?.toFixed(3) ?? '—'}, range{' '}
        {preview.target.min?.toFixed(3) ?? '—'} … {preview.target.max?.toFixed(3) ?? '—'}
        {preview.guests !== null ? ` · ${preview.guests} guests` : ''}
      </p>
      {leaks.length > 0 && (
        <p className="leak-note" role="note">
          {leaks.length} leakage column{leaks.length === 1 ? '' : 's'} excluded:{' '}
          {leaks.map((c) => (c.pattern ? `${c.name} (pattern ${c.pattern})` : c.name)).join(', ')}. They are known only after a video's
          outcome and can never be features.
          {leaks.some((c) => c.pattern) &&
            ' A column caught only by a name pattern that is in fact known when a video is published can be let back in under “Known at publish time”.'}
        </p>
      )}
      <table className="table columns" data-testid="columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Role</th>
            <th>Why</th>
            <th>Missing</th>
            <th>Distinct</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns.map((c) => (
            <tr key={c.name} data-column={c.name} data-role={c.role} data-pattern={c.pattern ?? undefined} className={`role-${c.role}`}>
              <td className="mono">{c.name}</td>
              <td className="small">{c.type}</td>
              <td>
                <span className={`badge role-badge role-badge-${c.role}`}>{ROLE_LABEL[c.role]}</span>
                {c.pattern && <span className="small mono"> {c.pattern}</span>}
              </td>
              <td className="small">{c.reason ?? ''}</td>
              <td className="small">{c.missing || ''}</td>
              <td className="small">{c.distinct ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
