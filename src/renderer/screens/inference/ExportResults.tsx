import { useState } from 'react';
import type { InferExportResult } from '../../../shared/inferResults';
import { client } from '../../api/client';
import { callConfirmingOverwrite } from '../../api/confirmOverwrite';
import { notifyError } from '../../store/notifyError';

/**
 * Copies the three CSVs and their models sidecar (the model ids and sha256s) to a folder on this machine (browser mode is on this machine too). A
 * file already there is replaced only once the person said yes, and the answer says which were.
 */
export function ExportResults({ outDir, complete }: { outDir: string; complete: boolean }) {
  const [dest, setDest] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<InferExportResult | null>(null);
  const run = async () => {
    setBusy(true);
    setDone(null);
    try {
      setDone(await callConfirmingOverwrite((overwrite) => client().call('infer.export', { outDir, dest: dest.trim(), overwrite })));
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
        <label>
          Folder (on this machine) <input aria-label="Export folder" value={dest} onChange={(e) => setDest(e.target.value)} placeholder="/path/exports" />
        </label>
        <button type="button" disabled={!complete || !dest.trim() || busy} onClick={() => void run()}>
          {busy ? 'Copying…' : 'Export the CSVs'}
        </button>
      </div>
      <p className="small muted">
        The three CSVs, and <span className="mono">model_predictions.models.json</span> beside them: the model ids and the sha256 of their weights.
      </p>
      {done && (
        <ul className="plain small" data-testid="infer-exported">
          {done.files.map((f) => (
            <li key={f.name}>
              <span className="mono">{f.file}</span> · {f.bytes} bytes{done.replaced.includes(f.name) ? ' · replaced the file that was there' : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
