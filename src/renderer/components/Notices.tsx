import { useStore } from '../store';

/** Errors are shown as the core wrote them: what went wrong and what to do; a repeat is counted, and they clear when the area changes. */
export function Notices() {
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="alert">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`}>
          <span>
            {n.text}
            {n.count > 1 && <span className="notice-count"> (×{n.count})</span>}
          </span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
