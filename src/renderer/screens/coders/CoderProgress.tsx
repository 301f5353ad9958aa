import { useEffect, useState } from 'react';
import type { Coder, QueueCounts } from '../../../shared/coding';
import { useStore } from '../../store';
import { queuePage } from '../../store/codingActions';
import './coderProgress.css';

/**
 * The lead's view of each coder's progress: coded of assigned, with what still waits on them
 * (frames marked unsure, re-codes). Read from each coder's queue counts, the numbers the coder
 * sees on their own tabs; refreshed when codes or assignments change.
 */
export function CoderProgress({ coders }: { coders: Coder[] }) {
  const progress = useCoderCounts(coders);
  if (coders.length === 0) return null;
  return (
    <table className="coder-progress" data-testid="coder-progress">
      <thead>
        <tr>
          <th scope="col">Coder</th>
          <th scope="col">Coded</th>
          <th scope="col">Unsure</th>
          <th scope="col">Re-code</th>
        </tr>
      </thead>
      <tbody>
        {coders.map((c) => {
          const counts = progress.get(c.coderId);
          const share = counts && counts.assigned > 0 ? counts.done / counts.assigned : 0;
          return (
            <tr key={c.coderId} data-testid={`progress-${c.coderId}`}>
              <th scope="row">
                {c.coderId} {c.name !== c.coderId && <span className="muted">{c.name}</span>} <span className="badge">{c.role}</span>
              </th>
              <td>
                {counts ? (
                  counts.assigned === 0 ? (
                    <span className="muted">nothing assigned</span>
                  ) : (
                    <>
                      <span className="progress-text">
                        {counts.done} / {counts.assigned} ({Math.floor(share * 100)} %)
                      </span>
                      <div className="progress" aria-hidden="true">
                        <div className="progress-fill" style={{ width: `${share * 100}%` }} />
                      </div>
                    </>
                  )
                ) : (
                  <span className="muted">…</span>
                )}
              </td>
              <td>{counts?.flagged ?? ''}</td>
              <td>{counts?.recode ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function useCoderCounts(coders: Coder[]): Map<string, QueueCounts> {
  const [counts, setCounts] = useState(new Map<string, QueueCounts>());
  const codes = useStore((s) => s.topicVersions.codes ?? 0);
  const assignments = useStore((s) => s.topicVersions.assignments ?? 0);
  const ids = coders.map((c) => c.coderId).join('\n');
  useEffect(() => {
    if (ids === '') return;
    let current = true;
    // A lab has a handful of coders: one small queue call each (limit 1) gives their counts.
    void Promise.all(
      ids.split('\n').map((coderId) =>
        queuePage({ coderId, filter: 'all', limit: 1 }).then(
          (r) => [coderId, r.counts] as const,
          () => null,
        ),
      ),
    ).then((rows) => current && setCounts(new Map(rows.filter((r) => r !== null))));
    return () => {
      current = false;
    };
  }, [ids, codes, assignments]);
  return counts;
}
