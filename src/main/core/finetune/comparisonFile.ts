import fs from 'node:fs';
import { ComparisonEntry } from '../../../shared/finetune';
import { FramelabError } from '../../../shared/errors';
import { writeFileAtomic } from '../workspace/atomic';
import { describeJsonError } from '../workspace/describeContent';
import { zodMessage } from '../zodMessage';

/**
 * `v8_comparison.json` holds one entry per dimension. Fine-tuning one dimension replaces its
 * entry and leaves the others as they are, byte for byte in meaning: they are kept as parsed,
 * not re-validated, because an older entry (the lab's Python script wrote this file too) may
 * have another shape and is not ours to drop. The new entry is validated before anything is
 * written, and the write is atomic, so a failure leaves the old file whole.
 */
export function readComparisonFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    // The file sits in a folder the caller chose: a link there (to ~/.ssh/…) is neither read nor replaced.
    const stat = fs.lstatSync(file);
    if (!stat.isFile()) {
      throw new FramelabError(
        'CONFLICT',
        `${file} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; it was left as it is. Move it aside, or choose another output folder.`,
      );
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FramelabError(
      'CONFLICT',
      `${file} cannot be read: ${describeJsonError(err, text)}; it was left as it is. Move it aside to start a new comparison file.`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FramelabError(
      'CONFLICT',
      `${file} should hold one entry per dimension (a JSON object); it was left as it is. Move it aside to start a new one.`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Adds or replaces `dimension`'s entry, keeps the others, writes atomically; returns the file's new content. */
export function mergeComparisonFile(file: string, dimension: string, entry: ComparisonEntry): Record<string, unknown> {
  if (dimension.trim() === '') throw new FramelabError('INVALID_INPUT', 'A comparison entry needs a dimension name.');
  const checked = ComparisonEntry.safeParse(entry);
  if (!checked.success) {
    throw new FramelabError('INVALID_INPUT', `The ${dimension} comparison is incomplete: ${zodMessage(checked.error)}`);
  }
  const merged = { ...readComparisonFile(file), [dimension]: checked.data };
  writeFileAtomic(file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
