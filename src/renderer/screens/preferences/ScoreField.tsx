import type { MouseEvent } from 'react';
import { useStore } from '../../store';
import { selectField, setScore } from '../../store/ratingActions';
import { FIELD_KEYS, FIELD_LABELS, formatScore, MAX_SCORE, scoreAt, type ScoreField as Field } from '../../store/rateScores';

const TICKS = Array.from({ length: MAX_SCORE + 1 }, (_, i) => i);

/** One score: its key, a 0–10 scale (click to set, to the nearest half) and the value large. */
export function ScoreField({ field }: { field: Field }) {
  const value = useStore((s) => s.rateDraft[field]);
  const selected = useStore((s) => s.rateField === field);
  const label = FIELD_LABELS[field];
  const onScale = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    selectField(field);
    setScore(field, scoreAt((e.clientX - box.left) / box.width));
  };
  return (
    <div className={`score-field${selected ? ' selected' : ''}`} data-testid={`score-${field}`} onClick={() => selectField(field)}>
      <span className="score-label">
        <kbd>{FIELD_KEYS[field].toUpperCase()}</kbd> {label}
        {field === 'overall' ? <span className="muted small"> required</span> : <span className="muted small"> optional</span>}
      </span>
      <strong className="score-value" data-testid={`score-${field}-value`}>
        {formatScore(value)}
      </strong>
      <div
        role="slider"
        tabIndex={-1}
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={MAX_SCORE}
        aria-valuenow={value ?? undefined}
        aria-valuetext={value === null ? 'not set' : formatScore(value)}
        className="scale"
        onClick={onScale}
      >
        <div className="scale-fill" style={{ width: `${((value ?? 0) / MAX_SCORE) * 100}%` }} />
        {TICKS.map((t) => (
          <span key={t} className="scale-tick" style={{ left: `${(t / MAX_SCORE) * 100}%` }} />
        ))}
      </div>
    </div>
  );
}
