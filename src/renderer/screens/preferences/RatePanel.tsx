/** Placeholder until the Rate panel lands (issue 19 item 2). */
export function RatePanel() {
  return <p className="empty">Rating is being built.</p>;
}
