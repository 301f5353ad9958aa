import { useEffect, useState } from 'react';
import type { Dimension } from '../../../shared/coding';
import type { Disagreement } from '../../../shared/gold';
import { fileUrl } from '../../api/client';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { leadPerson } from '../../store/role';
import { adjudicate, listDisagreements } from '../../store/reliabilityActions';

/** The frames where coders differ, both codes side by side; the lead decides each one. */
export function DisagreementGallery({ dimension, pair, setPair }: { dimension: Dimension; pair: string; setPair: (pair: string) => void }) {
  const goldVersion = useStore((s) => s.topicVersions.gold ?? 0);
  const codesVersion = useStore((s) => s.topicVersions.codes ?? 0);
  const [items, setItems] = useState<Disagreement[] | null>(null);

  useEffect(() => {
    const chosen = pair ? (pair.split(' ↔ ') as [string, string]) : undefined;
    listDisagreements({ dimension: dimension.name, pair: chosen }).then(({ disagreements }) => setItems(disagreements), notifyError);
  }, [dimension.name, pair, goldVersion, codesVersion]);

  const order = dimension.categories.map((c) => c.value);
  const pairs = [
    ...new Set(
      (items ?? []).map((d) => [...new Set(Object.values(d.codes))].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(' ↔ ')),
    ),
  ];

  return (
    <section aria-label="Disagreements" id="disagreements">
      <header className="screen-head">
        <h2>Disagreements</h2>
        <label className="small">
          Category pair{' '}
          <select aria-label="Category pair" value={pair} onChange={(e) => setPair(e.target.value)}>
            <option value="">all</option>
            {(pair ? [pair] : pairs).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </header>
      {!items ? (
        <p className="loading">Loading…</p>
      ) : items.length === 0 ? (
        <p className="empty">No disagreements{pair ? ' for this pair' : ''}: every frame coded twice agrees.</p>
      ) : (
        <ul className="gallery" data-testid="gallery">
          {items.map((d) => (
            <DisagreementCard key={d.frameId} item={d} dimension={dimension} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DisagreementCard({ item, dimension }: { item: Disagreement; dimension: Dimension }) {
  const [other, setOther] = useState('');
  const [note, setNote] = useState(item.adjudicated?.note ?? '');
  const decide = async (code: string) => {
    try {
      await adjudicate({ frameId: item.frameId, dimension: dimension.name, code, note, decidedBy: leadPerson(useStore.getState().role) });
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <li className="card disagreement" data-testid="disagreement" data-frame-id={item.frameId}>
      <div className="thumb">
        {item.image ? <img src={fileUrl(item.image)} alt={`Frame ${item.frameId}`} /> : <span className="muted small">image missing</span>}
      </div>
      <div className="disagreement-body">
        <strong>{item.frameId}</strong>
        <div className="codes">
          {Object.entries(item.codes).map(([coder, code]) => (
            <button key={coder} type="button" onClick={() => void decide(code)} className={item.adjudicated?.code === code ? 'chosen' : ''}>
              {coder}: {code}
            </button>
          ))}
        </div>
        <div className="other">
          <select aria-label="Another category" value={other} onChange={(e) => setOther(e.target.value)}>
            <option value="">another…</option>
            {dimension.categories.map((c) => (
              <option key={c.id} value={c.value}>
                {c.value}
              </option>
            ))}
          </select>
          <button type="button" disabled={!other} onClick={() => void decide(other)}>
            Decide
          </button>
        </div>
        <input aria-label="Note" placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
        {item.adjudicated && (
          <p className="good small" data-testid="decision">
            Gold: {item.adjudicated.code}
            {item.adjudicated.note ? ` — ${item.adjudicated.note}` : ''}
            {item.adjudicated.decidedBy ? ` (decided by ${item.adjudicated.decidedBy})` : ''}
          </p>
        )}
      </div>
    </li>
  );
}
