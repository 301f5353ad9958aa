import { useState } from 'react';
import { EXPORT_FORMATS } from '../../../shared/analysis';
import { baseName, deliverExport } from '../../api/exportDelivery';
import { ExportDestination } from '../../components/ExportDestination';
import { exportAnalysis } from '../../store/analysisActions';

const FORMAT_LABEL: Record<(typeof EXPORT_FORMATS)[number], string> = { csv: 'CSV', html: 'HTML', tex: 'TeX (booktabs)' };

/**
 * Export a run's regression tables as journals print them, plus the focal-interaction CSVs:
 * downloaded, saved where the dialog says, or into a folder on the server, where a file
 * already there is replaced only after the lead says so.
 */
export function ExportBar({ runId }: { runId: string }) {
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'good' | 'bad'; text: string } | null>(null);
  const run = async (format: (typeof EXPORT_FORMATS)[number]) => {
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await deliverExport(
        { produce: async (folder, overwrite) => (await exportAnalysis({ runId, format, out: folder, overwrite })).files },
        out,
      );
      if (!outcome) setMessage({ kind: 'bad', text: out.trim() ? 'Nothing written: the existing files were kept.' : 'Nothing saved.' });
      else if (outcome.where === 'downloaded')
        setMessage({ kind: 'good', text: `Downloaded ${outcome.files.length} files: ${outcome.files.map(baseName).join(', ')}` });
      else setMessage({ kind: 'good', text: `Wrote ${outcome.files.length} files: ${outcome.files.join(', ')}` });
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
        <ExportDestination folder={out} onChange={setOut} placeholder="/papers/visual-overload/tables" />
        {EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" disabled={busy} onClick={() => void run(f)}>
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
