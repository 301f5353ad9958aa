import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { FramesSampleParams, FramesSampleResult, SampledFrame } from '../../../shared/media';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { extractFrame, removeTmpFiles } from './extract';
import { allVideos, framesOfVideo, videoById, type VideoRow } from './queries';
import { sampleTimestamps } from './sampling';
import { frameIdAt, tenthsToSeconds, toTenths } from './videoIds';

/**
 * The `frames.sample` job: picks timestamps per video, and extracts each frame that has no
 * image yet (frame and thumbnail, under temporary names). Frames that already have their
 * image are listed but never extracted again. The owner registers the files and rows.
 */
function videosToSample(db: Db, videoIds: string[] | undefined): VideoRow[] {
  if (!videoIds) return allVideos(db).filter((v) => v.path !== null);
  const unknown = videoIds.filter((id) => !videoById(db, id));
  if (unknown.length) {
    throw new FramelabError(
      'NOT_FOUND',
      `No video ${unknown.map((id) => `"${id}"`).join(', ')}; \`framelab videos list\` shows the imported ones.`,
    );
  }
  return [...new Set(videoIds)].map((id) => videoById(db, id)!);
}

/** ffmpeg spends most of its wall time starting up, not decoding: a few at once pay off. */
const EXTRACT_CONCURRENCY = 4;

/** Runs fn over items, at most `limit` at once; the first failure stops new starts and is rethrown once all settled. */
async function inPool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (!failures.length && next < items.length) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length) throw failures[0];
}

interface Planned {
  video: VideoRow & { path: string };
  frame: SampledFrame;
  /** Needs extracting (no image yet). */
  extract: boolean;
  /** The frame already has a row (perhaps without an image). */
  hasRow: boolean;
}

export async function runSampling(ctx: JobContext, db: Db, home: HomePaths, params: FramesSampleParams): Promise<FramesSampleResult> {
  const videos = videosToSample(db, params.videoIds);
  const problems: string[] = [];
  const skip = (videoId: string, reason: string) => {
    problems.push(`${videoId}: ${reason}`);
    ctx.log('warn', `${videoId}: ${reason}`);
  };

  // Plan: every timestamp of every video, and which frames still need their image.
  const plan: Planned[] = [];
  for (const video of videos) {
    if (!video.path || video.duration_s === null) {
      skip(video.video_id, 'it has no video file yet; import the file first');
      continue;
    }
    if (!fs.existsSync(video.path)) {
      skip(video.video_id, `its file ${video.path} is missing; import it again from where it is now`);
      continue;
    }
    const existing = new Map(framesOfVideo(db, video.video_id).map((f) => [toTenths(f.timestamp_s), f]));
    const strategy = params.strategy;
    const slots =
      strategy.kind === 'existing'
        ? [...existing.keys()].sort((a, b) => a - b)
        : sampleTimestamps(strategy, video.duration_s, video.video_id);
    for (const tenths of slots) {
      const row = existing.get(tenths);
      const frame: SampledFrame = {
        frameId: row?.frame_id ?? frameIdAt(video.video_id, tenths),
        videoId: video.video_id,
        timestampS: tenthsToSeconds(tenths),
        created: false,
        image: null,
        thumb: null,
      };
      plan.push({ video: { ...video, path: video.path }, frame, extract: !row?.image_path, hasRow: row !== undefined });
    }
  }

  // Extract what is missing, a few at a time; the plan keeps the order of the result.
  const todo = plan.filter((p) => p.extract);
  const failed = new Set<Planned>();
  let done = 0;
  ctx.progress(0, todo.length ? 'Extracting frames' : 'Nothing new to extract');
  try {
    await inPool(todo, EXTRACT_CONCURRENCY, async (item) => {
      ctx.throwIfCancelled();
      const { video, frame } = item;
      const name = path.basename(video.path);
      try {
        const files = await extractFrame(
          home,
          video.path,
          { videoId: video.video_id, frameId: frame.frameId, seconds: frame.timestampS },
          ctx.jobId,
        );
        Object.assign(frame, files, { created: !item.hasRow });
      } catch (err) {
        if (err instanceof FramelabError) throw err;
        failed.add(item);
        skip(video.video_id, (err as Error).message);
      }
      done++;
      ctx.progress(done / todo.length, `Extracting frames from ${name} (${done}/${todo.length})`);
    });
  } catch (err) {
    removeTmpFiles(
      home,
      plan.flatMap((p) => [p.frame.image, p.frame.thumb]),
    );
    throw err;
  }

  const frames = plan.filter((p) => !failed.has(p)).map((p) => p.frame);
  if (!frames.length && problems.length) throw new FramelabError('JOB_FAILED', `No frame could be sampled: ${problems.join('; ')}`);
  if (!videos.length) ctx.log('warn', 'There are no videos to sample; import some first.');
  ctx.progress(1, `Sampled ${frames.length} frames from ${videos.length} videos`);
  return { sampled: frames.length, new: frames.filter((f) => f.created).length, frames };
}
