import { useEffect, useRef, type ReactNode } from 'react';
import './keySheet.css';

/**
 * The frame of a key sheet (the app's `?` sheet and the Rate panel's): a modal dialog named
 * "Keys" over a shade, focused when it opens and handing focus back when it closes; `?`, Esc or
 * a click on the shade closes it (said under the sheet, with the caller's footnote). Keys typed while it is open are the sheet's, so the screen
 * behind it does not act on them; the app's chords (Ctrl/Cmd) still work.
 */
export function KeySheetFrame({ onClose, children, footnote }: { onClose: () => void; children: ReactNode; footnote?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="key-sheet-shade" onClick={onClose}>
      <div
        ref={ref}
        className="key-sheet-dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="key-sheet-title"
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (!(e.ctrlKey || e.metaKey)) e.stopPropagation();
          if (e.key === 'Escape' || e.key === '?') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        <h2 id="key-sheet-title">Keys</h2>
        <div className="key-sheet-grid">{children}</div>
        <p className="muted small">
          Press <kbd>?</kbd> or <kbd>Esc</kbd> to close.{footnote && ` ${footnote}`}
        </p>
      </div>
    </div>
  );
}
