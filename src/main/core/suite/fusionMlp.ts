import { loadTrainingAddon, type GatedFusionModel, type StateEntry } from '../../../../native/index';
import { FramelabError } from '../../../shared/errors';
import { appRoot } from '../appRoot';
import { holdOutStopRows, trainWithEarlyStopping, type EpochPoint, type NeuralRecipe } from './earlyStopping';
import type { ModalityBlock } from './modalities';
import { fitPipeline, pipelineWidth, transform, type FeatureSource, type PipelineState } from './preprocess';

/**
 * The gated-fusion MLP of the horizon suite (REFERENCE §5), trained by the addon's
 * GatedFusion module (native/src/gated_fusion.h): one tower per modality (video, audio,
 * text → width d), a softmax gate over the towers from the metadata features and the
 * modality-present mask (an absent text modality gets weight exactly 0 and the others are
 * renormalised), a head on fused ‖ metadata. AdamW, MSE on the centred log target, batch 32,
 * early stopping on the RMSE of 15% of the TRAINING rows held out (seeded; the run's val and
 * test never steer training), max 40 epochs, patience 6, best epoch restored — the same recipe
 * as the concat MLP.
 *
 * "Metadata" is the preprocessing pipeline's numeric and categorical part (median-imputed and
 * scaled numerics, one-hot categoricals), fitted on the rows the network trains on.
 */
export interface FusionOptions extends NeuralRecipe {
  width?: number;
  towerHidden?: number;
  headHidden?: number;
}

/** What a saved model needs to rebuild the network and its inputs. */
export interface FusionSpec {
  pipeline: PipelineState;
  yMean: number;
  modalities: { name: string; dim: number }[];
  width: number;
  towerHidden: number;
  headHidden: number;
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
    if (!block) throw new FramelabError('INVALID_INPUT', `gated_fusion_mlp needs the ${m.name} embeddings ("modalities.${m.name}" in the config).`);
    if (block.dim !== m.dim) throw new FramelabError('INVALID_INPUT', `gated_fusion_mlp was trained on ${m.dim}-d ${m.name} vectors; ${block.source} has ${block.dim}-d.`);
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
    towerHidden: spec.towerHidden,
    headHidden: spec.headHidden,
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
    throw new FramelabError('INVALID_INPUT', 'gated_fusion_mlp needs per-modality embeddings: add "modalities": {"video": {...}, "audio": {...}, "text": {...}} to the config.');
  }
  if (!src.modalities.some((m) => m.name !== 'text')) {
    // Rows without text would have nothing for the gate to weigh.
    throw new FramelabError('INVALID_INPUT', 'gated_fusion_mlp needs a video or audio modality besides text (rows without text need something to fuse).');
  }
  const { stopRows, fitRows } = holdOutStopRows(trainRows, opts.seed);
  const width = opts.width ?? 256;
  const spec: FusionSpec = {
    pipeline: fitPipeline(metadataOnly(src), fitRows, features.numeric, features.categorical),
    yMean: fitRows.reduce((a, r) => a + y[r]!, 0) / fitRows.length,
    modalities: src.modalities.map((m) => ({ name: m.name, dim: m.dim })),
    width,
    towerHidden: opts.towerHidden ?? width,
    headHidden: opts.headHidden ?? Math.max(1, Math.floor(width / 2)),
    dropout: opts.dropout ?? 0.2,
  };
  const net = newFusionNet(spec, opts.seed, opts.threads);
  const xFit = fusionInputs(spec, src, fitRows);
  const xStop = fusionInputs(spec, src, stopRows);
  const yFit = Float32Array.from(fitRows, (r) => y[r]! - spec.yMean);
  const { curve, bestEpoch, state } = await trainWithEarlyStopping(net, opts, {
    fitCount: fitRows.length,
    trainStep: async (positions) => (await net.trainStep({ ...take(xFit, positions), targets: Float32Array.from(positions, (i) => yFit[i]!) })).loss,
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
