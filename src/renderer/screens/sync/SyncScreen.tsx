import { useEffect, useState } from 'react';
import type { BucketEntry, ConflictEntry, ConnectionTest, SyncRound, SyncRunOutput, SyncSettings } from '../../../shared/sync';
import { formatBytes, formatTime } from '../../components/format';
import { syncHeadline } from '../../components/SyncBadge';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { FormFeedback, useFormFeedback } from '../../components/FormFeedback';
import {
  fetchFromBucket,
  getSyncSettings,
  listBucket,
  listConflicts,
  listSyncRounds,
  resolveConflict,
  runSync,
  setSyncSettings,
  testSyncConnection,
} from '../../store/syncActions';
import { startJob } from '../../store/actions';
import { Screen } from '../../components/Screen';
import { Table } from '../../components/Table';

/**
 * Sync with the bucket: where things stand, the settings with a connection test, the conflicts
 * the lead resolves, the recorded rounds, and the bucket's videos and frame images.
 */
export function SyncScreen() {
  const status = useStore((s) => s.syncStatus);
  const codesVersion = useStore((s) => s.topicVersions.codes ?? 0);
  const [rounds, setRounds] = useState<SyncRound[]>([]);
  const [conflicts, setConflicts] = useState<ConflictEntry[]>([]);
  const [lastRun, setLastRun] = useState<SyncRunOutput | null>(null);
  const [running, setRunning] = useState(false);

  const refresh = () => {
    listSyncRounds({ limit: 20 }).then(({ rounds }) => setRounds(rounds), notifyError);
    listConflicts({}).then(({ conflicts }) => setConflicts(conflicts), notifyError);
  };
  useEffect(refresh, [status?.state, status?.generation, status?.openConflicts, codesVersion]);

  const syncNow = async () => {
    setRunning(true);
    try {
      setLastRun(await runSync({}));
    } catch (err) {
      notifyError(err);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Screen
      id="sync"
      title="Sync"
      head={
        <button type="button" className="primary" onClick={() => void syncNow()} disabled={running || !status || status.state === 'off'}>
          {running ? 'Syncing…' : 'Sync now'}
        </button>
      }
    >
      <div className="cards">
        <article className="card" data-testid="sync-status-card">
          <h2>Status</h2>
          {status && (
            <>
              <p className={`sync-state sync-${status.state}`} data-testid="sync-headline">
                {syncHeadline(status)}
              </p>
              {status.state === 'offline' && (
                <p className="bad" data-testid="sync-reason">
                  {status.message}
                </p>
              )}
              <dl>
                <dt>Bucket object</dt>
                <dd className="mono">{status.target ?? '—'}</dd>
                <dt>Generation</dt>
                <dd className="mono">{status.generation ?? '—'}</dd>
                <dt>Local edits not in the bucket</dt>
                <dd>{status.pendingEdits}</dd>
                <dt>Reports and snapshots now record</dt>
                <dd data-testid="sync-source">
                  {status.source.kind === 'bucket' ? 'the bucket' : 'the LOCAL copy'}
                  {status.source.generation ? ` (generation ${status.source.generation})` : ''}
                </dd>
              </dl>
            </>
          )}
          {lastRun && (
            <p data-testid="sync-last-run" className={lastRun.offline ? 'bad' : 'good'}>
              {lastRun.offline
                ? `Not synced: ${lastRun.reason}`
                : `${lastRun.downloaded} rows down, ${lastRun.uploaded ? `${lastRun.uploaded} up` : 'nothing to upload'}, ${lastRun.merged} codes merged, ${lastRun.conflicts.length} conflicts.`}
            </p>
          )}
        </article>
        <SettingsCard />
        <ConflictsCard conflicts={conflicts} onResolved={refresh} />
        <article className="card card-wide">
          <h2>Rounds</h2>
          {rounds.length === 0 ? (
            <p className="empty">No rounds yet.</p>
          ) : (
            <Table
              columns={['When', 'Trigger', 'Outcome', 'Rows in / out', 'Merged', 'Conflicts', 'Generation']}
              items={rounds}
              testId="sync-rounds"
              row={(r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.finishedAt)}</td>
                  <td>{r.trigger}</td>
                  <td className={r.outcome === 'synced' ? 'good' : 'bad'} title={r.message ?? ''}>
                    {r.outcome === 'synced' ? 'synced' : `not synced: ${r.problem}`}
                  </td>
                  <td>
                    {r.rowsIn} / {r.rowsOut}
                  </td>
                  <td>{r.merged}</td>
                  <td>{r.conflicts}</td>
                  <td className="mono">{r.generation ?? '—'}</td>
                </tr>
              )}
            />
          )}
        </article>
        <BucketFilesCard />
      </div>
    </Screen>
  );
}

function SettingsCard() {
  const [form, setForm] = useState<SyncSettings | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [testing, setTesting] = useState(false);
  const [saved, setSaved] = useState(false);
  const saveForm = useFormFeedback();
  useEffect(() => {
    getSyncSettings().then(setForm, notifyError);
  }, []);
  if (!form) return null;
  const field = (key: 'bucket' | 'object' | 'videoPrefix' | 'framesPrefix' | 'keyFile', label: string, placeholder = '') => (
    <label className="wide">
      {label}
      <input aria-label={label} value={form[key]} placeholder={placeholder} onChange={(e) => edit({ ...form, [key]: e.target.value })} />
    </label>
  );
  // A changed setting makes the last save and the last connection test stale: they go.
  const edit = (next: SyncSettings) => {
    setSaved(false);
    setTest(null);
    saveForm.clear();
    setForm(next);
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const stored = await saveForm.run(() => setSyncSettings(form));
    if (stored) {
      setForm(stored);
      setSaved(true);
    }
  };
  const testConnection = async () => {
    setTesting(true);
    setTest(null);
    const result = await saveForm.run(() => testSyncConnection({ settings: form }));
    if (result) setTest(result);
    setTesting(false);
  };
  return (
    <article className="card">
      <h2>Settings</h2>
      <form className="form" onSubmit={(e) => void save(e)}>
        {field('bucket', 'Bucket', 'e.g. lab-annotations (empty: sync off)')}
        {field('object', 'Object path', 'annotations.csv')}
        {field('videoPrefix', 'Video prefix (optional)', 'videos/')}
        {field('framesPrefix', 'Frame images prefix (optional)', 'frames/')}
        {field('keyFile', 'Service-account key file (path; empty: application default credentials)', '/path/to/key.json')}
        <label>
          Sync every (minutes, 0 = off)
          <input
            aria-label="Interval minutes"
            type="number"
            min={0}
            value={form.intervalMinutes}
            onChange={(e) => edit({ ...form, intervalMinutes: Math.max(0, Math.round(Number(e.target.value) || 0)) })}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.afterSave} onChange={(e) => edit({ ...form, afterSave: e.target.checked })} />
          Sync after each save
        </label>
        <div className="row">
          <button type="submit" className="primary">
            Save
          </button>
          <button type="button" onClick={() => void testConnection()} disabled={testing || !form.bucket}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          {saved && (
            <span className="good" role="status">
              Saved
            </span>
          )}
        </div>
        <FormFeedback feedback={saveForm.feedback} testId="sync-settings-feedback" />
      </form>
      {test && (
        <p className={test.ok ? 'good' : 'bad'} data-testid="sync-test-result" data-problem={test.problem ?? ''}>
          {test.message}
          {test.credentials ? <span className="muted small"> Credentials: {test.credentials}.</span> : null}
        </p>
      )}
      <p className="muted small">Credentials are never stored: only the key file's path, and nothing of it is logged or exported.</p>
    </article>
  );
}

function ConflictsCard({ conflicts, onResolved }: { conflicts: ConflictEntry[]; onResolved: () => void }) {
  const resolve = async (id: number, value: string) => {
    try {
      await resolveConflict({ id, value });
      onResolved();
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <article className="card card-wide" data-testid="sync-conflicts">
      <h2>Conflicts</h2>
      {conflicts.length === 0 ? (
        <p className="empty">No open conflicts. A conflict is a code edited here and in the bucket since the last sync.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Frame</th>
              <th>Coder</th>
              <th>Dimension</th>
              <th>Here</th>
              <th>Bucket</th>
              <th>Applied (newer)</th>
              <th>Keep</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.map((c) => (
              <tr key={c.id} data-testid="sync-conflict">
                <td className="mono">{c.frameId}</td>
                <td>{c.coder}</td>
                <td>{c.dimension}</td>
                <td title={c.localAt ?? ''}>{c.local ?? '—'}</td>
                <td title={c.remoteAt ?? ''}>{c.remote ?? '—'}</td>
                <td>{c.current ?? c.applied ?? '—'}</td>
                <td className="row">
                  {[...new Set([c.local, c.remote].filter((v): v is string => v !== null))].map((v) => (
                    <button key={v} type="button" onClick={() => void resolve(c.id, v)}>
                      {v}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function BucketFilesCard() {
  const [kind, setKind] = useState<'videos' | 'frames'>('frames');
  const [entries, setEntries] = useState<BucketEntry[] | null>(null);
  const [prefix, setPrefix] = useState('');
  const [busy, setBusy] = useState(false);
  const list = async (which: 'videos' | 'frames') => {
    setKind(which);
    setBusy(true);
    try {
      const result = await listBucket({ kind: which });
      setEntries(result.entries);
      setPrefix(result.prefix);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const fetchNames = async (names: string[]) => {
    setBusy(true);
    try {
      const result = await fetchFromBucket({ kind, names });
      if (kind === 'videos') {
        await startJob({ kind: 'media.import', params: { paths: result.files.map((f) => f.path) } });
        useStore.getState().setJobsPanelOpen(true);
      } else {
        useStore
          .getState()
          .notify(
            'info',
            `${result.files.length} images downloaded (checked against their MD5/CRC32C); ${result.linked} linked to their frames.`,
          );
      }
      await list(kind);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card card-wide">
      <h2>Videos and frames in the bucket</h2>
      <div className="row">
        <button type="button" onClick={() => void list('frames')} disabled={busy}>
          List frame images
        </button>
        <button type="button" onClick={() => void list('videos')} disabled={busy}>
          List videos
        </button>
        {entries && entries.length > 0 && (
          <button
            type="button"
            onClick={() => void fetchNames(entries.filter((e) => !e.cached).map((e) => e.name))}
            disabled={busy || entries.every((e) => e.cached)}
          >
            {kind === 'videos' ? 'Download and import the rest' : 'Download the rest'}
          </button>
        )}
      </div>
      {entries &&
        (entries.length === 0 ? (
          <p className="empty">
            No {kind === 'videos' ? 'videos' : 'frame images (<frame_id>.jpg|png)'} under “{prefix}”.
          </p>
        ) : (
          <Table
            columns={['Object', 'Size', 'Frame known here', 'Cached', '']}
            items={entries}
            testId="bucket-entries"
            row={(e) => (
              <tr key={e.name}>
                <td className="mono">{e.name}</td>
                <td>{formatBytes(e.size)}</td>
                {kind === 'frames' && <td>{e.known ? 'yes' : 'no'}</td>}
                <td>{e.cached ? 'yes' : 'no'}</td>
                <td>
                  <button type="button" onClick={() => void fetchNames([e.name])} disabled={busy}>
                    {kind === 'videos' ? 'Download and import' : e.cached ? 'Verify' : 'Download'}
                  </button>
                </td>
              </tr>
            )}
          />
        ))}
    </article>
  );
}
