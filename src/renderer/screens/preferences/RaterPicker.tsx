import { useEffect, useRef, useState } from 'react';
import { RATER_TYPES, type RaterType } from '../../../shared/preference';
import { useStore } from '../../store';
import { chooseRater } from '../../store/ratingActions';

/**
 * Who is rating: an id (letters, digits and . _ @ -) and whether they are the channel owner
 * (only the owner's ratings train the model) or someone else. Remembered on this machine;
 * Enter starts, and the keyboard goes back to rating.
 */
export function RaterPicker({
  initialRater,
  initialType,
  onDone,
  onCancel,
}: {
  initialRater: string;
  initialType: RaterType;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const coders = useStore((s) => s.coders);
  const [rater, setRater] = useState(initialRater || 'owner');
  const [raterType, setRaterType] = useState<RaterType>(initialType);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const start = async () => {
    const found = await chooseRater(rater, raterType);
    setProblem(found);
    if (!found) {
      (document.activeElement as HTMLElement | null)?.blur();
      onDone();
    }
  };
  return (
    <form
      className="form rater-picker card"
      aria-label="Who is rating"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onCancel) onCancel();
      }}
    >
      <h2>Who is rating?</h2>
      <p className="muted small">
        Framelab remembers it on this machine. Only ratings of the type <em>owner</em> teach the preference model; anyone else rates as{' '}
        <em>other</em>.
      </p>
      <label>
        Rater id
        <input ref={ref} aria-label="Rater id" value={rater} list="rater-suggestions" onChange={(e) => setRater(e.target.value)} />
        <datalist id="rater-suggestions">
          <option value="owner" />
          {coders.map((c) => (
            <option key={c.coderId} value={c.coderId} />
          ))}
        </datalist>
      </label>
      <fieldset className="rater-type">
        <legend>Type</legend>
        {RATER_TYPES.map((t) => (
          <label key={t} className="check">
            <input type="radio" name="rater-type" value={t} checked={raterType === t} onChange={() => setRaterType(t)} /> {t}
          </label>
        ))}
      </fieldset>
      <div className="note-actions">
        <button type="submit" className="primary">
          Start rating (Enter)
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel (Esc)
          </button>
        )}
      </div>
      {problem && (
        <p className="bad small" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
