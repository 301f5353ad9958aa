import { seededShuffle } from '../../random';
import { rmse } from './metrics';
import type { FittedModel } from './families';
import type { FeatureSource } from '../data/suiteData';
import type { Column } from '../data/table';

/**
 * Permutation importance on held-out rows: shuffle one feature's values among the rows
 * (seeded), re-score, and report the mean rise in RMSE (log space) over `repeats`. The
 * embedding is permuted as one block (whole vectors; for the gated-fusion model each modality
 * block, vectors and presence together), the guest as one column, because
 * their parts mean nothing alone. Same shuffles for every model, so models compare.
 */
export interface Importance {
  feature: string;
  /** Mean RMSE increase; ≤ 0 means the model does not rely on it. */
  increase: number;
  sd: number;
}

export async function permutationImportance(
  model: FittedModel,
  src: FeatureSource,
  guests: readonly string[] | null,
  rows: readonly number[],
  y: Float64Array,
  features: { numeric: readonly string[]; categorical: readonly string[] },
  seed: number,
  repeats = 5,
): Promise<Importance[]> {
  const truth = rows.map((r) => y[r]!);
  const base = rmse(truth, await model.predict(src, guests, rows));
  // The fusion model reads the modalities, not the fused embedding: permute each modality block
  // (vector and presence together) instead.
  const usesModalities = model.name === 'gated_fusion_mlp' && !!src.modalities?.length;
  const blocks = usesModalities ? src.modalities!.map((m) => `<modality:${m.name}>`) : src.embeddings ? ['<embedding>'] : [];
  const names = [...features.numeric, ...features.categorical, ...blocks, ...(guests ? ['<guest>'] : [])];
  const out: Importance[] = [];
  for (const [f, name] of names.entries()) {
    const rises: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const perm = seededShuffle(rows, seed + 1000 * f + k);
      let permuted: FeatureSource = src;
      let g = guests;
      if (name === '<embedding>') {
        const d = src.embeddingDim;
        const emb = Float64Array.from(src.embeddings!);
        rows.forEach((r, i) => emb.set(src.embeddings!.subarray(perm[i]! * d, (perm[i]! + 1) * d), r * d));
        permuted = { ...src, embeddings: emb };
      } else if (name.startsWith('<modality:')) {
        const modalities = src.modalities!.map((b) => {
          if (`<modality:${b.name}>` !== name) return b;
          const data = Float64Array.from(b.data);
          const present = Uint8Array.from(b.present);
          rows.forEach((r, i) => {
            data.set(b.data.subarray(perm[i]! * b.dim, (perm[i]! + 1) * b.dim), r * b.dim);
            present[r] = b.present[perm[i]!]!;
          });
          return { ...b, data, present };
        });
        permuted = { ...src, modalities };
      } else if (name === '<guest>') {
        const copy = [...guests!];
        rows.forEach((r, i) => (copy[r] = guests![perm[i]!]!));
        g = copy;
      } else {
        const col = src.table.columns.get(name)!;
        const shuffled: Column =
          col.kind === 'numeric' ? { kind: 'numeric', values: Float64Array.from(col.values) } : { kind: 'text', values: [...col.values] };
        rows.forEach((r, i) => (shuffled.values[r] = col.values[perm[i]!]!));
        permuted = { ...src, table: { ...src.table, columns: new Map(src.table.columns).set(name, shuffled) } };
      }
      rises.push(rmse(truth, await model.predict(permuted, g, rows)) - base);
    }
    const mean = rises.reduce((a, b) => a + b, 0) / repeats;
    const sd = Math.sqrt(rises.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, repeats - 1));
    out.push({ feature: name, increase: mean, sd });
  }
  return out.sort((a, b) => b.increase - a.increase);
}

/**
 * K-fold importance: each fold's model permuted on its own held-out rows, then per feature
 * the mean of the fold means; `sd` is the sd of the fold means (how much folds disagree),
 * and `folds` keeps each fold's mean.
 */
export function averageImportance(perFold: readonly Importance[][]): (Importance & { folds: number[] })[] {
  const byFeature = new Map<string, number[]>();
  for (const fold of perFold) for (const imp of fold) byFeature.set(imp.feature, [...(byFeature.get(imp.feature) ?? []), imp.increase]);
  return [...byFeature]
    .map(([feature, folds]) => {
      const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
      const sd = Math.sqrt(folds.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, folds.length - 1));
      return { feature, increase: mean, sd, folds };
    })
    .sort((a, b) => b.increase - a.increase);
}
