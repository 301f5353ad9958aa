import type { ReactNode } from 'react';

/** A list a screen fetched: "Loading…" until it comes, the empty sentence when it has nothing, else the list itself. */
export function Loaded<T>({
  items,
  empty,
  children,
}: {
  items: readonly T[] | null;
  empty: ReactNode;
  children: (items: readonly T[]) => ReactNode;
}) {
  if (items === null) return <p className="loading">Loading…</p>;
  if (items.length === 0) return <p className="empty">{empty}</p>;
  return <>{children(items)}</>;
}
