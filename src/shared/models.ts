import { z } from 'zod';

/**
 * The model registry's contract: every model version Framelab knows (imported or trained),
 * named `<dimension>@<version>`, with its classes, lineage, metrics and an active flag.
 */
export const MODEL_ID_PATTERN = /^([a-z][a-z0-9_]*)@(v[0-9]+[a-z0-9_.-]*)$/;

export const ModelId = z.string().regex(MODEL_ID_PATTERN, 'A model is named <dimension>@<version>, e.g. pov@v7.');

export const ModelVersion = z.string().regex(/^v[0-9]+[a-z0-9_.-]*$/, 'A version looks like v7 or v8 (a "v", a number, optional suffix).');

export const Preprocessing = z.object({
  resize: z.number().int().positive(),
  crop: z.number().int().positive(),
  mean: z.array(z.number()).length(3),
  std: z.array(z.number().positive()).length(3),
  interpolation: z.string().optional(),
});
export type Preprocessing = z.infer<typeof Preprocessing>;

/** torchvision's ImageNet evaluation transform: Resize(256), CenterCrop(224), Normalize. */
export const IMAGENET_PREPROCESSING: Preprocessing = {
  resize: 256,
  crop: 224,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  interpolation: 'bilinear',
};

/** What describes a model version, whether registered or just written by a job. */
const ModelDescription = z.object({
  id: ModelId,
  dimension: z.string(),
  version: z.string(),
  architecture: z.string(),
  classes: z.array(z.string()),
  preprocessing: Preprocessing,
  parentId: z.string().nullable(),
  /** A file path for imports, `job:<id>` for trained models. */
  source: z.string(),
  trainingConfig: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
});

export const ModelSummary = ModelDescription.extend({
  sha256: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  /** The weights (safetensors) relative to the home's files folder. */
  weightsPath: z.string(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelsImportParams = z.object({
  /** A `.pth` state dict (torch.save) or a `.safetensors` file with its sidecar. */
  file: z.string().min(1),
  dimension: z.string().regex(/^[a-z][a-z0-9_]*$/, 'A dimension is a lower-case name such as pov or distance.'),
  version: ModelVersion,
  /** In the order of the network's outputs. */
  classes: z.array(z.string().min(1)).min(2),
  preprocessing: Preprocessing.optional(),
  parentId: ModelId.nullable().default(null),
  /** Make it the dimension's active model (default: when the dimension has none yet). */
  activate: z.boolean().optional(),
});
export type ModelsImportParams = z.infer<typeof ModelsImportParams>;

/** What an import job wrote under the files folder; the owner registers it. */
export const StagedModel = ModelDescription.extend({
  activate: z.boolean().optional(),
  weights: z.object({ path: z.string(), sha256: z.string(), size: z.number().int() }),
  sidecar: z.object({ path: z.string(), sha256: z.string(), size: z.number().int() }),
});
export type StagedModel = z.infer<typeof StagedModel>;

export const ModelsImportResult = z.object({
  model: StagedModel,
  /** Notes about the file (e.g. a DataParallel `module.` prefix that was removed). */
  notes: z.array(z.string()),
  /** Set by the owner once registered. */
  registered: ModelSummary.optional(),
});
export type ModelsImportResult = z.infer<typeof ModelsImportResult>;

export const ModelsPredictParams = z.object({
  model: ModelId,
  images: z.array(z.string().min(1)).min(1),
  batchSize: z.number().int().positive().max(256).default(8),
});
export type ModelsPredictParams = z.infer<typeof ModelsPredictParams>;

export const Prediction = z.object({
  image: z.string(),
  class: z.string(),
  confidence: z.number(),
  probabilities: z.record(z.string(), z.number()),
});
export type Prediction = z.infer<typeof Prediction>;

export const ModelsPredictResult = z.object({
  model: z.string(),
  /** The ONNX Runtime execution provider that ran it (cuda or cpu). */
  provider: z.string(),
  predictions: z.array(Prediction),
});
export type ModelsPredictResult = z.infer<typeof ModelsPredictResult>;

export const EXPORT_FORMATS = ['pth', 'safetensors', 'onnx'] as const;
export const ModelsExportParams = z.object({
  model: ModelId,
  format: z.enum(EXPORT_FORMATS),
  out: z.string().min(1),
  /** Replace a file already at `out` (and its sidecar); without it an existing file is refused. */
  overwrite: z.boolean().default(false),
  /** For ONNX: the full network, or layers 1–3 alone as a feature extractor. */
  part: z.enum(['full', 'features']).default('full'),
});
export type ModelsExportParams = z.infer<typeof ModelsExportParams>;

export const ModelsExportResult = z.object({
  model: z.string(),
  format: z.enum(EXPORT_FORMATS),
  part: z.enum(['full', 'features']),
  out: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});
export type ModelsExportResult = z.infer<typeof ModelsExportResult>;
