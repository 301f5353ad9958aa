/**
 * The ResNet-50 forward pass (eval mode) as ONNX nodes, from a state dict already checked
 * against resnet50Shapes. Initializers keep the state-dict keys as names, so an exported file
 * can be audited tensor by tensor against the safetensors it came from.
 *
 * BatchNorm stays a BatchNormalization node (epsilon 1e-5, running statistics) rather than
 * being folded into the preceding conv here: onnxruntime fuses Conv+BatchNormalization when
 * it loads the graph (its basic optimisation level), so folding in TypeScript would buy no
 * speed, would store weights that no longer match the state dict, and would be one more piece
 * of arithmetic to get wrong.
 */
import { BOTTLENECK_EXPANSION, RESNET50_STAGES } from '../resnet50';
import type { StateDict } from '../weights/tensor';
import type { GraphBuilder } from './graphBuilder';

/** torch.nn.BatchNorm2d's default epsilon, which torchvision's ResNet keeps. */
const BN_EPSILON = 1e-5;

interface ConvSpec {
  kernel: number;
  stride: number;
  pad: number;
}

export class ResNet50Graph {
  constructor(
    private readonly g: GraphBuilder,
    private readonly dict: StateDict,
  ) {}

  private param(key: string): string {
    return this.g.initializer(key, this.dict.get(key)!);
  }

  /** conv (no bias, as in torchvision) → BatchNormalization → optional ReLU. */
  private convBn(x: string, conv: string, bn: string, spec: ConvSpec, relu: boolean): string {
    const k = spec.kernel;
    const p = spec.pad;
    const y = this.g.node('Conv', [x, this.param(`${conv}.weight`)], conv, {
      kernel_shape: [k, k],
      strides: [spec.stride, spec.stride],
      pads: [p, p, p, p],
      dilations: [1, 1],
      group: 1,
    });
    const z = this.g.node(
      'BatchNormalization',
      [y, this.param(`${bn}.weight`), this.param(`${bn}.bias`), this.param(`${bn}.running_mean`), this.param(`${bn}.running_var`)],
      bn,
      { epsilon: { float: BN_EPSILON } },
    );
    return relu ? this.g.node('Relu', [z], `${bn}.relu`) : z;
  }

  /** conv1 → bn1 → relu → maxpool: image [N,3,H,W] → [N,64,H/4,W/4]. */
  stem(x: string): string {
    const y = this.convBn(x, 'conv1', 'bn1', { kernel: 7, stride: 2, pad: 3 }, true);
    return this.g.node('MaxPool', [y], 'maxpool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  }

  private bottleneck(x: string, prefix: string, stride: number, downsample: boolean): string {
    const a = this.convBn(x, `${prefix}.conv1`, `${prefix}.bn1`, { kernel: 1, stride: 1, pad: 0 }, true);
    const b = this.convBn(a, `${prefix}.conv2`, `${prefix}.bn2`, { kernel: 3, stride, pad: 1 }, true);
    const c = this.convBn(b, `${prefix}.conv3`, `${prefix}.bn3`, { kernel: 1, stride: 1, pad: 0 }, false);
    const identity = downsample
      ? this.convBn(x, `${prefix}.downsample.0`, `${prefix}.downsample.1`, { kernel: 1, stride, pad: 0 }, false)
      : x;
    const sum = this.g.node('Add', [c, identity], `${prefix}.add`);
    return this.g.node('Relu', [sum], `${prefix}.relu`);
  }

  /** layer1 … layer`last` (1-based, inclusive), starting at layer`first`. */
  layers(x: string, first: number, last: number): string {
    let y = x;
    let inChannels = first === 1 ? 64 : RESNET50_STAGES[first - 2]!.planes * BOTTLENECK_EXPANSION;
    for (let s = first; s <= last; s++) {
      const stage = RESNET50_STAGES[s - 1]!;
      const outChannels = stage.planes * BOTTLENECK_EXPANSION;
      for (let b = 0; b < stage.blocks; b++) {
        const stride = b === 0 ? stage.stride : 1;
        // torchvision adds a downsample path exactly where the identity's shape would not fit.
        const downsample = b === 0 && (stride !== 1 || inChannels !== outChannels);
        y = this.bottleneck(y, `${stage.name}.${b}`, stride, downsample);
        inChannels = outChannels;
      }
    }
    return y;
  }

  /** avgpool → flatten → fc: [N,2048,h,w] → logits [N,C]. */
  classifier(x: string, output: string): string {
    const pooled = this.g.node('GlobalAveragePool', [x], 'avgpool');
    const flat = this.g.node('Flatten', [pooled], 'flatten', { axis: 1 });
    return this.g.node('Gemm', [flat, this.param('fc.weight'), this.param('fc.bias')], output, { transB: 1 });
  }
}
