import { useEffect } from 'react';

/**
 * Keys without Ctrl, Cmd or Alt (those chords belong to the app: see shortcuts.ts), pressed while
 * nobody is typing in a field. `onKey` gets the key (a letter lower-cased; named keys as
 * KeyboardEvent.key) and returns true when it used it: the browser's default is then prevented.
 */
export function usePlainKeys(onKey: (key: string, event: KeyboardEvent) => boolean, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (onKey(key, event)) event.preventDefault();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [enabled, onKey]);
}

/** A text field, a select or anything editable has the keys for itself. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}
