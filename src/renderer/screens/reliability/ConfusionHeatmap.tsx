/** Rows: the first coder's codes; columns: the second's; darker = more frames. */
export function ConfusionHeatmap({ categories, matrix, rowCoder, colCoder }: { categories: string[]; matrix: number[][]; rowCoder: string; colCoder: string }) {
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
                {n}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
