import { AREAS } from './areas';
import { useStore } from './store';

/**
 * App-wide keys: Ctrl/Cmd+1…9 and 0 switch areas (later areas: Ctrl/Cmd+Shift+<letter>, see AREAS),
 * Ctrl/Cmd+J toggles the jobs panel, Ctrl/Cmd+Shift+L the theme. Installed once, before the first
 * render (they act on the store only), so a key pressed while the app is still starting is not lost.
 */
export function installShortcuts(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const state = useStore.getState();
    const combo = event.shiftKey ? `Shift+${event.key.toUpperCase()}` : event.key;
    const area = AREAS.find((a) => a.shortcut === combo);
    if (area) {
      state.setArea(area.id);
    } else if (event.key.toLowerCase() === 'j' && !event.shiftKey) {
      state.setJobsPanelOpen(!state.jobsPanelOpen);
    } else if (event.key.toLowerCase() === 'l' && event.shiftKey) {
      state.setTheme(state.theme === 'dark' ? 'light' : 'dark');
    } else return;
    event.preventDefault();
  };
  target.addEventListener('keydown', onKey as EventListener);
  return () => target.removeEventListener('keydown', onKey as EventListener);
}
