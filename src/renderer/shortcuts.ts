import { AREAS } from './areas';
import { useStore, type Store } from './store';
import type { Area } from './store/appSlice';
import { areaAllowed, LEAD, type Role } from './store/role';
import { isTypingTarget } from './usePlainKeys';

/**
 * A chord of the app (Ctrl/Cmd + combo), declared once: installShortcuts dispatches from this
 * list and the ? sheet prints it, so the sheet cannot drift from what the keys do.
 */
export interface AppChord {
  /** The key as KeyboardEvent.key upper-cased, with `Shift+` when Shift is held. */
  combo: string;
  label: string;
  /** The area it opens, if it opens one (a coder's sheet leaves out the lead's areas). */
  area?: Area;
  run(state: Store): void;
}

/** Ctrl/Cmd+1…9 and 0 switch areas (later areas: Ctrl/Cmd+Shift+<letter>, see AREAS); J the jobs panel; Shift+L the theme. */
export const APP_CHORDS: AppChord[] = [
  ...AREAS.map((a): AppChord => ({ combo: a.shortcut, label: a.label, area: a.id, run: (s) => s.setArea(a.id) })),
  { combo: 'J', label: 'jobs panel', run: (s) => s.setJobsPanelOpen(!s.jobsPanelOpen) },
  { combo: 'Shift+L', label: 'light / dark theme', run: (s) => s.setTheme(s.theme === 'dark' ? 'light' : 'dark') },
];

const MOD = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl';

/** As the ? sheet prints them (a KeyHint each: this file is also compiled without JSX, for its tests). */
export function appChordHints(role: Role = LEAD): { keys: string[]; label: string }[] {
  return [
    ...APP_CHORDS.filter((c) => !c.area || areaAllowed(role, c.area)).map((c) => ({ keys: [`${MOD}+${c.combo}`], label: c.label })),
    { keys: ['?'], label: 'this sheet of every key' },
  ];
}

function comboOf(event: KeyboardEvent): string {
  return event.shiftKey ? `Shift+${event.key.toUpperCase()}` : event.key.toUpperCase();
}

/**
 * App-wide keys: the chords above, and `?` for the key sheet. Installed once, before the first
 * render (they act on the store only), so a key pressed while the app is still starting is not lost.
 */
export function installShortcuts(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (event.key === '?' && !(event.ctrlKey || event.metaKey || event.altKey) && !isTypingTarget(event.target)) {
      // A screen with its own ? sheet (Preferences › Rate) takes the key first; this listener
      // runs before the screens' (it was installed first), so it looks once they all ran.
      setTimeout(() => {
        if (!event.defaultPrevented) useStore.getState().setKeySheetOpen(!useStore.getState().keySheetOpen);
      });
      return;
    }
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const combo = comboOf(event);
    const chord = APP_CHORDS.find((c) => c.combo === combo);
    if (!chord) return;
    chord.run(useStore.getState());
    event.preventDefault();
  };
  target.addEventListener('keydown', onKey as EventListener);
  return () => target.removeEventListener('keydown', onKey as EventListener);
}
