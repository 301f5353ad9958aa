import type { CodingFrame, Dimension } from '../../../shared/coding';
import { useStore } from '../../store';

/** One dimension: its categories in codebook order, each with its key; saved and draft values marked. */
export function DimensionPanel({
  dimension,
  frame,
  onPick,
}: {
  dimension: Dimension;
  frame: CodingFrame;
  onPick: (value: string) => void;
}) {
  const drafted = useStore((s) => s.draft[dimension.name]);
  // A frame whose save is still in flight shows its codes as saving, not saved.
  const pending = useStore((s) => s.pendingSaves.includes(frame.frameId));
  const saved = frame.codes[dimension.name];
  const recode = frame.recode.includes(dimension.name);
  return (
    <fieldset className="dimension" data-testid={`dimension-${dimension.name}`}>
      <legend>
        {dimension.label} <span className="muted small">{dimension.level}</span>
        {recode && <span className="badge badge-failed">re-code</span>}
      </legend>
      <div className="categories">
        {dimension.categories.map((c) => {
          const state = drafted === c.value ? 'draft' : drafted === undefined && saved === c.value ? (pending ? 'saving' : 'saved') : '';
          return (
            <button
              key={c.id}
              type="button"
              className={`category ${state}`}
              aria-pressed={state !== ''}
              title={c.description}
              onClick={() => onPick(c.value)}
            >
              <kbd>{c.shortcut.toUpperCase()}</kbd> {c.value}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}
