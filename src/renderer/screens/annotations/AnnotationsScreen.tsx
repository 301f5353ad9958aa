import { useEffect, useState } from 'react';
import { AnnotationsImportReport, type RecodeEntry } from '../../../shared/annotations';
import { callConfirmingOverwrite } from '../../api/confirmOverwrite';
import { ProgressBar } from '../../components/ProgressBar';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { FormFeedback, useFormFeedback } from '../../components/FormFeedback';
import { exportAnnotations, listRecodes } from '../../store/mediaActions';
import { startJob } from '../../store/actions';
import { Screen } from '../../components/Screen';
import { Table } from '../../components/Table';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The lab's annotations.csv in and out, and the re-code queue the lead watches. */
export function AnnotationsScreen() {
  const [file, setFile] = useState('');
  const [framesDir, setFramesDir] = useState('');
  const [map, setMap] = useState('');
  const [replaceNewer, setReplaceNewer] = useState(false);
  // The import is a job: its progress and its report (the job's result) come with its events.
  const [importJobId, setImportJobId] = useState<string | null>(null);
  const importJob = useStore((s) => (importJobId ? s.jobs[importJobId] : undefined));
  const upsertJob = useStore((s) => s.upsertJob);
  const importing = importJob?.status === 'queued' || importJob?.status === 'running';
  const parsedReport = importJob?.status === 'succeeded' ? AnnotationsImportReport.safeParse(importJob.result) : null;
  const report = parsedReport?.success ? parsedReport.data : null;
  const [out, setOut] = useState('');
  const [recode, setRecode] = useState<RecodeEntry[] | null>(null);

  const loadRecode = () => listRecodes({}).then(({ entries }) => setRecode(entries), notifyError);
  const codesVersion = useStore((s) => s.topicVersions.codes ?? 0);
  useEffect(() => {
    void loadRecode();
  }, [codesVersion]);

  const importForm = useFormFeedback();
  const exportForm = useFormFeedback();
  // A changed path makes the form's last message stale.
  const edited = (form: { clear(): void }, set: (value: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    form.clear();
    set(e.target.value);
  };

  const importFile = async (e: React.FormEvent) => {
    e.preventDefault();
    setImportJobId(null);
    const params = { file: file.trim(), framesDir: framesDir.trim() || undefined, map: lines(map), replaceNewer };
    const started = await importForm.run(() => startJob({ kind: 'annotations.import', params }));
    if (!started) return;
    upsertJob(started.job);
    setImportJobId(started.job.id);
  };

  const exportFile = async (e: React.FormEvent) => {
    e.preventDefault();
    await exportForm.run(
      () => callConfirmingOverwrite((overwrite) => exportAnnotations({ out: out.trim(), overwrite })),
      (result) => (result ? `${result.rows} rows written to ${result.file}` : 'Not exported: the existing file was kept.'),
    );
  };

  return (
    <Screen id="annotations" title="Annotations">
      <div className="cards">
        <article className="card">
          <h2>Import annotations.csv</h2>
          <form className="form" onSubmit={(e) => void importFile(e)}>
            <label className="wide">
              File (a path on this machine)
              <input aria-label="Annotations file" value={file} onChange={edited(importForm, setFile)} required />
            </label>
            <label className="wide">
              Frames folder (optional: images named &lt;frame_id&gt;.jpg or .png)
              <input aria-label="Frames folder" value={framesDir} onChange={(e) => setFramesDir(e.target.value)} />
            </label>
            <label className="wide">
              Map unknown categories, one old=new per line (optional)
              <textarea aria-label="Category map" rows={2} value={map} onChange={(e) => setMap(e.target.value)} />
            </label>
            <label className="check wide">
              <input
                type="checkbox"
                aria-label="Replace newer codes"
                checked={replaceNewer}
                onChange={(e) => setReplaceNewer(e.target.checked)}
              />{' '}
              Replace codes coded after the file too (otherwise an older file keeps them, and the report lists them)
            </label>
            <button type="submit" className="primary" disabled={importing || importForm.busy}>
              Import
            </button>
            <FormFeedback feedback={importForm.feedback} testId="import-form-feedback" />
          </form>
          {importJob && importing && (
            <div data-testid="import-progress">
              <ProgressBar fraction={importJob.progress.fraction} label="Import progress" />
              <span className="muted">{importJob.progress.stage || 'Waiting to start…'}</span>
            </div>
          )}
          {importJob && (importJob.status === 'failed' || importJob.status === 'cancelled' || importJob.status === 'interrupted') && (
            <p className="report bad" role="alert" data-testid="import-report">
              Nothing was imported: {importJob.error?.message ?? importJob.status}
            </p>
          )}
          {report && <ImportReport report={report} />}
        </article>
        <article className="card">
          <h2>Export annotations.csv</h2>
          <form className="form" onSubmit={(e) => void exportFile(e)}>
            <label className="wide">
              Write to (a path on this machine)
              <input aria-label="Export file" value={out} onChange={edited(exportForm, setOut)} required />
            </label>
            <button type="submit" disabled={exportForm.busy}>
              Export
            </button>
            <FormFeedback feedback={exportForm.feedback} testId="export-result" />
          </form>
        </article>
      </div>
      <h2>Re-code queue</h2>
      {!recode ? (
        <p className="loading">Loading…</p>
      ) : recode.length === 0 ? (
        <p className="empty">No missing codes are waiting.</p>
      ) : (
        <Table
          columns={['Frame', 'Coder', 'Dimension', 'Why']}
          items={recode}
          testId="recode-table"
          row={(r) => (
            <tr key={`${r.frameId}/${r.coderId}/${r.dimension}`}>
              <td>{r.frameId}</td>
              <td>{r.coderId}</td>
              <td>{r.dimension}</td>
              <td className="muted">{r.reason}</td>
            </tr>
          )}
        />
      )}
    </Screen>
  );
}

function ImportReport({ report }: { report: AnnotationsImportReport }) {
  if (report.errors.length > 0) {
    return (
      <div className="report bad" data-testid="import-report">
        <p>
          Nothing was imported: {report.errors.length} problem{report.errors.length === 1 ? '' : 's'} in the file.
        </p>
        <ul>
          {report.errors.map((e, i) => (
            <li key={i}>
              row {e.row}, column {e.column}: {e.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const dims = Object.keys(report.codes);
  return (
    <div className="report" data-testid="import-report">
      <p className="good">
        Imported {report.rows} rows: {report.frames} frames, {report.coders} coders.
      </p>
      <ul>
        {dims.map((d) => (
          <li key={d}>
            {d}: {report.codes[d]} codes, {report.missing[d]} missing
          </li>
        ))}
        <li>{report.recodeQueue} missing codes sent back to their coders (re-code queue)</li>
        <li>{report.imagesMissing} frames without an image yet</li>
        <li data-testid="changed-codes">
          {report.changedCodes.replaced} codes replaced, {report.changedCodes.kept} kept because the code here is newer than the file&apos;s
        </li>
      </ul>
      {report.changedCodes.list.length > 0 && (
        <Table
          columns={['Row', 'Frame', 'Coder', 'Dimension', 'Here → file', 'Outcome']}
          items={report.changedCodes.list}
          testId="changed-codes-table"
          row={(c) => (
            <tr key={`${c.frameId}/${c.coderId}/${c.dimension}`}>
              <td>{c.row}</td>
              <td>{c.frameId}</td>
              <td>{c.coderId}</td>
              <td>{c.dimension}</td>
              <td>
                {c.from} → {c.to}
              </td>
              <td className="muted">
                {c.outcome === 'kept' ? `kept ${c.from} (coded ${c.currentCodedAt}; the file's ${c.fileCodedAt})` : `replaced by ${c.to}`}
              </td>
            </tr>
          )}
        />
      )}
    </div>
  );
}
