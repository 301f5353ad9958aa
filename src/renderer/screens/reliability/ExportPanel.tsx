import { useState } from 'react';
import { client } from '../../api/client';
import { callConfirmingOverwrite } from '../../api/confirmOverwrite';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';

type Format = 'html' | 'pdf' | 'json' | 'csv';

/** The report as a self-contained HTML file, a PDF (Chromium or Electron prints it), or the figures as JSON/CSV. */
export function ExportPanel({ dimension, byVideo }: { dimension: string; byVideo: boolean }) {
  const notify = useStore((s) => s.notify);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState<Format | null>(null);
  const run = async (format: Format) => {
    setBusy(format);
    try {
      const out = `${folder.replace(/\/+$/, '')}/reliability_${dimension}.${format}`;
      const result = await callConfirmingOverwrite((overwrite) => client().call('icr.export', { dimension, format, out, byVideo, overwrite }));
      if (result) notify('info', `Report written to ${result.file}`);
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
        <label>
          Folder (on this machine) <input aria-label="Export folder" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/path/reports" />
        </label>
        {(['html', 'pdf', 'json', 'csv'] as const).map((f) => (
          <button key={f} type="button" disabled={!folder.trim() || busy !== null} onClick={() => void run(f)}>
            {busy === f ? 'Writing…' : f.toUpperCase()}
          </button>
        ))}
      </div>
    </section>
  );
}
