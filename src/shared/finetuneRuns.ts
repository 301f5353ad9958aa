import { z } from 'zod';
import { CvKind, FinetuneParams, FinetuneResult, FinetuneRunState } from './finetune';
import { JobSummary } from './jobs';

/**
 * What the Fine-tune screens read about a `finetune.run` job: its parameters, its run state
 * (the job's checkpoint while it runs or after it stopped, the result's `run` once finished),
 * the result, and the gold frames it trained on (for thumbnails of fixed and regressed frames).
 */

const count = z.number().int().min(0);

/** A gold frame of the run's snapshot, as the galleries show it. */
export const FinetuneRunFrame = z.object({
  videoId: z.string(),
  timestampS: z.number(),
  /** The gold code. */
  code: z.string(),
  /** Stored paths (relative to the home's files), for `fileUrl`; null when the image is gone. */
  image: z.string().nullable(),
  thumb: z.string().nullable(),
});
export type FinetuneRunFrame = z.infer<typeof FinetuneRunFrame>;

export const FinetuneRunView = z.object({
  job: JobSummary,
  params: FinetuneParams,
  state: FinetuneRunState.nullable(),
  result: FinetuneResult.nullable(),
  /** The cross-validations this run does, in order, with their number of folds (from the snapshot). */
  plan: z.array(z.object({ cv: CvKind, folds: count })),
  /** The new version's id (e.g. pov@v8), from the base and the requested version. */
  newModelId: z.string().nullable(),
  /** Whether the new version is in the model registry now (the job registers it only when saved). */
  registered: z.boolean(),
  /** The snapshot's frames by frame id. */
  frames: z.record(z.string(), FinetuneRunFrame),
});
export type FinetuneRunView = z.infer<typeof FinetuneRunView>;

/** One past or running fine-tune in a list: the job without its (large) result, and the outcome in brief. */
export const FinetuneRunSummary = z.object({
  job: JobSummary,
  params: FinetuneParams,
  newModelId: z.string().nullable(),
  outcome: z
    .object({
      dimension: z.string(),
      save: z.boolean(),
      /** The decision in one sentence (metric, both values, delta, interval, p). */
      reason: z.string(),
      newModel: z.string().nullable(),
    })
    .nullable(),
});
export type FinetuneRunSummary = z.infer<typeof FinetuneRunSummary>;

/** The version a run names its new model when none is given: the base's number + 1 (v7 → v8); null without a number. */
export function defaultNewVersion(baseVersion: string): string | null {
  const match = /^v([0-9]+)/.exec(baseVersion);
  return match ? `v${Number(match[1]) + 1}` : null;
}

/** `pov@v8` for a run of `pov@v7` (or its explicit version); null when it cannot be named. */
export function newModelIdOf(params: Pick<FinetuneParams, 'baseModel' | 'version'>): string | null {
  const at = params.baseModel.indexOf('@');
  if (at <= 0) return null;
  const version = params.version ?? defaultNewVersion(params.baseModel.slice(at + 1));
  return version ? `${params.baseModel.slice(0, at)}@${version}` : null;
}
