import { useEffect, useState } from 'react';
import type { CorrelationReport } from '../../../../shared/preferenceModel';
import type { CorrelationSnapshotSummary } from '../../../../shared/preferenceWorkflow';
import { notifyError } from '../../../store/notifyError';
import { ExpectedEditor } from './ExpectedEditor';
import { FeatureTable, TopList } from './FeatureTable';
import { formatDate } from './format';
import { usePreferenceRead } from '../../../store/usePreferenceRead';
import { correlate, getSnapshot } from '../../../store/preferenceActions';

/** What the section shows: a run's report or a stored snapshot's, with where it came from. */
export interface ShownCorrelations {
  report: CorrelationReport;
  snapshotId: number;
  notes: string[];
  /** True when it is the run just made in this window. */
  fresh: boolean;
}

/**
 * Correlations of every feature with the owner's overall rating: run (a snapshot is stored
 * each time), the top 20 each way, the whole table, the expected list checked and editable,
 * and the earlier snapshots with their rating counts (any one can be opened).
 */
export function CorrelationsSection({ shown, onShow }: { shown: ShownCorrelations | null; onShow: (s: ShownCorrelations) => void }) {
  const [running, setRunning] = useState(false);
  const { data: expected } = usePreferenceRead('preference.expected.get');
  const { data: snapshots } = usePreferenceRead('preference.snapshots.list', { limit: 50 });
  const list = snapshots?.snapshots ?? [];

  // Opening the tab shows the latest snapshot until a run is made.
  const latestId = list[0]?.id ?? null;
  useEffect(() => {
    if (shown || latestId === null) return;
    void openSnapshot(latestId, onShow);
  }, [shown, latestId, onShow]);

  const run = async () => {
    setRunning(true);
    try {
      const r = await correlate({});
      onShow({
        report: {
          ratings: r.ratings,
          features: r.features,
          topPositive: r.topPositive,
          topNegative: r.topNegative,
          expected: r.expected,
          dropped: r.dropped,
          mixed: r.mixed,
        },
        snapshotId: r.snapshotId,
        notes: r.notes,
        fresh: true,
      });
    } catch (err) {
      notifyError(err);
    } finally {
      setRunning(false);
    }
  };

  const meta = shown ? list.find((s) => s.id === shown.snapshotId) : undefined;
  return (
    <div className="pm-correlations" data-testid="pm-correlations">
      <div className="pm-toolbar">
        <button type="button" className="primary" onClick={() => void run()} disabled={running} data-testid="pm-run-correlations">
          {running ? 'Correlating…' : 'Run correlations'}
        </button>
        {shown ? (
          <span className="muted" data-testid="pm-correlations-source">
            {shown.fresh ? 'This run' : 'Snapshot'} #{shown.snapshotId}: {shown.report.ratings} ratings
            {meta && ` · ${meta.analysisVersion} · ${formatDate(meta.createdAt)}`}
          </span>
        ) : (
          <span className="muted">No correlations yet: run them (the spec starts at 100 eligible ratings; 3 is the least that works).</span>
        )}
      </div>
      {shown && shown.notes.length > 0 && (
        <ul className="notes small missing">
          {shown.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {shown && (
        <div className="pm-tops">
          <TopList title={`Top ${shown.report.topPositive.length} positive`} features={shown.report.topPositive} testId="pm-top-positive" />
          <TopList title={`Top ${shown.report.topNegative.length} negative`} features={shown.report.topNegative} testId="pm-top-negative" />
        </div>
      )}
      {expected && <ExpectedEditor saved={expected} features={shown?.report.features ?? null} checks={shown?.report.expected} />}
      {shown && <FeatureTable features={shown.report.features} />}
      {shown && shown.report.dropped.length > 0 && (
        <details className="pm-dropped">
          <summary>{shown.report.dropped.length} keys dropped before correlating (coverage under 50 % or free text)</summary>
          <ul className="small">
            {shown.report.dropped.map((d) => (
              <li key={d.key}>
                <span className="mono">{d.key}</span> — {d.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
      <Snapshots list={list} shownId={shown?.snapshotId ?? null} onOpen={(id) => void openSnapshot(id, onShow)} />
    </div>
  );
}

async function openSnapshot(id: number, onShow: (s: ShownCorrelations) => void) {
  try {
    const snap = await getSnapshot({ id });
    onShow({ report: snap.report, snapshotId: snap.id, notes: [], fresh: false });
  } catch (err) {
    notifyError(err);
  }
}

function Snapshots({
  list,
  shownId,
  onOpen,
}: {
  list: CorrelationSnapshotSummary[];
  shownId: number | null;
  onOpen: (id: number) => void;
}) {
  return (
    <section aria-labelledby="pm-snapshots-title">
      <h3 id="pm-snapshots-title">Snapshots</h3>
      {list.length === 0 ? (
        <p className="empty">None yet: every run stores one with its rating count.</p>
      ) : (
        <table className="table pm-table" data-testid="pm-snapshots">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Created</th>
              <th scope="col" className="num">
                Ratings
              </th>
              <th scope="col">Analysis</th>
              <th scope="col" className="num">
                Significant
              </th>
              <th scope="col" className="num">
                Confirmed
              </th>
              <th scope="col" className="num">
                Opposite
              </th>
              <th scope="col">
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-snapshot={s.id} className={s.id === shownId ? 'selected' : ''}>
                <td className="num">{s.id}</td>
                <td>{formatDate(s.createdAt)}</td>
                <td className="num">{s.ratings}</td>
                <td>
                  {s.analysisVersion} · ≥ {s.minFeatures}
                </td>
                <td className="num">{s.significant}</td>
                <td className="num good">{s.confirmed}</td>
                <td className={`num ${s.opposite ? 'bad' : ''}`}>{s.opposite}</td>
                <td>
                  {s.id === shownId ? (
                    <span className="muted small">shown</span>
                  ) : (
                    <button type="button" onClick={() => onOpen(s.id)} aria-label={`Open snapshot ${s.id}`}>
                      Open
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
