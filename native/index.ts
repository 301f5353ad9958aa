/**
 * The LibTorch training addon as TypeScript sees it (C++ in native/src, built by
 * `npm run build:native`): the types of what the addon exports, loading it with a clear
 * CAPABILITY_MISSING error, and converting state dicts from the TS weights reader to and from
 * the addon's entries.
 *
 * Heavy methods return Promises that run on the libuv threadpool; a model runs one operation at
 * a time (a second concurrent call rejects with code 'BUSY'). When the cancel flag set with
 * `setCancelFlag` is non-zero, pending and next heavy calls reject with code 'CANCELLED' and a
 * message starting with "cancelled"; the addon never resets the flag.
 */
import { FramelabError } from '../src/shared/errors';
import { BUILD_HINT, loadNativeAddon, XGBOOST_HINT } from './loader';
export { XGBOOST_HINT } from './loader';

export type DevicePreference = 'auto' | 'cpu' | 'cuda';

/** One parameter or buffer by torch state-dict name (row-major data). */
export interface StateEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
}

/** torch.optim defaults when omitted: lr 1e-3 (SGD needs lr), betas [0.9, 0.999], eps 1e-8, weightDecay 0 (Adam, SGD) or 0.01 (AdamW). */
export interface OptimizerOptions {
  kind: 'adam' | 'adamw' | 'sgd';
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  amsgrad?: boolean;
}

/** Spatial size of non-square input; square input needs none. */
export interface SpatialSize {
  height: number;
  width: number;
}

export interface StepResult {
  loss: number;
}

/** What every addon model has: state I/O, optimiser, cancel flag. */
export interface TrainableModel {
  /** 'cpu' or 'cuda' (read-only). */
  readonly device: string;
  readonly threads: number;
  /** Strict: unknown, missing, repeated keys and shape/dtype mismatches throw naming the key; nothing loads unless all match. */
  loadState(entries: StateEntry[]): void;
  /** Copies of all parameters and buffers, in torch state_dict order. */
  state(): StateEntry[];
  /** Replaces the optimiser; its state starts fresh. */
  setOptimizer(options: OptimizerOptions): void;
  setLearningRate(lr: number): void;
  /** An Int32Array over a SharedArrayBuffer (element 0 is read), or null to remove it. */
  setCancelFlag(flag: Int32Array | null): void;
}

export interface ResNet50Options {
  numClasses: number;
  /** torch intra-op threads for this model's work (default: all hardware threads). */
  threads?: number;
  seed?: number;
  device?: DevicePreference;
}

/** A batch of cached layer-3 features (n × 1024 × h × w) with labels for cross-entropy. */
export interface FeatureBatch {
  features: Float32Array;
  n: number;
  labels: Int32Array;
  /** numClasses weights: torch's weighted-mean cross-entropy. */
  classWeights?: Float32Array;
  /** Feature map size when not square. */
  height?: number;
  width?: number;
}

/**
 * torchvision's ResNet-50 (same state-dict names). conv1…layer3 are frozen (eval mode, no
 * gradients); training updates layer4 and fc from cached layer-3 features.
 */
export interface ResNet50Model extends TrainableModel {
  readonly numClasses: number;
  /** Eval mode: images n × 3 × H × W (normalised) → logits n × numClasses. */
  forward(images: Float32Array, n: number, size?: SpatialSize): Promise<Float32Array>;
  /** Eval mode: images → layer-3 output n × 1024 × h × w (14 × 14 for 224 input; see featureSize). */
  features(images: Float32Array, n: number, size?: SpatialSize): Promise<Float32Array>;
  /** Eval mode: layer4 + average pool + fc on layer-3 features → logits. */
  forwardFromFeatures(features: Float32Array, n: number, size?: SpatialSize): Promise<Float32Array>;
  /** layer4's BatchNorm in training mode, weighted cross-entropy, backward, optimiser step. */
  trainStep(batch: FeatureBatch): Promise<StepResult>;
  /** The same loss in eval mode, without updates. */
  evalLoss(batch: FeatureBatch): Promise<StepResult>;
}

export interface MlpOptions {
  /** [input, hidden…, output] widths. */
  sizes: number[];
  loss?: 'mse' | 'cross_entropy';
  activation?: 'gelu' | 'relu';
  dropout?: number;
  threads?: number;
  seed?: number;
  device?: DevicePreference;
}

/** inputs n × inputSize; targets n × outputSize floats (MSE) or n labels (cross-entropy). */
export interface MlpBatch {
  inputs: Float32Array;
  n: number;
  targets: Float32Array | Int32Array;
  classWeights?: Float32Array;
}

/** Linear layers with GELU/ReLU and dropout between them; state names layers.<i>.weight / .bias. */
export interface MlpModel extends TrainableModel {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Eval mode (no dropout) → n × outputSize. */
  predict(inputs: Float32Array, n: number): Promise<Float32Array>;
  /** Training mode (dropout on), loss, backward, optimiser step over all parameters. */
  trainStep(batch: MlpBatch): Promise<StepResult>;
  evalLoss(batch: MlpBatch): Promise<StepResult>;
}

export interface GatedFusionOptions {
  /** One input width per modality (e.g. [video, audio, text]); inputs hold the blocks side by side in this order. */
  modalitySizes: number[];
  /** Metadata features fed to the gate and the head (0: none). */
  metaSize?: number;
  /** Common tower output width d (default 256). */
  width?: number;
  /** Towers Linear → GELU → LayerNorm(width) (the lab's spec) instead of Linear → GELU → Dropout → Linear (default false). */
  towerNorm?: boolean;
  /** Tower hidden width without towerNorm (default: width). */
  towerHidden?: number;
  /** Head hidden widths, each Linear → GELU → Dropout (default: [width / 2]); one number: one layer. */
  headHidden?: number | number[];
  /** The head sees fused ‖ meta ‖ mask instead of fused ‖ meta (default false). */
  headMask?: boolean;
  dropout?: number;
  threads?: number;
  seed?: number;
  device?: DevicePreference;
}

/** inputs n × Σ modalitySizes, meta n × metaSize, mask n × modalities (1 present, 0 absent), targets n. */
export interface GatedFusionBatch {
  inputs: Float32Array;
  meta: Float32Array;
  mask: Float32Array;
  n: number;
  targets?: Float32Array;
}

/**
 * Towers per modality (towerNorm: Linear → GELU → LayerNorm to width; else Linear → GELU →
 * Dropout → Linear to width), gate = softmax over Linear(meta ‖ mask) with absent modalities'
 * logits at −inf (weight exactly 0, the present ones renormalised), fused = Σ gate·tower, head
 * (Linear → GELU → Dropout per hidden width) → Linear → 1 on fused ‖ meta (‖ mask with
 * headMask). State names: towers.<m>.0/.2 (towerNorm) or .0/.3, gate, head.0/.3/.6/… (weight, bias).
 */
export interface GatedFusionModel extends TrainableModel {
  readonly inputSize: number;
  readonly metaSize: number;
  readonly modalitySizes: number[];
  /** Eval mode → outputs n and gate weights n × modalities. */
  predict(batch: GatedFusionBatch): Promise<{ outputs: Float32Array; gates: Float32Array }>;
  /** Training mode (dropout on), MSE, backward, optimiser step. */
  trainStep(batch: GatedFusionBatch & { targets: Float32Array }): Promise<StepResult>;
  evalLoss(batch: GatedFusionBatch & { targets: Float32Array }): Promise<StepResult>;
}

export interface AddonInfo {
  torchVersion: string;
  cudaAvailable: boolean;
  cudaDevices: number;
  /** The `threads` a model gets when its options give none (all hardware threads). */
  threads: number;
}

export interface TrainingAddon {
  ResNet50: new (options: ResNet50Options) => ResNet50Model;
  MLP: new (options: MlpOptions) => MlpModel;
  GatedFusion: new (options: GatedFusionOptions) => GatedFusionModel;
  info(): AddonInfo;
  /** XᵀX (p×p), or XXᵀ (n×n) with `outer`, of a row-major n×p float64 matrix (synchronous). */
  gram(x: Float64Array, n: number, p: number, outer: boolean, threads: number): Float64Array;
  /** x with a·x = b for a symmetric positive definite m×m float64 matrix (Cholesky; synchronous). */
  solveSpd(a: Float64Array, b: Float64Array, m: number, threads: number): Float64Array;
  /** Eigen-decomposition of a symmetric m×m float64 matrix: values ascending, column j of the row-major `vectors` belongs to values[j] (synchronous). */
  symEig(a: Float64Array, m: number, threads: number): { values: Float64Array; vectors: Float64Array };
  /** a·bᵀ for row-major float64 a (n×k) and b (m×k) → n×m (synchronous). */
  mmT(a: Float64Array, b: Float64Array, n: number, k: number, m: number, threads: number): Float64Array;
  /** XGBoost's C API; present only when the addon was built where libxgboost-dev was installed. */
  xgboost?: XgboostBinding;
}

/** A dense float32 row-major matrix with one label per row. */
export interface XgbLabelledMatrix {
  x: Float32Array;
  n: number;
  p: number;
  y: Float32Array;
}

/**
 * One XGBoost booster (native/src/xgboost_booster.cc). Every call is synchronous and short
 * (one round, one evaluation, one prediction): the caller drives the round loop, early
 * stopping and cancellation, inside a job process.
 */
export interface XgbBooster {
  /** One boosting round on the training matrix. */
  update(iteration: number): void;
  /** XGBoost's evaluation line, e.g. "[3]\ttrain-rmse:0.512345\tvalid-rmse:0.601234". */
  evaluate(iteration: number): string;
  /** Predictions of rounds [0, iterationEnd) (0: all rounds). */
  predict(x: Float32Array, n: number, p: number, iterationEnd?: number): Float32Array;
  /**
   * TreeSHAP contributions of rounds [0, iterationEnd) (0: all), n × (p + 1) row-major: one
   * value per feature, then the bias (the model's expected output); each row sums to its
   * prediction (python's `predict(pred_contribs=True)`). Absent from addons built before it.
   */
  contributions?(x: Float32Array, n: number, p: number, iterationEnd?: number): Float32Array;
  /** The whole model as UBJSON or JSON bytes (python's xgboost.Booster loads either). */
  save(format?: 'ubj' | 'json'): Uint8Array;
  boostedRounds(): number;
  numFeatures(): number;
  /** Frees the booster and its matrices now. */
  dispose(): void;
}

export interface XgboostBinding {
  /** Params are set in key order (values as XGBoost's strings); `model` loads a saved model first. */
  Booster: new (options: {
    params?: Record<string, string>;
    train?: XgbLabelledMatrix;
    valid?: XgbLabelledMatrix;
    model?: Uint8Array;
  }) => XgbBooster;
  /** The linked libxgboost's version, e.g. "1.7.4". */
  version(): string;
}

/** XGBoost through the addon, or CAPABILITY_MISSING saying how to get it. */
export function loadXgboost(appRoot: string): XgboostBinding {
  return xgboostOf(loadTrainingAddon(appRoot));
}

/** The addon's XGBoost binding, or CAPABILITY_MISSING when it was built without libxgboost-dev. */
export function xgboostOf(addon: Pick<TrainingAddon, 'xgboost'>): XgboostBinding {
  if (!addon.xgboost) throw new FramelabError('CAPABILITY_MISSING', `the training addon was built without XGBoost: ${XGBOOST_HINT}`);
  return addon.xgboost;
}

/** Loads the addon or throws CAPABILITY_MISSING saying why and how to build it. */
export function loadTrainingAddon(appRoot: string): TrainingAddon {
  const status = loadNativeAddon(appRoot);
  if (!status.available || !status.addon) {
    throw new FramelabError(
      'CAPABILITY_MISSING',
      status.detail.includes('npm run build:native') ? status.detail : `${status.detail} ${BUILD_HINT}`,
      {
        path: status.path,
      },
    );
  }
  return status.addon as TrainingAddon;
}

/** Spatial size of ResNet-50's layer-3 output for an input size (224 → 14, 64 → 4). */
export function featureSize(input: SpatialSize): SpatialSize {
  const down = (x: number, kernel: number, stride: number, pad: number) => Math.floor((x + 2 * pad - kernel) / stride) + 1;
  const side = (x: number) => down(down(down(down(x, 7, 2, 3), 3, 2, 1), 3, 2, 1), 3, 2, 1);
  return { height: side(input.height), width: side(input.width) };
}

/** Whether an error came from the cancel flag. */
export function isCancelled(err: unknown): boolean {
  return err instanceof Error && (err as Error & { code?: string }).code === 'CANCELLED';
}
