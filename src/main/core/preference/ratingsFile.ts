import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { RatingsCsvError, RatingsImportReport } from '../../../shared/preference';
import { cached, type Db } from '../db/open';
import { readRegularFile } from '../workspace/inputPaths';
import { fileOutput, writeOutputFile } from '../workspace/outputPaths';
import { decodeUtf8 } from '../workspace/utf8Text';
import { entryHash, insertRating, valuesOf, type RatingRow, type RatingValues } from './ratings';
import { compareRatings, formatRatedAt, parseRatingsCsv, writeRatingsCsv } from './ratingsCsv';

/**
 * `preference ratings import FILE` and `export --out FILE`. The import is all or nothing: with
 * any bad row nothing is stored and the report lists every bad row by row and column. A row
 * the home already holds (the same rating to the letter) is counted unchanged, so importing
 * the same file twice changes nothing; a row that rates a video by a rater at a time the home
 * already holds with other values is refused (a rating is never edited: a later one replaces
 * it as current). Ratings files are small (one row per rating), so the import runs in the
 * owner, not as a job.
 */
export function importRatings(db: Db, file: string): RatingsImportReport {
  if (!path.isAbsolute(file)) throw new FramelabError('INVALID_INPUT', `The ratings file must be an absolute path, not "${file}".`);
  const text = decodeUtf8(readRegularFile(file, 'ratings file'), file, 'save it as "CSV UTF-8" and import it again');
  const parsed = parseRatingsCsv(text);
  const report: RatingsImportReport = {
    file,
    rows: parsed.rows,
    added: 0,
    unchanged: 0,
    videos: new Set(parsed.ratings.map((r) => r.values.videoId)).size,
    raters: new Set(parsed.ratings.map((r) => r.values.rater)).size,
    errors: parsed.errors,
  };
  if (parsed.errors.length > 0) return report;
  return db
    .transaction(() => {
      const stored = cached(db, 'SELECT 1 FROM preference_ratings WHERE entry_hash = ?');
      const sameTime = cached(db, 'SELECT * FROM preference_ratings WHERE video_id = ? AND rater = ? AND rated_at = ? LIMIT 1');
      const errors: RatingsCsvError[] = [];
      const fresh: RatingValues[] = [];
      const hashes = new Set<string>();
      for (const { row, values } of parsed.ratings) {
        const hash = entryHash(values);
        if (hashes.has(hash) || stored.get(hash)) continue;
        const other = sameTime.get(values.videoId, values.rater, values.ratedAt) as RatingRow | undefined;
        if (other) {
          const o = valuesOf(other);
          errors.push({
            row,
            column: 'rated_at',
            message:
              `${values.videoId} by ${values.rater} at ${formatRatedAt(values.ratedAt)} is already stored with other values (overall ${o.overall}); ` +
              'a rating is never edited: give the new one a later rated_at.',
          });
          continue;
        }
        hashes.add(hash);
        fresh.push(values);
      }
      if (errors.length > 0) return { ...report, errors };
      const at = new Date().toISOString();
      for (const values of fresh) insertRating(db, values, 'import', at);
      return { ...report, added: fresh.length, unchanged: parsed.ratings.length - fresh.length };
    })
    .immediate();
}

/** Every rating (the history), or only the current one of each video × rater; by video_id, rater, rated_at. */
export function ratingValues(db: Db, current: boolean): RatingValues[] {
  const rows = cached(db, `SELECT * FROM ${current ? 'preference_current_ratings' : 'preference_ratings'}`).all() as RatingRow[];
  return rows.map(valuesOf).sort(compareRatings);
}

export function exportRatings(
  db: Db,
  input: { out: string; overwrite: boolean; current: boolean },
): { rows: number; file: string; current: boolean } {
  const rules = { extensions: ['csv'], overwrite: input.overwrite };
  fileOutput(input.out, rules); // refuse a bad path before reading every rating
  const ratings = ratingValues(db, input.current);
  const file = writeOutputFile(input.out, writeRatingsCsv(ratings), rules);
  return { rows: ratings.length, file, current: input.current };
}
