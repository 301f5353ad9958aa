import { useEffect, useState } from 'react';
import type { GoldSnapshotSummary } from '../../../shared/gold';
import { deliverExport, describeOutcome } from '../../api/exportDelivery';
import { ExportDestination } from '../../components/ExportDestination';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { exportGold, listGold, snapshotGold } from '../../store/reliabilityActions';
import { Table } from '../../components/Table';

/** Freeze the gold set into a snapshot (what fine-tuning trains on) and export one as CSV. */
export function GoldPanel({ dimension }: { dimension: string }) {
  const notify = useStore((s) => s.notify);
  const goldVersion = useStore((s) => s.topicVersions.gold ?? 0);
  const [snapshots, setSnapshots] = useState<GoldSnapshotSummary[]>([]);
  const [out, setOut] = useState('');

  useEffect(() => {
    listGold({ dimension }).then(({ snapshots: list }) => setSnapshots(list), notifyError);
  }, [dimension, goldVersion]);

  const freeze = () => snapshotGold({ dimension }).catch(notifyError);
  const exportCsv = async (snapshotId: string) => {
    try {
      let rows = 0;
      const outcome = await deliverExport(
        {
          fileName: `gold_${snapshotId}.csv`,
          produce: async (file, overwrite) => {
            const result = await exportGold({ snapshotId, out: file, overwrite });
            rows = result.rows;
            return [result.file];
          },
        },
        out,
      );
      if (outcome) notify('info', `${rows} gold frames: ${describeOutcome(outcome)}`);
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <section aria-label="Gold set">
      <header className="screen-head">
        <h2>Gold set</h2>
        <button type="button" className="primary" onClick={() => void freeze()}>
          Freeze a gold snapshot
        </button>
      </header>
      <p className="muted small">Agreed frames plus adjudicated ones, each with its provenance. A snapshot never changes.</p>
      {snapshots.length === 0 ? (
        <p className="empty">No snapshot of {dimension} yet.</p>
      ) : (
        <Table
          columns={['Snapshot', 'Frames', 'Agreed / adjudicated', 'By class', 'Export']}
          items={snapshots}
          testId="snapshots"
          row={(s) => (
            <tr key={s.id}>
              <td className="mono">{s.id}</td>
              <td>{s.frames}</td>
              <td>
                {s.bySource.agreed} / {s.bySource.adjudicated}
              </td>
              <td className="small">
                {Object.entries(s.byClass)
                  .map(([c, n]) => `${c} ${n}`)
                  .join(' · ')}
              </td>
              <td>
                <button type="button" onClick={() => void exportCsv(s.id)}>
                  CSV
                </button>
              </td>
            </tr>
          )}
        />
      )}
      <ExportDestination folder={out} onChange={setOut} placeholder="/path/gold" name="Gold snapshot folder" />
    </section>
  );
}
