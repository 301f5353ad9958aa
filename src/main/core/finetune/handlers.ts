import { FramelabError } from '../../../shared/errors';
import { FinetuneParams, FinetuneResult, FinetuneRunState, type CvKind } from '../../../shared/finetune';
import { newModelIdOf, type FinetuneRunFrame, type FinetuneRunSummary, type FinetuneRunView } from '../../../shared/finetuneRuns';
import type { JobSummary } from '../../../shared/jobs';
import type { Core } from '../core';
import { cached } from '../db/open';
import { findModel } from '../models/registry';
import type { HandlerGroup } from '../api/types';

/**
 * Fine-tune runs as the screens read them. A run is a `finetune.run` job: its live state is the
 * job's checkpoint (saved after every epoch, kept when the job stops), its final state the
 * result's `run`. Starting, cancelling and resuming go through the jobs API.
 */

const KIND = 'finetune.run';

function finetuneJob(core: Core, jobId: string): JobSummary {
  const job = core.jobRepo.get(jobId);
  if (job.kind !== KIND) throw new FramelabError('INVALID_INPUT', `Job ${jobId} is a ${job.title.toLowerCase()} job, not a fine-tune run.`);
  return job;
}

/** Jobs store what the supervisor parsed, so this only fills what an older version left out. */
const paramsOf = (job: JobSummary) => FinetuneParams.parse(job.params);

interface GoldItemRow {
  frame_id: string;
  video_id: string;
  timestamp_s: number;
  code: string;
  image_path: string | null;
  thumb_path: string | null;
}

function snapshotFrames(core: Core, snapshotId: string): Record<string, FinetuneRunFrame> {
  const rows = cached(
    core.db,
    `SELECT g.frame_id, g.video_id, g.timestamp_s, g.code, g.image_path, f.thumb_path
       FROM gold_items g LEFT JOIN frames f ON f.frame_id = g.frame_id
      WHERE g.snapshot_id = ? ORDER BY g.frame_id`,
  ).all(snapshotId) as GoldItemRow[];
  return Object.fromEntries(
    rows.map((r) => [
      r.frame_id,
      { videoId: r.video_id, timestampS: r.timestamp_s, code: r.code, image: r.image_path, thumb: r.thumb_path ?? r.image_path },
    ]),
  );
}

/** Folds per cross-validation, as the job makes them: one per frame (loo), one per video. */
function plan(params: FinetuneParams, frames: Record<string, FinetuneRunFrame>): { cv: CvKind; folds: number }[] {
  const kinds: CvKind[] = params.cv === 'both' ? ['loo', 'video'] : [params.cv];
  const list = Object.values(frames);
  return kinds.map((cv) => ({ cv, folds: cv === 'loo' ? list.length : new Set(list.map((f) => f.videoId)).size }));
}

function runView(core: Core, jobId: string): FinetuneRunView {
  const job = finetuneJob(core, jobId);
  const params = paramsOf(job);
  const result = job.status === 'succeeded' && job.result !== null ? FinetuneResult.parse(job.result) : null;
  const checkpoint = result ? null : core.jobRepo.checkpoint(jobId);
  const state = result ? result.run : checkpoint === null ? null : FinetuneRunState.parse(checkpoint);
  const frames = snapshotFrames(core, params.goldSnapshotId);
  const newModelId = result?.entry.newModel?.id ?? newModelIdOf(params);
  const newModel = newModelId ? findModel(core.db, newModelId) : null;
  return {
    job,
    params,
    state,
    result,
    plan: plan(params, frames),
    newModelId,
    // Registered by this run, not a same-named version from elsewhere.
    registered: newModel !== null && newModel.source === `job:${jobId}`,
    frames,
  };
}

function runSummary(job: JobSummary): FinetuneRunSummary {
  const params = paramsOf(job);
  const parsed = job.status === 'succeeded' ? FinetuneResult.safeParse(job.result) : null;
  const result = parsed?.success ? parsed.data : null;
  return {
    job: { ...job, result: null },
    params,
    newModelId: result?.entry.newModel?.id ?? newModelIdOf(params),
    outcome: result
      ? {
          dimension: result.dimension,
          save: result.entry.decision.save,
          reason: result.entry.decision.reason,
          newModel: result.entry.newModel?.id ?? null,
        }
      : null,
  };
}

export const finetuneHandlers: HandlerGroup<'finetune.run' | 'finetune.runs'> = {
  'finetune.run': ({ jobId }, core) => runView(core, jobId),
  'finetune.runs': ({ limit }, core) => {
    const ids = cached(core.db, `SELECT id FROM jobs WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`).all(KIND, limit) as {
      id: string;
    }[];
    return { runs: ids.map(({ id }) => runSummary(core.jobRepo.get(id))) };
  },
};
