/** Placeholder until the Model panel lands (issue 19 items 4–8). */
export function ModelPanel() {
  return <p className="empty">The preference model panel is being built.</p>;
}
