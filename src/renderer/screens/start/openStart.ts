import { useStore } from '../../store';
import { loadProgress } from '../../store/actions';

/**
 * An empty home (no video yet) opens on Workspace, where the first-run checklist is, rather than
 * on an empty coding view. Asked once, before the first render, so the screen never jumps under
 * a click; a home with work opens on Coding as before, and a slow or failed answer changes nothing.
 */
export async function openStartIfEmpty(timeoutMs = 3000): Promise<void> {
  const progress = await Promise.race([
    loadProgress().catch(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs)),
  ]);
  const state = useStore.getState();
  if (progress && progress.videos === 0 && state.area === 'coding') state.setArea('workspace');
}
