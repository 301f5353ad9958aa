import { useState } from 'react';
import { deliverExport, describeOutcome } from '../../api/exportDelivery';
import { ExportDestination } from '../../components/ExportDestination';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { exportIcr } from '../../store/reliabilityActions';

type Format = 'html' | 'pdf' | 'json' | 'csv';

/**
 * The report as a self-contained HTML file, a PDF (Chromium or Electron prints it), or the
 * figures as JSON/CSV: downloaded (browser), saved where the dialog says (desktop), or written
 * into a folder on the server.
 */
export function ExportPanel({ dimension, byVideo }: { dimension: string; byVideo: boolean }) {
  const notify = useStore((s) => s.notify);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState<Format | null>(null);
  const run = async (format: Format) => {
    setBusy(format);
    try {
      const outcome = await deliverExport(
        {
          fileName: `reliability_${dimension}.${format}`,
          produce: async (out, overwrite) => [(await exportIcr({ dimension, format, out, byVideo, overwrite })).file],
        },
        folder,
      );
      if (outcome) notify('info', outcome.where === 'server' ? `Report written to ${outcome.files.join(', ')}` : describeOutcome(outcome));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-label="Export the report" className="export-panel">
      <h2>Export</h2>
      <div className="form">
        <ExportDestination folder={folder} onChange={setFolder} placeholder="/path/reports" />
        {(['html', 'pdf', 'json', 'csv'] as const).map((f) => (
          <button key={f} type="button" disabled={busy !== null} onClick={() => void run(f)}>
            {busy === f ? 'Writing…' : f.toUpperCase()}
          </button>
        ))}
      </div>
    </section>
  );
}
