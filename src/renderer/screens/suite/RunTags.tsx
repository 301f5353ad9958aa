/** A run's tags as badges (Runs, Compare, the run detail). */
export function RunTags({ tags }: { tags: readonly string[] }) {
  if (!tags.length) return null;
  return (
    <span className="run-tags" aria-label="Tags" data-testid="run-tags">
      {tags.map((t) => (
        <span key={t} className="badge tag">
          {t}
        </span>
      ))}
    </span>
  );
}
