import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { InferParams } from '../../../shared/infer';
import type { InferOutputFolder, InferRunOverview } from '../../../shared/inferResults';
import type { JobSummary } from '../../../shared/jobs';
import type { Core } from '../core';
import { cached } from '../db/open';
import { exportResults } from './exportResults';
import { frameImage } from './frameImage';
import { MANIFEST_FILE } from './outputState';
import { isGsUrl } from './gsUrl';
import { localStateDir } from './outputTarget';
import { indexedVideo, resultsIndex } from './resultsIndex';
import type { HandlerGroup } from '../api/types';

/**
 * Batch inference results as the screens read them (issue 9, item 5). Runs start, cancel and
 * resume through the jobs API (`infer.run`); everything here reads the output folder.
 */

const KIND = 'infer.run';
const MAX_ERROR_ROWS = 500;

/** infer.run jobs, newest first, with their parsed params (rows an older version wrote that do not parse are skipped). */
function inferJobs(core: Core, limit: number): { job: JobSummary; params: InferParams }[] {
  const ids = cached(core.db, `SELECT id FROM jobs WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`).all(KIND, limit) as {
    id: string;
  }[];
  return ids.flatMap(({ id }) => {
    const job = core.jobRepo.get(id);
    const params = InferParams.safeParse(job.params);
    return params.success ? [{ job, params: params.data }] : [];
  });
}

function latestJobFor(core: Core, outDir: string): InferRunOverview['job'] {
  const found = inferJobs(core, 1000).find((j) => localStateDir(core.home.root, j.params.outDir) === outDir);
  return found ? { id: found.job.id, status: found.job.status } : null;
}

/** A run's folder as the screens name it: a bucket output (gs://…) is read from its staging folder in the home. */
const stateDir = (core: Core, outDir: string): string => (isGsUrl(outDir) ? (localStateDir(core.home.root, outDir) ?? outDir) : outDir);

export const inferHandlers: HandlerGroup<'infer.outputs' | 'infer.results' | 'infer.videoFrames' | 'infer.frameImage' | 'infer.export'> = {
  'infer.outputs': ({ limit }, core) => {
    const seen = new Set<string>();
    const outputs: InferOutputFolder[] = [];
    for (const { job, params } of inferJobs(core, 1000)) {
      // A bucket output is read from its staging folder in the home (outputTarget.ts).
      const outDir = localStateDir(core.home.root, params.outDir);
      if (outDir === null || seen.has(outDir)) continue;
      seen.add(outDir);
      outputs.push({
        outDir,
        jobId: job.id,
        status: job.status,
        createdAt: job.createdAt,
        videos: params.videos,
        models: params.models,
        exists: fs.existsSync(path.join(outDir, MANIFEST_FILE)),
      });
      if (outputs.length >= limit) break;
    }
    return { outputs };
  },
  'infer.results': ({ outDir, search, offset, limit }, core) => {
    const index = resultsIndex(stateDir(core, outDir));
    const needle = search.trim().toLowerCase();
    const matching = needle ? index.videos.filter((v) => v.videoId.toLowerCase().includes(needle)) : index.videos;
    return {
      overview: {
        outDir: index.outDir,
        models: index.models,
        sampling: index.manifest.sampling,
        shard: index.manifest.shard,
        complete: index.complete,
        source: index.source,
        videos: index.videos.length,
        frames: index.frames,
        errors: index.errors.length,
        job: latestJobFor(core, index.outDir),
      },
      distribution: index.distribution,
      videos: {
        rows: matching.slice(offset, offset + limit).map((v) => ({ videoId: v.videoId, nFrames: v.nFrames, models: v.models })),
        total: matching.length,
        offset,
      },
      errorRows: index.errors.slice(0, MAX_ERROR_ROWS),
    };
  },
  'infer.videoFrames': ({ outDir, videoId }, core) => {
    const index = resultsIndex(stateDir(core, outDir));
    const video = indexedVideo(index, videoId);
    return { videoId, path: video.path, models: index.models, frames: video.frames() };
  },
  'infer.frameImage': async ({ outDir, videoId, timestampS, maxWidth }, core) => {
    const index = resultsIndex(stateDir(core, outDir));
    const video = indexedVideo(index, videoId);
    if (!video.path) {
      throw new FramelabError(
        'NOT_FOUND',
        `${index.outDir} holds only merged CSVs, which do not record where ${videoId} is: open a shard's own output folder to see its frames.`,
      );
    }
    if (!video.frames().some((f) => Math.abs(f.timestampS - timestampS) < 1e-6)) {
      throw new FramelabError('INVALID_INPUT', `${videoId} has no predicted frame at ${timestampS} s.`);
    }
    return frameImage(core.home, video.path, timestampS, maxWidth);
  },
  'infer.export': ({ outDir, dest, overwrite }, core) => exportResults(stateDir(core, outDir), dest, overwrite),
};
