/**
 * Rows: the first coder's codes; columns: the second's; darker = more frames. With `onPick`,
 * an off-diagonal cell with frames is a button that shows those disagreements in the gallery.
 */
export function ConfusionHeatmap({
  categories,
  matrix,
  rowCoder,
  colCoder,
  onPick,
}: {
  categories: string[];
  matrix: number[][];
  rowCoder: string;
  colCoder: string;
  onPick?: (row: string, col: string) => void;
}) {
  const max = Math.max(1, ...matrix.flat());
  return (
    <table className="heatmap" data-testid="confusion">
      <thead>
        <tr>
          <th className="muted small">
            {rowCoder} ↓ / {colCoder} →
          </th>
          {categories.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => (
          <tr key={categories[i]}>
            <th>{categories[i]}</th>
            {row.map((n, j) => (
              <td
                key={j}
                className={i === j ? 'diagonal' : ''}
                style={{ background: `color-mix(in srgb, var(--accent) ${Math.round((n / max) * 85)}%, transparent)` }}
              >
                {onPick && i !== j && n > 0 ? (
                  <button
                    type="button"
                    className="cell-pick"
                    title={`Show the disagreements between ${categories[i]} and ${categories[j]} in the gallery`}
                    onClick={() => onPick(categories[i]!, categories[j]!)}
                  >
                    {n}
                  </button>
                ) : (
                  n
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
