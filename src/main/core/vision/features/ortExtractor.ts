/**
 * The frozen part of a ResNet-50 (conv1 … layer3) as a FeatureExtractor, run by ONNX Runtime
 * (CUDA when present). Feeding the feature cache this way keeps LibTorch out of the picture
 * until training, and gives the same layer-3 output torchvision computes (parity-tested).
 */
import type { Preprocessing } from '../../../../shared/models';
import { OrtSession, type OrtSessionOptions } from '../inference/session';
import { ensureOnnx } from '../onnx/modelCache';
import type { StateDict } from '../weights/tensor';
import { extractorKey, type FeatureExtractor } from './cache';

export class OrtFeatureExtractor implements FeatureExtractor {
  private constructor(
    readonly key: string,
    readonly preprocessing: Preprocessing,
    private readonly session: OrtSession,
  ) {}

  /** `weightsSha256` names the cached ONNX graph; `dict` is read only to export it and key the cache. */
  static async open(
    homeRoot: string,
    weightsSha256: string,
    dict: StateDict,
    preprocessing: Preprocessing,
    options: OrtSessionOptions = {},
  ): Promise<OrtFeatureExtractor> {
    const file = ensureOnnx(homeRoot, weightsSha256, 'features', () => dict, `features of ${weightsSha256.slice(0, 12)}`);
    const session = await OrtSession.open(file, options);
    return new OrtFeatureExtractor(extractorKey(dict, preprocessing), preprocessing, session);
  }

  get provider(): string {
    return this.session.provider;
  }

  async extract(images: Float32Array, count: number): Promise<{ data: Float32Array; shape: number[] }> {
    const { data, itemShape } = await this.session.run(images, count, [3, this.preprocessing.crop, this.preprocessing.crop]);
    return { data, shape: [count, ...itemShape] };
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
