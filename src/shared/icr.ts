import { z } from 'zod';
import { AnnotationsSource } from './sync';

/**
 * Inter-coder reliability as the contract sees it: one report per dimension, the same object
 * whether it comes from the project (`icr.report`) or from a CSV (`framelab icr --input`).
 * Every figure is a number or null; each null has its reason in `notes`.
 */

/** The statistics a report carries, by their JSON path; `ci` has one entry for each. */
export const ICR_STATISTICS = [
  'percentAgreement',
  'cohenKappa',
  'weightedKappa.linear',
  'weightedKappa.quadratic',
  'krippendorffAlpha.nominal',
  'krippendorffAlpha.ordinal',
  'krippendorffAlpha.interval',
  'krippendorffAlpha.ratio',
  'fleissKappa',
  'gwetAC1',
] as const;
export type IcrStatistic = (typeof ICR_STATISTICS)[number];

const int = z.number().int();
const Value = z.number().nullable();

export const IcrReportInput = z.strictObject({
  /** A codebook dimension (e.g. pov, distance). */
  dimension: z.string().min(1),
  /** The category order to use instead of the codebook's; it must hold every value used. */
  categories: z.array(z.string().trim().min(1)).min(1).optional(),
  /** Bootstrap resamples for the confidence intervals; 0 for none. */
  bootstrap: int.min(0).max(100_000).default(1000),
  seed: int.default(1),
  /** Resample whole videos instead of frames (frames of one video are alike). */
  byVideo: z.boolean().default(false),
  /**
   * Bucket first: run a sync round before computing (the CLI's \`icr\` does). Offline, the report
   * uses the local copy and its annotationsSource says why. The screen leaves it off: its
   * background rounds keep the copy fresh and the sync status is always in view.
   */
  fresh: z.boolean().optional(),
});
export type IcrReportInput = z.infer<typeof IcrReportInput>;

const PairDetail = z.object({
  coders: z.tuple([z.string(), z.string()]),
  /** Units both coders coded. */
  unitsCompared: int,
  percentAgreement: Value,
  cohenKappa: Value,
  weightedKappa: z.object({ linear: Value, quadratic: Value }),
  /** Rows: coders[0]'s codes, columns: coders[1]'s, in the report's category order. */
  matrix: z.array(z.array(int)),
});

/** Everything beyond the headline figures, under the one extra top-level key. */
export const IcrDetails = z.object({
  /** Coder ids, sorted; the confusion matrix's rows are coders[0], its columns coders[1]. */
  coders: z.array(z.string()),
  /** The category order every ordered statistic used (ranks 1..q). */
  categories: z.array(z.string()),
  /** Where that order came from. */
  order: z.enum(['declared', 'codebook', 'lexicographic']),
  /** The dimension's level in the codebook; null when the dimension is not in it. */
  level: z.enum(['nominal', 'ordinal']).nullable(),
  /**
   * Per category: its pairable values (n_c of the coincidence matrix, from units with two or
   * more codes) and the share of their pair partners that agree (o_cc / n_c; for two coders
   * 2·n_cc / (row_c + col_c)). null when nobody used the category on a compared unit.
   */
  perCategory: z.array(z.object({ category: z.string(), values: z.number(), agreement: Value })),
  /** Every pair of coders, on the units both coded. */
  pairs: z.array(PairDetail),
  bootstrap: z
    .object({
      resamples: int,
      seed: int,
      /** 'units' resamples units; 'groups' resamples whole groups (videos). */
      resampling: z.enum(['units', 'groups']),
      /** How many units or groups each resample draws. */
      draws: int,
      confidence: z.number(),
      /** Per statistic, the resamples in which it was defined (the interval uses only those). */
      usable: z.record(z.string(), int),
    })
    .nullable(),
});
export type IcrDetails = z.infer<typeof IcrDetails>;

export const IcrReport = z.object({
  /** Units with at least one code. */
  units: int,
  /** Units with at least two codes (the ones every agreement statistic compares). */
  unitsCompared: int,
  /** Coders with at least one code. */
  coders: int,
  percentAgreement: Value,
  cohenKappa: Value,
  weightedKappa: z.object({ linear: Value, quadratic: Value }),
  krippendorffAlpha: z.object({ nominal: Value, ordinal: Value, interval: Value, ratio: Value }),
  fleissKappa: Value,
  gwetAC1: Value,
  /** Percentile bootstrap interval per statistic; null without bootstrap or where it is not reported. */
  ci: z.record(z.enum(ICR_STATISTICS), z.tuple([z.number(), z.number()]).nullable()),
  /** Two coders only: rows are details.coders[0], columns details.coders[1]. */
  confusion: z.object({ categories: z.array(z.string()), matrix: z.array(z.array(int)) }).nullable(),
  notes: z.array(z.string()),
  details: IcrDetails,
  /** The project's report: where its annotations came from (the bucket, or the local copy). Absent for a CSV file. */
  annotationsSource: AnnotationsSource.optional(),
});
export type IcrReport = z.infer<typeof IcrReport>;

/** A statistic's value by its path (`krippendorffAlpha.ordinal` → report.krippendorffAlpha.ordinal). */
export function statisticValue(report: IcrReport, statistic: IcrStatistic): number | null {
  const [head, tail] = statistic.split('.') as [keyof IcrReport, string | undefined];
  const top = report[head];
  return tail === undefined ? (top as number | null) : ((top as unknown as Record<string, number | null>)[tail] ?? null);
}
