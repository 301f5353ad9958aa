import { FramelabError } from '../../../shared/errors';
import { FEATURE_PIPELINE_FORMAT, type FeaturePipeline, type PipelineFeature } from '../../../shared/preferenceModel';
import type { Matrix } from '../suite/models/preprocess';
import { columnFor, ValueType } from './columns';
import { decideFeatureTypes, rowValue, type TypeOptions } from './featureTypes';
import type { FlatTable, FlatValue } from './flatten';

/**
 * The feature pipeline (the spec's §3.2–3.3 as issue 19 states them), fitted on training rows
 * and then applied unchanged to any row:
 * - numbers and booleans (0/1): min-max with the training rows' min and max, (v − min) /
 *   (max − min), or 0.5 when they are equal; values outside the training range are not
 *   clipped (sklearn's MinMaxScaler does not clip either); a missing value becomes the training
 *   rows' mean after normalization (`fill`);
 * - a string key with few values: one 0/1 column per training value, `<key>=<value>`; missing,
 *   another type or a value unseen in training → every column 0;
 * - a value of another type than the key's (see featureTypes: mixed keys) is missing.
 * Columns are sorted by name, so the layout does not depend on row order.
 */
export type { Matrix } from '../suite/models/preprocess';

export function fitFeaturePipeline(table: FlatTable, rows: readonly number[], opts: TypeOptions = {}): FeaturePipeline {
  if (!rows.length) throw new FramelabError('INVALID_INPUT', 'the feature pipeline needs at least one training row.');
  const decisions = decideFeatureTypes(table, rows, opts);
  const features: PipelineFeature[] = [];
  for (const d of decisions.kept) {
    const col = columnFor(table, d.key, d.flagOf);
    if (d.kind === 'categorical') {
      for (const level of d.levels) {
        let ones = 0;
        for (const r of rows) if (col.type[r] === ValueType.String && col.str![r] === level) ones++;
        features.push({
          name: `${d.key}=${level}`,
          key: d.key,
          kind: 'categorical',
          level,
          min: null,
          max: null,
          fill: null,
          coverage: d.coverage,
          constant: ones === rows.length,
          flagOf: null,
        });
      }
      continue;
    }
    const want = d.kind === 'numeric' ? ValueType.Number : ValueType.Boolean;
    let min = Infinity;
    let max = -Infinity;
    for (const r of rows) {
      if (col.type[r] !== want) continue;
      const v = col.num[r]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // Equal min and max: every present value is 0.5 and so is the fill: the column is constant.
    let sum = 0;
    let count = 0;
    for (const r of rows) {
      if (col.type[r] !== want) continue;
      sum += normalize(col.num[r]!, min, max);
      count++;
    }
    // + 0 turns −0 (JSON.parse keeps "-0") into 0, so the stored pipeline is what JSON gives back.
    features.push({
      name: d.key,
      key: d.key,
      kind: d.kind,
      level: null,
      min: min + 0,
      max: max + 0,
      fill: sum / count + 0,
      coverage: d.coverage,
      constant: min === max,
      flagOf: d.flagOf,
    });
  }
  features.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < features.length; i++) {
    if (features[i]!.name === features[i - 1]!.name) {
      throw new FramelabError(
        'INVALID_INPUT',
        `two features are both named "${features[i]!.name}" (a key and a one-hot level of another key); rename one key in the analyses.`,
      );
    }
  }
  return {
    format: FEATURE_PIPELINE_FORMAT,
    trainingRows: rows.length,
    coverageThreshold: opts.coverageThreshold ?? 0.5,
    maxLevels: opts.maxLevels ?? 20,
    features,
    dropped: decisions.dropped,
    mixed: decisions.mixed,
  };
}

/** The spec's normalizeNumeric: constant → 0.5. */
export function normalize(value: number, min: number, max: number): number {
  return max === min ? 0.5 : (value - min) / (max - min);
}

function numberOf(v: FlatValue, used: 'number' | 'boolean' | 'string'): number | null {
  if (used === 'number') return typeof v === 'number' ? v : null;
  if (used === 'boolean') return typeof v === 'boolean' ? (v ? 1 : 0) : null;
  return null;
}

/** A feature's value on one row as the model sees it. */
export function featureValue(f: PipelineFeature, table: FlatTable, row: number): number {
  const v = rowValue(table, row, f.key, f.flagOf);
  if (f.kind === 'categorical') return v === f.level ? 1 : 0;
  const x = numberOf(v, f.kind === 'numeric' ? 'number' : 'boolean');
  return x === null ? f.fill! : normalize(x, f.min!, f.max!);
}

/** The feature's value before normalization: numbers as they are, booleans 0/1, a level 1 or 0; null when missing (never for a level). */
export function rawFeatureValue(f: PipelineFeature, table: FlatTable, row: number): number | null {
  const v = rowValue(table, row, f.key, f.flagOf);
  if (f.kind === 'categorical') return v === f.level ? 1 : 0;
  return numberOf(v, f.kind === 'numeric' ? 'number' : 'boolean');
}

/** Whether a row has a value for the feature's key (of the key's type): the spec's §7.2 coverage counts these. */
export function featurePresent(f: PipelineFeature, table: FlatTable, row: number): boolean {
  const v = rowValue(table, row, f.key, f.flagOf);
  if (f.kind === 'categorical') return typeof v === 'string';
  return numberOf(v, f.kind === 'numeric' ? 'number' : 'boolean') !== null;
}

/** Rows × the pipeline's features (or the ones at `columns`, in that order), row-major float64. */
export function transformTable(pipeline: FeaturePipeline, table: FlatTable, rows?: readonly number[], columns?: readonly number[]): Matrix {
  const rowList = rows ?? table.rows.map((_, i) => i);
  const feats = columns ? columns.map((c) => pipeline.features[c]!) : pipeline.features;
  const p = feats.length;
  const m = rowList.length;
  const data = new Float64Array(m * p);
  feats.forEach((f, j) => {
    const col = columnFor(table, f.key, f.flagOf);
    if (f.kind === 'categorical') {
      for (let i = 0; i < m; i++) {
        const r = rowList[i]!;
        data[i * p + j] = col.type[r] === ValueType.String && col.str![r] === f.level ? 1 : 0;
      }
      return;
    }
    const want = f.kind === 'numeric' ? ValueType.Number : ValueType.Boolean;
    const { min, max, fill } = f as { min: number; max: number; fill: number };
    for (let i = 0; i < m; i++) {
      const r = rowList[i]!;
      data[i * p + j] = col.type[r] === want ? normalize(col.num[r]!, min, max) : fill;
    }
  });
  return { rows: m, cols: p, data };
}

/** Column indexes of named features; unknown names are an error naming them. */
export function columnsOf(pipeline: FeaturePipeline, names: readonly string[]): number[] {
  const index = new Map(pipeline.features.map((f, i) => [f.name, i]));
  const missing = names.filter((n) => !index.has(n));
  if (missing.length)
    throw new FramelabError('INVALID_INPUT', `the feature pipeline has no feature ${missing.map((m) => JSON.stringify(m)).join(', ')}.`);
  return names.map((n) => index.get(n)!);
}
