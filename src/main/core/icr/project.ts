import { FramelabError } from '../../../shared/errors';
import type { IcrReport, IcrReportInput } from '../../../shared/icr';
import type { AnnotationsSource } from '../../../shared/sync';
import { readCodebook } from '../coding/codebook';
import type { Db } from '../db/open';
import { annotationsSource } from '../sync/source';
import { buildReliabilityData, type LongRow } from './data';
import { icrReport } from './report';

/**
 * The project's reliability on one dimension: units are frames, groups their videos, the
 * categories the codebook's active ones in order (or a declared order holding them all), the
 * coders those with at least one code on the dimension.
 */
export function projectIcrReport(db: Db, input: IcrReportInput, source: AnnotationsSource = annotationsSource(db)): IcrReport {
  const dimension = readCodebook(db).dimensions.find((d) => d.name === input.dimension);
  if (!dimension) {
    const names = readCodebook(db).dimensions.map((d) => d.name);
    throw new FramelabError(
      'NOT_FOUND',
      `There is no dimension "${input.dimension}" in the codebook (it has ${names.join(', ') || 'none'}).`,
    );
  }
  const codes = db
    .prepare(
      `SELECT k.frame_id AS unitId, f.video_id AS "group", k.coder_id AS coder, c.value AS value
       FROM codes k JOIN frames f ON f.frame_id = k.frame_id JOIN categories c ON c.id = k.category_id
       WHERE k.dimension = ? ORDER BY k.frame_id, k.coder_id`,
    )
    .all(input.dimension) as LongRow[];
  if (codes.length === 0) {
    throw new FramelabError('NOT_FOUND', `There are no codes of ${input.dimension} yet: code some frames or import annotations first.`);
  }
  const categories = input.categories ?? dimension.categories.map((c) => c.value);
  const data = buildReliabilityData(codes, categories, {
    value: input.dimension,
    unit: 'frame',
    group: 'video',
    source: `The codes of ${input.dimension}`,
  });
  const report = icrReport(data, {
    dimension: input.dimension,
    level: dimension.level,
    order: input.categories ? 'declared' : 'codebook',
    bootstrap: input.bootstrap,
    seed: input.seed,
    byGroup: input.byVideo,
    groupName: 'video',
  });
  return { ...report, annotationsSource: source };
}
