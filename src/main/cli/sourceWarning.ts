import type { AnnotationsSource } from '../../shared/sync';

/**
 * Bucket first, loudly (issue #21): when the sync before a command could not reach the bucket,
 * stderr says so and what was used instead; stdout (text or --json) stays the result alone.
 */
export function warnLocalFallback(source: AnnotationsSource | null | undefined, what: string): void {
  if (!source?.offlineReason) return;
  const copy = source.syncedAt ? `last synced ${source.syncedAt}, generation ${source.generation}` : 'never synced with the bucket';
  process.stderr.write(
    `warning: could not sync the annotations with the bucket before ${what}: ${source.offlineReason} It used the LOCAL copy (${copy}), and records that as its source. Run \`framelab sync\` when online and run it again.\n`,
  );
}
