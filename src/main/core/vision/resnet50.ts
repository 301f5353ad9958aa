/**
 * torchvision's ResNet-50 layout, in one place: every state-dict key with its shape, in the
 * order torchvision's `state_dict()` lists them, and which parts fine-tuning trains.
 * Import, ONNX export, the feature cache and the training addon all agree on these names.
 */

export const RESNET50 = 'resnet50';

/** Bottleneck blocks per stage and the stage's width (output channels are width × 4). */
export const RESNET50_STAGES = [
  { name: 'layer1', blocks: 3, planes: 64, stride: 1 },
  { name: 'layer2', blocks: 4, planes: 128, stride: 2 },
  { name: 'layer3', blocks: 6, planes: 256, stride: 2 },
  { name: 'layer4', blocks: 3, planes: 512, stride: 2 },
] as const;

export const BOTTLENECK_EXPANSION = 4;
export const RESNET50_FEATURES = 2048;
/** Channels of layer 3's output: what the frozen-feature cache stores per frame. */
export const LAYER3_CHANNELS = 1024;

function batchNorm(shapes: Map<string, number[]>, prefix: string, channels: number): void {
  shapes.set(`${prefix}.weight`, [channels]);
  shapes.set(`${prefix}.bias`, [channels]);
  shapes.set(`${prefix}.running_mean`, [channels]);
  shapes.set(`${prefix}.running_var`, [channels]);
  shapes.set(`${prefix}.num_batches_tracked`, []);
}

/** Every key of torchvision.models.resnet50(num_classes) → its shape, in state-dict order. */
export function resnet50Shapes(numClasses: number): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapes.set('conv1.weight', [64, 3, 7, 7]);
  batchNorm(shapes, 'bn1', 64);
  let inplanes = 64;
  for (const stage of RESNET50_STAGES) {
    const out = stage.planes * BOTTLENECK_EXPANSION;
    for (let b = 0; b < stage.blocks; b++) {
      const p = `${stage.name}.${b}`;
      shapes.set(`${p}.conv1.weight`, [stage.planes, inplanes, 1, 1]);
      batchNorm(shapes, `${p}.bn1`, stage.planes);
      shapes.set(`${p}.conv2.weight`, [stage.planes, stage.planes, 3, 3]);
      batchNorm(shapes, `${p}.bn2`, stage.planes);
      shapes.set(`${p}.conv3.weight`, [out, stage.planes, 1, 1]);
      batchNorm(shapes, `${p}.bn3`, out);
      if (b === 0) {
        shapes.set(`${p}.downsample.0.weight`, [out, inplanes, 1, 1]);
        batchNorm(shapes, `${p}.downsample.1`, out);
      }
      inplanes = out;
    }
  }
  shapes.set('fc.weight', [numClasses, RESNET50_FEATURES]);
  shapes.set('fc.bias', [numClasses]);
  return shapes;
}

/** The number of classes a ResNet-50 state dict predicts (rows of fc.weight), or null. */
export function resnet50Classes(shapes: Map<string, { shape: number[] }>): number | null {
  const fc = shapes.get('fc.weight');
  return fc && fc.shape.length === 2 ? fc.shape[0]! : null;
}

/** Fine-tuning trains layer4 and fc; everything before (conv1, bn1, layers 1–3) stays frozen. */
export function isTrainableKey(key: string): boolean {
  return key.startsWith('layer4.') || key.startsWith('fc.');
}

/** Keys whose values determine layer 3's output: the frozen feature extractor. */
export function isFeatureExtractorKey(key: string): boolean {
  return !isTrainableKey(key);
}
