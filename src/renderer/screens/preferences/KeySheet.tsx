import { useEffect, useRef } from 'react';
import { KeyList, type KeyHint } from '../../components/KeyList';
import { appChordHints } from '../../shortcuts';
import { PLAYER_KEYS, RATE_KEYS } from './rateKeys';

/** The app's own chords, from the list shortcuts.ts dispatches from: they work on every screen, so no screen key uses Ctrl. */
const APP_KEYS: KeyHint[] = appChordHints();

/** `?`: every key of the Rate panel and of the app, on one sheet; ? or Esc closes it. */
export function KeySheet({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="key-sheet-backdrop" onClick={onClose}>
      <div
        ref={ref}
        className="key-sheet card"
        role="dialog"
        aria-modal="true"
        aria-label="Keys"
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.stopPropagation();
            e.preventDefault();
            onClose();
          }
        }}
      >
        <h2>Keys</h2>
        <div className="key-sheet-columns">
          <section>
            <h3>Rating</h3>
            <KeyList hints={RATE_KEYS} label="Rating keys" />
          </section>
          <section>
            <h3>Video</h3>
            <KeyList hints={PLAYER_KEYS} label="Video keys" />
          </section>
          <section>
            <h3>Everywhere</h3>
            <KeyList hints={APP_KEYS} label="App keys" />
          </section>
        </div>
        <p className="muted small">
          Press <kbd>?</kbd> or <kbd>Esc</kbd> to close.
        </p>
      </div>
    </div>
  );
}
