/**
 * ResNet-50 state dict (torchvision names) → ONNX model (opset 17), for onnxruntime.
 *
 * Three graphs from one set of weights:
 *  - full:     image  "input"    [batch,3,H,W]          → "logits"   [batch,C]
 *  - features: image  "input"    [batch,3,H,W]          → "features" [batch,1024,H/16,W/16]
 *              (conv1 … layer3: the frozen part, whose output the feature cache keeps)
 *  - head:     "features" [batch,1024,h,w]              → "logits"   [batch,C]
 *              (layer4 + avgpool + fc: classifies cached features)
 * head(features(x)) = full(x). The batch dimension is named "batch"; H and W are dynamic too.
 */
import { FramelabError } from '../../../../shared/errors';
import { writeFileAtomic } from '../../workspace/atomic';
import { isFeatureExtractorKey, isTrainableKey, LAYER3_CHANNELS, RESNET50, resnet50Classes, resnet50Shapes } from '../resnet50';
import type { StateDict } from '../weights/tensor';
import { checkStateDict } from '../weights/validate';
import { GraphBuilder } from './graphBuilder';
import { ResNet50Graph } from './resnet50Graph';

export type ResNet50Part = 'full' | 'features' | 'head';

export const ONNX_OPSET = 17;
/** Bump when the exported graph changes in a way that changes outputs (part of cache keys). */
export const ONNX_EXPORTER_VERSION = 1;

/** The tensor names each part's graph reads and writes. */
export const RESNET50_ONNX_IO: Record<ResNet50Part, { input: string; output: string }> = {
  full: { input: 'input', output: 'logits' },
  features: { input: 'input', output: 'features' },
  head: { input: 'features', output: 'logits' },
};

export interface ResNet50OnnxOptions {
  part?: ResNet50Part;
  /** Names the weights in error messages (e.g. the file they came from). */
  source?: string;
}

export interface ResNet50OnnxInfo {
  part: ResNet50Part;
  /** Rows of fc.weight; null for the features graph, which has no classifier. */
  numClasses: number | null;
  input: string;
  output: string;
}

function partOwns(part: ResNet50Part, key: string): boolean {
  if (part === 'features') return isFeatureExtractorKey(key);
  if (part === 'head') return isTrainableKey(key);
  return true;
}

/** BatchNorm's step counter: training bookkeeping that the eval graph never reads. */
function isBatchCounter(key: string): boolean {
  return key.endsWith('.num_batches_tracked');
}

/**
 * Throws INVALID_INPUT naming every missing, unexpected or misshapen key the part needs.
 * Keys of the other parts are ignored (a head-only dict from training exports a head), and so
 * is num_batches_tracked; keys ResNet-50 does not have at all are reported.
 */
function checkPart(dict: StateDict, part: ResNet50Part, source: string): number | null {
  const fcRows = resnet50Classes(dict);
  // With fc.weight missing or misshapen, fc.bias's length (or ImageNet's 1000) only sets the
  // expected shape in the message; checkStateDict names fc.weight either way.
  const numClasses = fcRows ?? (dict.get('fc.bias')?.shape.length === 1 ? dict.get('fc.bias')!.shape[0]! : 1000);
  const all = resnet50Shapes(numClasses);
  const needed = new Map([...all].filter(([key]) => partOwns(part, key) && !isBatchCounter(key)));
  const given: StateDict = new Map([...dict].filter(([key]) => !all.has(key) || (partOwns(part, key) && !isBatchCounter(key))));
  checkStateDict(given, needed, `${source} (ResNet-50, ${part} graph)`);
  return part === 'features' ? null : numClasses;
}

/** Builds the ONNX model for `part` (default 'full') and returns its bytes with what it holds. */
export function buildResNet50Onnx(dict: StateDict, options: ResNet50OnnxOptions = {}): { bytes: Uint8Array; info: ResNet50OnnxInfo } {
  const part = options.part ?? 'full';
  if (!(part in RESNET50_ONNX_IO)) {
    throw new FramelabError('INVALID_INPUT', `Unknown ResNet-50 graph part "${part}": use full, features or head.`);
  }
  const numClasses = checkPart(dict, part, options.source ?? 'The weights');
  const io = RESNET50_ONNX_IO[part];
  const g = new GraphBuilder(`${RESNET50}_${part}`);
  const net = new ResNet50Graph(g, dict);
  if (part === 'head') {
    const x = g.input(io.input, ['batch', LAYER3_CHANNELS, 'features_height', 'features_width']);
    net.classifier(net.layers(x, 4, 4), io.output);
    g.output(io.output, ['batch', numClasses]);
  } else {
    const x = g.input(io.input, ['batch', 3, 'height', 'width']);
    const layer3 = net.layers(net.stem(x), 1, 3);
    if (part === 'features') {
      g.node('Identity', [layer3], io.output);
      g.output(io.output, ['batch', LAYER3_CHANNELS, null, null]);
    } else {
      net.classifier(net.layers(layer3, 4, 4), io.output);
      g.output(io.output, ['batch', numClasses]);
    }
  }
  const info: ResNet50OnnxInfo = { part, numClasses, input: io.input, output: io.output };
  const bytes = g.encode({
    opset: ONNX_OPSET,
    producerName: 'framelab',
    producerVersion: String(ONNX_EXPORTER_VERSION),
    docString: `torchvision ResNet-50 (eval), ${part} graph`,
    metadata: {
      architecture: RESNET50,
      part,
      input: io.input,
      output: io.output,
      ...(numClasses === null ? {} : { num_classes: String(numClasses) }),
    },
  });
  return { bytes, info };
}

/** The ONNX bytes of `part` (default 'full') of a torchvision-layout ResNet-50. */
export function exportResNet50Onnx(dict: StateDict, options: ResNet50OnnxOptions = {}): Uint8Array {
  return buildResNet50Onnx(dict, options).bytes;
}

/** Exports and writes atomically (readers see the old file or the new one, never half). */
export function writeOnnx(file: string, dict: StateDict, options: ResNet50OnnxOptions = {}): ResNet50OnnxInfo {
  const { bytes, info } = buildResNet50Onnx(dict, options);
  writeFileAtomic(file, bytes);
  return info;
}
