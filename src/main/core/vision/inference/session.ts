/**
 * An onnxruntime-node session for one single-input, single-output model (the ResNet-50 graphs
 * of onnx/exportResNet50.ts): picks the execution provider, splits long inputs into batches,
 * and turns logits into predictions. It records which provider it actually runs on and, when
 * that is the CPU although CUDA was wanted, why.
 */
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { FramelabError } from '../../../../shared/errors';
import { classifyLogits, type Classification } from './classify';
import { cudaProviderStatus, type ExecutionProvider, type ProviderPreference } from './providers';

export interface OrtSessionOptions {
  /** Default 'auto': CUDA when its provider loads, CPU otherwise. */
  provider?: ProviderPreference;
  /** Intra-op threads of the CPU provider. Default: the machine's available parallelism. */
  threads?: number;
  /** Items per ORT call when run() gets more. Default 8. */
  batchSize?: number;
  /**
   * Dimensions of one item (without the batch dimension), e.g. [3, 224, 224]. Needed only when
   * the graph leaves more than the batch dynamic and the item is not square: by default, unknown
   * spatial sides are taken as equal.
   */
  itemShape?: number[];
}

export interface RunResult {
  /** [n, ...itemShape] of the output, row-major. */
  data: Float32Array;
  /** Output dimensions of one item. */
  itemShape: number[];
}

const DEFAULT_BATCH_SIZE = 8;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new FramelabError('INVALID_INPUT', `${name} must be a positive integer, got ${value}.`);
  return value;
}

async function createSession(model: string | Uint8Array, providers: ExecutionProvider[], threads: number): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: providers,
    intraOpNumThreads: threads,
    // One graph at a time: inter-op parallelism would fight the intra-op threads for cores.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

export class OrtSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** The provider the session runs on. */
    readonly provider: ExecutionProvider,
    /** Why the session is on the CPU although CUDA was wanted; null otherwise. */
    readonly fallbackReason: string | null,
    readonly threads: number,
    readonly batchSize: number,
    private readonly defaultItemShape: number[] | undefined,
  ) {}

  static async open(model: string | Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const preference = options.provider ?? 'auto';
    const threads = positiveInt('threads', options.threads ?? os.availableParallelism());
    const batchSize = positiveInt('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
    let fallbackReason: string | null = null;
    if (preference !== 'cpu') {
      const cuda = cudaProviderStatus();
      if (cuda.installed) {
        try {
          const session = await createSession(model, ['cuda', 'cpu'], threads);
          return new OrtSession(session, 'cuda', null, threads, batchSize, options.itemShape);
        } catch (err) {
          // Usually the CUDA 12 / cuDNN runtime libraries are missing; the model may be at fault too,
          // in which case the CPU attempt below fails with the same message.
          fallbackReason = `the CUDA provider failed to load: ${(err as Error).message}`;
        }
      } else {
        fallbackReason = cuda.detail;
      }
      if (preference === 'cuda') throw new FramelabError('CAPABILITY_MISSING', `CUDA inference is not available: ${fallbackReason}.`);
    }
    let session: ort.InferenceSession;
    try {
      session = await createSession(model, ['cpu'], threads);
    } catch (err) {
      const what = typeof model === 'string' ? model : 'the ONNX model';
      throw new FramelabError('INVALID_INPUT', `onnxruntime cannot load ${what}: ${(err as Error).message}`);
    }
    return new OrtSession(session, 'cpu', fallbackReason, threads, batchSize, options.itemShape);
  }

  get inputName(): string {
    return this.session.inputNames[0]!;
  }

  get outputName(): string {
    return this.session.outputNames[0]!;
  }

  /** One item's input dimensions, from the caller, the graph's fixed dims, or square spatial sides. */
  private resolveItemShape(itemSize: number, given: number[] | undefined): number[] {
    if (given) {
      if (given.reduce((a, b) => a * b, 1) !== itemSize) {
        throw new FramelabError('INVALID_INPUT', `Item shape [${given.join(', ')}] does not hold ${itemSize} values.`);
      }
      return given;
    }
    const meta = this.session.inputMetadata[0];
    const dims = meta && meta.isTensor ? meta.shape.slice(1) : [];
    const known = dims.filter((d): d is number => typeof d === 'number');
    const unknown = dims.length - known.length;
    const knownSize = known.reduce((a, b) => a * b, 1);
    const side = unknown > 0 ? Math.round((itemSize / knownSize) ** (1 / unknown)) : 1;
    const shape = dims.map((d) => (typeof d === 'number' ? d : side));
    if (dims.length === 0 || shape.reduce((a, b) => a * b, 1) !== itemSize) {
      throw new FramelabError(
        'INVALID_INPUT',
        `Cannot tell the shape of one item of ${itemSize} values for input "${this.inputName}" [batch, ${dims.join(', ')}]: pass itemShape.`,
      );
    }
    return shape;
  }

  /**
   * Runs `n` items laid out one after another in `input` (e.g. [n,3,224,224]), `batchSize` at
   * a time, and returns the outputs in the same order. `itemShape` overrides the session's
   * (e.g. [3, 160, 224] for non-square images on a graph with dynamic sides).
   */
  async run(input: Float32Array, n: number, itemShape = this.defaultItemShape): Promise<RunResult> {
    positiveInt('n', n);
    if (input.length % n !== 0) throw new FramelabError('INVALID_INPUT', `${input.length} input values do not split into ${n} items.`);
    const itemSize = input.length / n;
    const inShape = this.resolveItemShape(itemSize, itemShape);
    let out: Float32Array | null = null;
    let outShape: number[] = [];
    let outItemSize = 0;
    for (let start = 0; start < n; start += this.batchSize) {
      const m = Math.min(this.batchSize, n - start);
      const feed = new ort.Tensor('float32', input.subarray(start * itemSize, (start + m) * itemSize), [m, ...inShape]);
      const result = await this.session.run({ [this.inputName]: feed });
      const tensor = result[this.outputName]!;
      try {
        if (!out) {
          outShape = tensor.dims.slice(1);
          outItemSize = outShape.reduce((a, b) => a * b, 1);
          out = new Float32Array(n * outItemSize);
        }
        out.set(tensor.data as Float32Array, start * outItemSize);
      } finally {
        tensor.dispose();
      }
    }
    return { data: out!, itemShape: outShape };
  }

  /** run() on a classifier graph, plus softmax probabilities and the argmax class per item. */
  async classify(input: Float32Array, n: number, inputItemShape = this.defaultItemShape): Promise<Classification> {
    const { data, itemShape } = await this.run(input, n, inputItemShape);
    if (itemShape.length !== 1) {
      throw new FramelabError(
        'INVALID_INPUT',
        `Output "${this.outputName}" has item shape [${itemShape.join(', ')}], not a vector of logits.`,
      );
    }
    return classifyLogits(data, itemShape[0]!);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
