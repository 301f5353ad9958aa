import { useState } from 'react';
import { baseName, deliverExport, type ExportOutcome } from '../../api/exportDelivery';
import { ExportDestination } from '../../components/ExportDestination';
import { notifyError } from '../../store/notifyError';
import { exportInfer } from '../../store/inferActions';

/**
 * The three CSVs and their models sidecar (the model ids and sha256s): downloaded (browser),
 * saved into the folder the dialog chose (desktop), or copied to a folder on the server. A file
 * already in a chosen folder is replaced only once the person said yes, and the answer says which were.
 */
export function ExportResults({ outDir, complete }: { outDir: string; complete: boolean }) {
  const [dest, setDest] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ outcome: ExportOutcome; bytes: Map<string, number>; replaced: string[] } | null>(null);
  const run = async () => {
    setBusy(true);
    setDone(null);
    const bytes = new Map<string, number>();
    let replaced: string[] = [];
    try {
      const outcome = await deliverExport(
        {
          produce: async (folder, overwrite) => {
            const result = await exportInfer({ outDir, dest: folder, overwrite });
            for (const f of result.files) bytes.set(f.file, f.bytes);
            replaced = result.replaced;
            return result.files.map((f) => f.file);
          },
        },
        dest,
      );
      if (outcome) setDone({ outcome, bytes, replaced });
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card export-panel" aria-label="Export the CSVs">
      <h2>Export</h2>
      {!complete && <p className="small missing">The run has not finished: its CSVs are written when it ends.</p>}
      <div className="form">
        <ExportDestination folder={dest} onChange={setDest} placeholder="/path/exports" />
        <button type="button" disabled={!complete || busy} onClick={() => void run()}>
          {busy ? 'Copying…' : 'Export the CSVs'}
        </button>
      </div>
      <p className="small muted">
        The three CSVs, and <span className="mono">model_predictions.models.json</span> beside them: the model ids and the sha256 of their
        weights.
      </p>
      {done && (
        <ul className="plain small" data-testid="infer-exported">
          {done.outcome.files.map((file) => (
            <li key={file}>
              <span className="mono">{done.outcome.where === 'downloaded' ? `${baseName(file)} (downloaded)` : file}</span> ·{' '}
              {done.bytes.get(file)} bytes
              {done.replaced.includes(baseName(file)) ? ' · replaced the file that was there' : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
