import { loadTrainingAddon, type GatedFusionModel, type StateEntry } from '../../../../../native/index';
import { FramelabError } from '../../../../shared/errors';
import { appRoot } from '../../appRoot';
import { holdOutStopRows, trainWithEarlyStopping, type EpochPoint, type NeuralRecipe } from './earlyStopping';
import type { ModalityBlock } from '../data/modalities';
import { fitPipeline, pipelineWidth, transform, type PipelineState } from './preprocess';
import type { FeatureSource } from '../data/suiteData';

/**
 * The gated-fusion MLP of the horizon suite (docs/reference.md §5; the lab's spec §6.2), trained by the
 * addon's GatedFusion module (native/src/gated_fusion.h): one tower per modality (video, audio,
 * text), each Linear → GELU → LayerNorm to width d = 256; a softmax gate over the towers from
 * the metadata features and the modality-present mask (an absent text modality gets weight
 * exactly 0 and the others are renormalised); a head on fused ‖ metadata ‖ mask with hidden
 * layers [256, 128], GELU and dropout 0.15. AdamW, MSE on the centred log target, batch 32,
 * early stopping on the RMSE of 15% of the TRAINING rows held out (seeded; the run's val and
 * test never steer training), max 40 epochs, patience 6, best epoch restored — the same recipe
 * as the concat MLP.
 *
 * "Metadata" is the preprocessing pipeline's numeric and categorical part (median-imputed and
 * scaled numerics, one-hot categoricals), fitted on the rows the network trains on.
 *
 * Models saved before the spec's layout have no `towerNorm`/`headMask` and one `headHidden`
 * width: they rebuild with their own layout (two-layer towers with dropout, head on fused ‖
 * metadata), so old runs still score.
 */
export interface FusionOptions extends NeuralRecipe {
  width?: number;
  /** Towers Linear → GELU → LayerNorm (the spec's, default) or, false, Linear → GELU → Dropout → Linear(towerHidden → width). */
  towerNorm?: boolean;
  /** The hidden width of a tower without towerNorm (default: width). */
  towerHidden?: number;
  /** The head's hidden widths (default [256, 128]); one number: one hidden layer. */
  headHidden?: number | number[];
  /** The head also sees the modality-present mask (the spec's "metadata + mask context"; default true). */
  headMask?: boolean;
}

/** The spec's defaults (§6.2); every one can be overridden in the config's "fusion". */
export const FUSION_DEFAULTS = { width: 256, towerNorm: true, headHidden: [256, 128], headMask: true, dropout: 0.15 } as const;

/** The architecture a fit uses: the options over the spec's defaults (recorded in config_used.json). */
export function fusionArchitecture(
  opts: Omit<FusionOptions, 'seed'>,
): Pick<FusionSpec, 'width' | 'towerNorm' | 'towerHidden' | 'headHidden' | 'headMask' | 'dropout'> {
  const width = opts.width ?? FUSION_DEFAULTS.width;
  const towerNorm = opts.towerNorm ?? FUSION_DEFAULTS.towerNorm;
  const head = opts.headHidden ?? FUSION_DEFAULTS.headHidden;
  return {
    width,
    towerNorm,
    // A LayerNorm tower is one Linear to width: it has no hidden layer.
    towerHidden: towerNorm ? null : (opts.towerHidden ?? width),
    headHidden: typeof head === 'number' ? [head] : [...head],
    headMask: opts.headMask ?? FUSION_DEFAULTS.headMask,
    dropout: opts.dropout ?? FUSION_DEFAULTS.dropout,
  };
}

/** What a saved model needs to rebuild the network and its inputs. */
export interface FusionSpec {
  pipeline: PipelineState;
  yMean: number;
  modalities: { name: string; dim: number }[];
  width: number;
  /** Absent in models saved before the spec's towers: false. */
  towerNorm?: boolean;
  /** null with towerNorm (one Linear per tower). */
  towerHidden: number | null;
  /** A number in models saved before the spec's head (one hidden layer). */
  headHidden: number | number[];
  /** Absent in models saved before: false. */
  headMask?: boolean;
  dropout: number;
}

export interface FusionFit {
  spec: FusionSpec;
  state: StateEntry[];
  curve: EpochPoint[];
  bestEpoch: number;
  predict(src: FeatureSource, rows: readonly number[]): Promise<Float64Array>;
  /** Gate weights rows × modalities (eval mode). */
  gates(src: FeatureSource, rows: readonly number[]): Promise<Float32Array>;
}

interface Inputs {
  inputs: Float32Array;
  meta: Float32Array;
  mask: Float32Array;
  n: number;
}

/** The source without its embedding: the pipeline then covers the metadata features only. */
const metadataOnly = (src: FeatureSource): FeatureSource => ({ ...src, embeddings: null, embeddingDim: 0 });

function blocksOf(src: FeatureSource, spec: Pick<FusionSpec, 'modalities'>): ModalityBlock[] {
  return spec.modalities.map((m) => {
    const block = src.modalities?.find((b) => b.name === m.name);
    if (!block)
      throw new FramelabError('INVALID_INPUT', `gated_fusion_mlp needs the ${m.name} embeddings ("modalities.${m.name}" in the config).`);
    if (block.dim !== m.dim)
      throw new FramelabError(
        'INVALID_INPUT',
        `gated_fusion_mlp was trained on ${m.dim}-d ${m.name} vectors; ${block.source} has ${block.dim}-d.`,
      );
    return block;
  });
}

/** The network's inputs for `rows`: modality blocks side by side, metadata, presence mask. */
export function fusionInputs(spec: Pick<FusionSpec, 'modalities' | 'pipeline'>, src: FeatureSource, rows: readonly number[]): Inputs {
  const blocks = blocksOf(src, spec);
  const width = blocks.reduce((a, b) => a + b.dim, 0);
  const inputs = new Float32Array(rows.length * width);
  const mask = new Float32Array(rows.length * blocks.length);
  rows.forEach((r, i) => {
    let offset = 0;
    blocks.forEach((b, m) => {
      inputs.set(b.data.subarray(r * b.dim, (r + 1) * b.dim), i * width + offset);
      offset += b.dim;
      mask[i * blocks.length + m] = b.present[r]!;
    });
  });
  const meta = Float32Array.from(transform(spec.pipeline, metadataOnly(src), rows).data);
  return { inputs, meta, mask, n: rows.length };
}

/** A subset of prepared inputs (rows by position). */
function take(x: Inputs, idx: readonly number[]): Inputs {
  const w = x.inputs.length / x.n;
  const mw = x.meta.length / x.n;
  const kw = x.mask.length / x.n;
  const inputs = new Float32Array(idx.length * w);
  const meta = new Float32Array(idx.length * mw);
  const mask = new Float32Array(idx.length * kw);
  idx.forEach((i, k) => {
    inputs.set(x.inputs.subarray(i * w, (i + 1) * w), k * w);
    meta.set(x.meta.subarray(i * mw, (i + 1) * mw), k * mw);
    mask.set(x.mask.subarray(i * kw, (i + 1) * kw), k * kw);
  });
  return { inputs, meta, mask, n: idx.length };
}

export function newFusionNet(spec: FusionSpec, seed: number, threads?: number): GatedFusionModel {
  const addon = loadTrainingAddon(appRoot());
  return new addon.GatedFusion({
    modalitySizes: spec.modalities.map((m) => m.dim),
    metaSize: pipelineWidth(spec.pipeline),
    width: spec.width,
    towerNorm: spec.towerNorm ?? false,
    ...(spec.towerHidden === null ? {} : { towerHidden: spec.towerHidden }),
    headHidden: spec.headHidden,
    headMask: spec.headMask ?? false,
    dropout: spec.dropout,
    seed,
    threads,
    device: 'cpu',
  });
}

export async function fitGatedFusion(
  src: FeatureSource,
  trainRows: readonly number[],
  y: Float64Array,
  features: { numeric: readonly string[]; categorical: readonly string[] },
  opts: FusionOptions,
): Promise<FusionFit> {
  if (!src.modalities?.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      'gated_fusion_mlp needs per-modality embeddings: add "modalities": {"video": {...}, "audio": {...}, "text": {...}} to the config.',
    );
  }
  if (!src.modalities.some((m) => m.name !== 'text')) {
    // Rows without text would have nothing for the gate to weigh.
    throw new FramelabError(
      'INVALID_INPUT',
      'gated_fusion_mlp needs a video or audio modality besides text (rows without text need something to fuse).',
    );
  }
  const { stopRows, fitRows } = holdOutStopRows(trainRows, opts.seed);
  const spec: FusionSpec = {
    pipeline: fitPipeline(metadataOnly(src), fitRows, features.numeric, features.categorical),
    yMean: fitRows.reduce((a, r) => a + y[r]!, 0) / fitRows.length,
    modalities: src.modalities.map((m) => ({ name: m.name, dim: m.dim })),
    ...fusionArchitecture(opts),
  };
  const net = newFusionNet(spec, opts.seed, opts.threads);
  const xFit = fusionInputs(spec, src, fitRows);
  const xStop = fusionInputs(spec, src, stopRows);
  const yFit = Float32Array.from(fitRows, (r) => y[r]! - spec.yMean);
  const { curve, bestEpoch, state } = await trainWithEarlyStopping(net, opts, {
    fitCount: fitRows.length,
    trainStep: async (positions) =>
      (await net.trainStep({ ...take(xFit, positions), targets: Float32Array.from(positions, (i) => yFit[i]!) })).loss,
    predictStop: async () => Float64Array.from((await net.predict(xStop)).outputs, (v) => v + spec.yMean),
    stopTargets: Float64Array.from(stopRows, (r) => y[r]!),
  });
  return { spec, state, curve, bestEpoch, ...fusionScorer(net, spec) };
}

/** predict/gates over a network with the best weights (training) or saved ones (scoring). */
export function fusionScorer(net: GatedFusionModel, spec: FusionSpec) {
  return {
    predict: async (src: FeatureSource, rows: readonly number[]) => {
      const { outputs } = await net.predict(fusionInputs(spec, src, rows));
      return Float64Array.from(outputs, (v) => v + spec.yMean);
    },
    gates: async (src: FeatureSource, rows: readonly number[]) => (await net.predict(fusionInputs(spec, src, rows))).gates,
  };
}
