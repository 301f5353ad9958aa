import { useState } from 'react';
import { EXPORT_FORMATS } from '../../../shared/analysis';
import { client } from '../../api/client';
import { callConfirmingOverwrite } from '../../api/confirmOverwrite';

const FORMAT_LABEL: Record<(typeof EXPORT_FORMATS)[number], string> = { csv: 'CSV', html: 'HTML', tex: 'TeX (booktabs)' };

/**
 * Export a run's regression tables as journals print them, plus the focal-interaction CSVs,
 * into a folder; a file already there is replaced only after the lead says so.
 */
export function ExportBar({ runId }: { runId: string }) {
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'good' | 'bad'; text: string } | null>(null);
  const run = async (format: (typeof EXPORT_FORMATS)[number]) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await callConfirmingOverwrite((overwrite) => client().call('analysis.export', { runId, format, out: out.trim(), overwrite }));
      setMessage(result ? { kind: 'good', text: `Wrote ${result.files.length} files: ${result.files.join(', ')}` } : { kind: 'bad', text: 'Nothing written: the existing files were kept.' });
    } catch (err) {
      setMessage({ kind: 'bad', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="analysis-export-title">
      <h3 id="analysis-export-title">Export tables</h3>
      <div className="analysis-export">
        <label>
          Folder
          <input aria-label="Export folder" value={out} placeholder="/papers/visual-overload/tables" onChange={(e) => setOut(e.target.value)} />
        </label>
        {EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" disabled={busy || !out.trim()} onClick={() => void run(f)}>
            Export {FORMAT_LABEL[f]}
          </button>
        ))}
      </div>
      {message && (
        <p className={`small ${message.kind}`} role="status" data-testid="analysis-export-result">
          {message.text}
        </p>
      )}
    </section>
  );
}
