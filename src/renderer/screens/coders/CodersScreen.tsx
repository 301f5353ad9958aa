import { useEffect, useState } from 'react';
import { useStore } from '../../store';
import { createAssignments, loadCodingSetup, upsertCoder } from '../../store/codingActions';
import { notifyError } from '../../store/notifyError';
import { CoderProgress } from './CoderProgress';
import { Screen } from '../../components/Screen';

/** The lead's setup: coder profiles, and the assignment of frames with an overlap set. */
export function CodersScreen() {
  const coders = useStore((s) => s.coders);
  const [coderId, setCoderId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<'coder' | 'lead'>('coder');
  const [chosen, setChosen] = useState<string[]>([]);
  const [overlapPct, setOverlapPct] = useState(20);
  const [seed, setSeed] = useState(1);
  const [result, setResult] = useState<string | null>(null);

  useEffect(() => {
    void loadCodingSetup();
  }, []);

  const addCoder = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      await upsertCoder({ coderId: coderId.trim(), name: name.trim() || undefined, role });
      setCoderId('');
      setName('');
      await loadCodingSetup();
    } catch (err) {
      notifyError(err);
    }
  };

  const assign = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const r = await createAssignments({ coderIds: chosen, overlap: { fraction: overlapPct / 100, seed } });
      const per = Object.entries(r.perCoder)
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ');
      setResult(
        r.pool === 0 ? 'Every frame is already assigned.' : `Assigned ${r.pool} frames, ${r.overlap} coded by every chosen coder (${per}).`,
      );
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <Screen id="coders" title="Coders">
      <div className="cards">
        <article className="card">
          <h2>Coders</h2>
          {coders.length === 0 ? (
            <p className="empty">No coders yet: add the people who code frames.</p>
          ) : (
            <div data-testid="coder-list">
              <CoderProgress coders={coders} />
            </div>
          )}
          <form className="form" onSubmit={(e) => void addCoder(e)}>
            <label>
              Id <input value={coderId} onChange={(e) => setCoderId(e.target.value)} placeholder="coder_a" required />
            </label>
            <label>
              Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="optional" />
            </label>
            <label>
              Role{' '}
              <select value={role} onChange={(e) => setRole(e.target.value as 'coder' | 'lead')}>
                <option value="coder">coder</option>
                <option value="lead">lead</option>
              </select>
            </label>
            <button type="submit">Add coder</button>
          </form>
        </article>
        <article className="card">
          <h2>Assign frames</h2>
          <p className="muted small">
            Splits every frame nobody has yet between the chosen coders. The overlap share is coded by all of them, blind, for reliability.
          </p>
          <form className="form" onSubmit={(e) => void assign(e)}>
            <fieldset>
              <legend>Coders</legend>
              {coders.map((c) => (
                <label key={c.coderId} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(c.coderId)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, c.coderId] : chosen.filter((x) => x !== c.coderId))}
                  />{' '}
                  {c.coderId}
                </label>
              ))}
            </fieldset>
            <label>
              Overlap % <input type="number" min={0} max={100} value={overlapPct} onChange={(e) => setOverlapPct(Number(e.target.value))} />
            </label>
            <label>
              Seed <input type="number" value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
            </label>
            <button type="submit" className="primary" disabled={chosen.length === 0}>
              Assign
            </button>
          </form>
          {result && <p data-testid="assign-result">{result}</p>}
        </article>
      </div>
    </Screen>
  );
}
