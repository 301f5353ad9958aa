import { useCallback } from 'react';
import { useStore } from '../../store';
import { pressCategory, step, toggleUnsure, undo } from '../../store/codingActions';
import { usePlainKeys } from '../../usePlainKeys';
import { codingCommandFor, type CodingCommand } from './codingKeys';
import { zoomFromKeys } from './frameZoom';

/**
 * The coding view's keys: each category's shortcut, then CODING_BINDINGS (undo, navigation,
 * unsure, note, zoom). Modifier chords are left to the app.
 */
export function useCodingKeys({ onNote, enabled }: { onNote: () => void; enabled: boolean }): void {
  const onKey = useCallback(
    (key: string) => {
      const state = useStore.getState();
      const category = state.codebook?.dimensions
        .flatMap((d) => d.categories.map((c) => ({ dimension: d.name, value: c.value, shortcut: c.shortcut })))
        .find((c) => c.shortcut === key);
      if (category) {
        void pressCategory(category.dimension, category.value);
        return true;
      }
      const command = codingCommandFor(key);
      if (!command) return false;
      const run: Record<CodingCommand, () => void> = {
        undo: () => void undo(),
        next: () => void step(1),
        previous: () => void step(-1),
        unsure: () => void toggleUnsure(),
        note: onNote,
        clear: () => state.setDraft({}),
        zoomIn: () => zoomFromKeys('in'),
        zoomOut: () => zoomFromKeys('out'),
        actualSize: () => zoomFromKeys('actual'),
      };
      run[command]();
      return true;
    },
    [onNote],
  );
  usePlainKeys(onKey, enabled);
}
