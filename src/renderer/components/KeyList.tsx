/** One line of a key legend: the keys (as printed on the keyboard) and what they do. */
export interface KeyHint {
  keys: string[];
  label: string;
}

/** A legend of keys, shown beside a keyboard-first view so nobody has to guess them. */
export function KeyList({ hints, label = 'Shortcuts', className = 'shortcuts' }: { hints: KeyHint[]; label?: string; className?: string }) {
  return (
    <dl className={className} aria-label={label}>
      {hints.map((h) => (
        <div className="row" key={h.label}>
          <dt>
            {h.keys.map((k, i) => (
              <span key={k}>
                {i > 0 && ' '}
                <kbd>{k}</kbd>
              </span>
            ))}
          </dt>
          <dd>{h.label}</dd>
        </div>
      ))}
    </dl>
  );
}
