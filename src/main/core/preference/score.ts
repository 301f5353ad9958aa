import type { PreferenceModel, PreferenceScore } from '../../../shared/preferenceModel';
import { flattenAnalyses, type FlatTable } from './flatten';
import { contributionsOf, modelMatrix } from './model';
import { columnsOf, featurePresent } from './normalize';

/**
 * Scores analyses with a fitted model (the spec's §7.2, with its own corrections):
 * - score = 10 × the prediction, clamped to 0–10 as the spec does (Ridge can leave the range;
 *   the forest, an average of ratings, cannot), unrounded; `unclampedScore` keeps the raw one;
 * - coverage = the share of the model's features whose key has a value in this analysis (a
 *   `_has_` flag counts when its array is there; a one-hot level when its key holds a string);
 *   confidence = coverage × the model's R² (the spec's hold-out R², `metrics.r2`), 0 when
 *   that R² is negative, null for a model fitted without an evaluation;
 * - topFactors: the 5 largest |contribution| on the 0–10 scale, contributions that add up with
 *   `baseScore` to `unclampedScore`: Ridge, weight × (value − its training mean) (centred, so a
 *   feature at its average contributes nothing); the forest, TreeSHAP (XGBoost's pred_contribs).
 */
export const TOP_FACTORS = 5;

/** Scores rows of a flattened table. */
export function scoreTable(model: PreferenceModel, table: FlatTable, rows?: readonly number[]): PreferenceScore[] {
  const rowList = rows ?? table.rows.map((_, i) => i);
  const x = modelMatrix(model, table, rowList);
  const { values, base } = contributionsOf(model, x);
  const feats = columnsOf(
    model.pipeline,
    model.selected.map((s) => s.feature),
  ).map((c) => model.pipeline.features[c]!);
  const p = feats.length;
  const r2 = model.metrics?.r2;
  return rowList.map((row, i) => {
    let prediction = base[i]!;
    for (let j = 0; j < p; j++) prediction += values[i * p + j]!;
    const present = feats.filter((f) => featurePresent(f, table, row)).length;
    const coverage = p ? present / p : 0;
    const topFactors = feats
      .map((f, j) => ({ feature: f.name, contribution: 10 * values[i * p + j]! }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1))
      .slice(0, TOP_FACTORS);
    return {
      score: Math.min(10, Math.max(0, 10 * prediction)),
      unclampedScore: 10 * prediction,
      baseScore: 10 * base[i]!,
      confidence: r2 === undefined ? null : coverage * Math.max(0, r2),
      coverage,
      topFactors,
    };
  });
}

/** Scores one nested analysis (as imported). */
export function scoreAnalysis(model: PreferenceModel, analysis: unknown): PreferenceScore {
  return scoreTable(model, flattenAnalyses([analysis]))[0]!;
}
