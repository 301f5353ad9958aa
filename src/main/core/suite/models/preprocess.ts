import type { FeatureSource } from '../data/suiteData';

/**
 * The one preprocessing pipeline every linear model uses, fitted on training rows only and
 * then applied unchanged to any row (val, test, a new video): numeric → median impute →
 * standard scale; categorical → constant "missing" → one-hot (unknown values → all zeros);
 * embedding columns appended as they are. It mirrors sklearn's
 * ColumnTransformer([SimpleImputer(median)+StandardScaler, SimpleImputer(constant)+
 * OneHotEncoder(handle_unknown="ignore"), "passthrough"]) so tests can hold it to sklearn.
 */
export const MISSING_CATEGORY = '__missing__';

export interface PipelineState {
  numeric: { column: string; median: number; mean: number; scale: number }[];
  categorical: { column: string; categories: string[] }[];
  embeddingDim: number;
}

/** A design matrix, row-major. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

function numericValues(src: FeatureSource, column: string): Float64Array {
  const extra = src.extra?.get(column);
  if (extra) return extra;
  const col = src.table.columns.get(column);
  if (!col || col.kind !== 'numeric') throw new Error(`numeric feature "${column}" is missing from ${src.table.source}.`);
  return col.values;
}

function textValues(src: FeatureSource, column: string): (string | null)[] {
  const col = src.table.columns.get(column);
  if (!col) throw new Error(`categorical feature "${column}" is missing from ${src.table.source}.`);
  return col.kind === 'text' ? col.values : Array.from(col.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

/** numpy's median: the mean of the two middle values for an even count. */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fitPipeline(
  src: FeatureSource,
  rows: readonly number[],
  numeric: readonly string[],
  categorical: readonly string[],
): PipelineState {
  const num = numeric.map((column) => {
    const all = numericValues(src, column);
    const present = rows.map((r) => all[r]!).filter((v) => !Number.isNaN(v));
    // A column missing in every training row carries nothing; sklearn drops it, we zero it
    // (same predictions: a constant column gets no weight).
    const med = present.length ? median(present) : 0;
    const filled = rows.map((r) => (Number.isNaN(all[r]!) ? med : all[r]!));
    const mean = filled.reduce((a, b) => a + b, 0) / filled.length;
    const variance = filled.reduce((a, v) => a + (v - mean) ** 2, 0) / filled.length;
    // sklearn leaves a constant column unscaled (scale 1) rather than dividing by ~0.
    const scale = variance > 0 ? Math.sqrt(variance) : 1;
    return { column, median: med, mean, scale };
  });
  const cat = categorical.map((column) => {
    const all = textValues(src, column);
    const categories = [...new Set(rows.map((r) => all[r] ?? MISSING_CATEGORY))].sort();
    return { column, categories };
  });
  return { numeric: num, categorical: cat, embeddingDim: src.embeddings ? src.embeddingDim : 0 };
}

export function pipelineWidth(state: PipelineState): number {
  return state.numeric.length + state.categorical.reduce((a, c) => a + c.categories.length, 0) + state.embeddingDim;
}

export function transform(state: PipelineState, src: FeatureSource, rows: readonly number[]): Matrix {
  const cols = pipelineWidth(state);
  const data = new Float64Array(rows.length * cols);
  let offset = 0;
  for (const n of state.numeric) {
    const all = numericValues(src, n.column);
    rows.forEach((r, i) => {
      const v = Number.isNaN(all[r]!) ? n.median : all[r]!;
      data[i * cols + offset] = (v - n.mean) / n.scale;
    });
    offset++;
  }
  for (const c of state.categorical) {
    const all = textValues(src, c.column);
    const index = new Map(c.categories.map((v, k) => [v, k]));
    rows.forEach((r, i) => {
      const k = index.get(all[r] ?? MISSING_CATEGORY);
      if (k !== undefined) data[i * cols + offset + k] = 1;
    });
    offset += c.categories.length;
  }
  if (state.embeddingDim) {
    const d = state.embeddingDim;
    if (!src.embeddings || src.embeddingDim !== d)
      throw new Error(`the pipeline expects ${d}-d embeddings; the rows have ${src.embeddings ? src.embeddingDim : 'none'}.`);
    rows.forEach((r, i) => data.set(src.embeddings!.subarray(r * d, (r + 1) * d), i * cols + offset));
  }
  return { rows: rows.length, cols, data };
}
