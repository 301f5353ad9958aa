import { useEffect } from 'react';
import { useStore } from '../../store';
import { loadDoctor, loadWorkspace, startIntegrityCheck } from '../../store/actions';
import { formatBytes, formatTime } from '../../components/format';
import { StartChecklist } from '../start/StartChecklist';
import { Screen } from '../../components/Screen';

const CAPABILITY_LABELS: Record<string, string> = {
  ffmpeg: 'ffmpeg (video decoding)',
  ffprobe: 'ffprobe (video probing)',
  nativeAddon: 'Training addon (LibTorch)',
  imageResize: 'Native image resize (model inputs)',
  xgboost: 'XGBoost (suite gradient boosting)',
  cuda: 'GPU (CUDA)',
  onnxruntime: 'ONNX Runtime (inference)',
  gcsCredentials: 'Google Cloud credentials',
  electronBinary: 'Electron (desktop window)',
};

/** What this workspace holds, whether it is intact, and what this machine can do. */
export function WorkspaceScreen() {
  const summary = useStore((s) => s.summary);
  const doctor = useStore((s) => s.doctor);
  const checkRunning = useStore((s) =>
    s.jobOrder.some((id) => s.jobs[id]!.kind === 'workspace.integrity' && ['queued', 'running'].includes(s.jobs[id]!.status)),
  );

  useEffect(() => {
    void loadWorkspace();
    void loadDoctor();
  }, []);

  if (!summary) return <p className="loading">Loading workspace…</p>;
  const last = summary.lastIntegrityCheck;
  return (
    <Screen
      id="workspace"
      title="Workspace"
      head={
        <button type="button" className="primary" onClick={() => void startIntegrityCheck()} disabled={checkRunning}>
          {checkRunning ? 'Checking…' : 'Run integrity check'}
        </button>
      }
    >
      <StartChecklist />
      <div className="cards">
        <article className="card">
          <h2>Home</h2>
          <p className="mono" data-testid="home-path">
            {summary.home}
          </p>
          <dl>
            <dt>Database</dt>
            <dd>
              {formatBytes(summary.dbBytes)} · schema v{summary.schemaVersion}
            </dd>
            <dt>Stored files</dt>
            <dd>
              {summary.storedFiles.count} · {formatBytes(summary.storedFiles.bytes)}
            </dd>
          </dl>
        </article>
        <article className="card" data-testid="integrity-card">
          <h2>Integrity</h2>
          {!last ? (
            <p className="empty">Never checked. The check verifies the database and the hash of every stored file.</p>
          ) : (
            <p className={last.ok === false ? 'bad' : last.ok ? 'good' : ''} data-testid="integrity-status">
              {last.ok === true && 'Intact'}
              {last.ok === false && 'Problems found: open the job for the report'}
              {last.ok === null && `Last check ${last.status}`}
              <span className="muted small"> · {formatTime(last.finishedAt)}</span>
            </p>
          )}
          {last && last.unregistered !== null && last.unregistered > 0 && (
            <p className="small" data-testid="integrity-unregistered">
              {last.unregistered} file(s) in the home are not registered in the database (a copy left by a crash, or a file put there by
              hand). Open the job for the list; nothing was deleted.
            </p>
          )}
        </article>
        <article className="card">
          <h2>Jobs</h2>
          <dl>
            {Object.entries(summary.jobs)
              .filter(([, n]) => n > 0)
              .map(([status, n]) => (
                <div key={status} className="row">
                  <dt>{status}</dt>
                  <dd>{n}</dd>
                </div>
              ))}
          </dl>
          {Object.values(summary.jobs).every((n) => n === 0) && <p className="empty">No jobs have run yet.</p>}
        </article>
      </div>
      <h2>This machine</h2>
      {!doctor ? (
        <p className="loading">Checking capabilities…</p>
      ) : (
        <ul className="capabilities" data-testid="capabilities">
          {Object.entries(doctor.capabilities).map(([name, cap]) => (
            <li key={name} className={cap.available ? 'good' : 'missing'}>
              <strong>{CAPABILITY_LABELS[name] ?? name}</strong> {cap.available ? '✓' : '—'} <span className="small">{cap.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </Screen>
  );
}
