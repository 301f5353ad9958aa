import { useCallback } from 'react';
import { useStore } from '../../store';
import { pressCategory, step, toggleUnsure, undo } from '../../store/codingActions';
import { usePlainKeys } from '../../usePlainKeys';

/**
 * The coding view's keys: each category's shortcut, Z/Backspace undo, arrows navigate,
 * U flags unsure, N opens the note, Esc clears the draft. Modifier chords are left to the app.
 */
export function useCodingKeys({ onNote, enabled }: { onNote: () => void; enabled: boolean }): void {
  const onKey = useCallback(
    (key: string) => {
      const state = useStore.getState();
      const category = state.codebook?.dimensions
        .flatMap((d) => d.categories.map((c) => ({ dimension: d.name, value: c.value, shortcut: c.shortcut })))
        .find((c) => c.shortcut === key);
      if (category) void pressCategory(category.dimension, category.value);
      else if (key === 'z' || key === 'Backspace') void undo();
      else if (key === 'ArrowRight' || key === 'ArrowDown') void step(1);
      else if (key === 'ArrowLeft' || key === 'ArrowUp') void step(-1);
      else if (key === 'u') void toggleUnsure();
      else if (key === 'n') onNote();
      else if (key === 'Escape') state.setDraft({});
      else return false;
      return true;
    },
    [onNote],
  );
  usePlainKeys(onKey, enabled);
}
