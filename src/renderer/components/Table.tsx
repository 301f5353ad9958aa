import type { ReactNode } from 'react';

/** One header cell: its text, and the class and scope some tables give it (`num` right-aligns). */
export interface Column {
  label: ReactNode;
  className?: string;
  scope?: 'col';
}

/**
 * The screens' tables: a header row of columns and a body of one row per item, which the screen
 * draws whole (`<tr key=…>`, so its classes and handlers stay the screen's). The table's class
 * defaults to the app's `table`; a test id or an aria-label names it for tests and screen readers.
 */
export function Table<T>({
  columns,
  items,
  row,
  className = 'table',
  testId,
  label,
}: {
  columns: readonly (Column | string)[];
  items: readonly T[];
  row: (item: T, index: number) => ReactNode;
  className?: string;
  testId?: string;
  label?: string;
}) {
  return (
    <table className={className} data-testid={testId} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => {
            const column = typeof c === 'string' ? { label: c } : c;
            return (
              <th key={i} scope={column.scope} className={column.className}>
                {column.label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{items.map(row)}</tbody>
    </table>
  );
}
