import { useState } from 'react';
import { DEFAULT_TRAIN, type TrainOptions } from '../../../store/preferenceActions';

/**
 * A new version with options: Ridge or random forest, top K features by |r|, the spec's
 * pruning (drop |r| < 0.1), sub-scores, notes, and the least eligible ratings the job accepts
 * (the spec's 200 for a first model). The model is registered, never activated on its own.
 */
export function TrainForm({
  eligible,
  training,
  onTrain,
}: {
  eligible: number;
  training: boolean;
  onTrain: (options: TrainOptions) => void;
}) {
  const [o, setO] = useState<TrainOptions>(DEFAULT_TRAIN);
  const [prune, setPrune] = useState(false);
  const [pruneAt, setPruneAt] = useState(0.1);
  const set = <K extends keyof TrainOptions>(key: K, value: TrainOptions[K]) => setO((prev) => ({ ...prev, [key]: value }));
  const tooFew = eligible < o.minRatings;
  return (
    <form
      className="card form pm-train-form"
      aria-labelledby="pm-train-title"
      data-testid="pm-train-form"
      onSubmit={(e) => {
        e.preventDefault();
        onTrain({ ...o, prune: prune ? pruneAt : null, notes: o.notes.trim() });
      }}
    >
      <h3 id="pm-train-title" className="pm-form-title">
        Train a new version
      </h3>
      <label>
        Model
        <select value={o.kind} onChange={(e) => set('kind', e.target.value as TrainOptions['kind'])} aria-label="Model kind">
          <option value="ridge">Ridge (α = 1)</option>
          <option value="random_forest">random forest (100 trees)</option>
        </select>
      </label>
      <label>
        Top K features
        <input
          type="number"
          min={1}
          max={1000}
          value={o.top}
          onChange={(e) => set('top', Math.max(1, Number(e.target.value) || 1))}
          aria-label="Top K features"
          className="pm-num-input"
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={prune} onChange={(e) => setPrune(e.target.checked)} aria-label="Prune weak features" /> Prune |r|
        &lt;
      </label>
      <label>
        <span className="sr-only">Prune threshold</span>
        <input
          type="number"
          min={0}
          max={1}
          step={0.05}
          value={pruneAt}
          disabled={!prune}
          onChange={(e) => setPruneAt(Number(e.target.value))}
          aria-label="Prune threshold"
          className="pm-num-input"
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={o.multiOutput} onChange={(e) => set('multiOutput', e.target.checked)} /> Sub-scores (hook, pacing,
        payoff)
      </label>
      <label>
        Minimum ratings
        <input
          type="number"
          min={3}
          value={o.minRatings}
          onChange={(e) => set('minRatings', Math.max(3, Number(e.target.value) || 3))}
          aria-label="Minimum eligible ratings"
          className="pm-num-input"
        />
      </label>
      <label className="wide">
        Notes
        <input
          type="text"
          value={o.notes}
          maxLength={2000}
          onChange={(e) => set('notes', e.target.value)}
          placeholder="What this version tries (kept with the model)"
          aria-label="Notes"
        />
      </label>
      <button type="submit" className="primary" disabled={training} data-testid="pm-train-button">
        {training ? 'Training…' : 'Train'}
      </button>
      <p className={`small ${tooFew ? 'missing' : 'muted'}`}>
        {eligible} eligible ratings
        {tooFew
          ? `: fewer than ${o.minRatings}, the job will refuse (the spec's first model needs 200).`
          : '. The new version is registered; activating it is up to you.'}
      </p>
    </form>
  );
}
