import type { ReactNode } from 'react';

export interface Tab<K extends string> {
  kind: K;
  label: ReactNode;
}

/** A row of tabs (an area's views, a report's dimensions): the active one is marked for CSS and assistive tech. */
export function Tabs<K extends string>({
  label,
  tabs,
  active,
  onSelect,
  className = 'tabs',
}: {
  label: string;
  tabs: readonly Tab<K>[];
  active: K;
  onSelect(kind: NoInfer<K>): void;
  className?: string;
}) {
  return (
    <div role="tablist" aria-label={label} className={className}>
      {tabs.map((t) => (
        <button
          key={t.kind}
          type="button"
          role="tab"
          aria-selected={active === t.kind}
          className={active === t.kind ? 'active' : ''}
          onClick={() => onSelect(t.kind)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
