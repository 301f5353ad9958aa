import { FramelabError } from '../../../shared/errors';
import type { FramesSampleResult, SamplingStrategy } from '../../../shared/media';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { jobWarnings, runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = `framelab frames sample (--every S | --per-video K [--random [--seed N]] | --existing) [--video ID]... [--json]
       framelab frames list [--video ID] [--limit N] [--offset N] [--json]`;

const invalid = (message: string) => new FramelabError('INVALID_INPUT', `${message}\nUsage: ${USAGE}`);

interface SampleFlags {
  existing?: boolean;
  every?: string;
  'per-video'?: string;
  random?: boolean;
  seed?: string;
}

/** The flags as one strategy; contradictions and out-of-range values are usage errors. */
export function strategyFromFlags(flags: SampleFlags): SamplingStrategy {
  const every = flags.every;
  const perVideo = flags['per-video'];
  if (flags.existing) {
    // The frames already known (e.g. from annotations.csv) get the images they lack.
    if (every !== undefined || perVideo !== undefined || flags.random || flags.seed !== undefined) {
      throw invalid('--existing takes no other sampling flag.');
    }
    return { kind: 'existing' };
  }
  if (every !== undefined && perVideo !== undefined) throw invalid('Use either --every or --per-video, not both.');
  if (every === undefined && perVideo === undefined) throw invalid('frames sample needs --every S, --per-video K or --existing.');
  if (flags.seed !== undefined && !flags.random) throw invalid('--seed only applies with --random.');
  if (every !== undefined) {
    if (flags.random) throw invalid('--random applies to --per-video only.');
    return { kind: 'every', seconds: numberFlag(every, 'every', { min: 0.1, unit: 'seconds', usage: USAGE })! };
  }
  const count = numberFlag(perVideo, 'per-video', { integer: true, min: 1, usage: USAGE })!;
  if (!flags.random) return { kind: 'perVideo', count };
  const seed = numberFlag(flags.seed, 'seed', { integer: true, min: 0, max: 0xffffffff, usage: USAGE }) ?? 0;
  return { kind: 'perVideo', count, random: true, seed };
}

/** What `frames sample --json` prints: the public part of the job's result. */
export function sampleOutput(result: FramesSampleResult) {
  return {
    sampled: result.sampled,
    new: result.new,
    frames: result.frames.map(({ frameId, videoId, timestampS }) => ({ frameId, videoId, timestampS })),
  };
}

export const framesCommand: Command = {
  name: 'frames',
  usage: USAGE,
  summary: 'Sample frames from the imported videos (runs as a job) and list them',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        existing: { type: 'boolean' },
        every: { type: 'string' },
        'per-video': { type: 'string' },
        random: { type: 'boolean' },
        seed: { type: 'string' },
        video: { type: 'string', multiple: true },
        limit: { type: 'string' },
        offset: { type: 'string' },
      },
      USAGE,
    );
    const [action, ...rest] = positionals;
    if (rest.length) throw invalid(`Unexpected argument "${rest[0]}".`);
    if (action === 'sample') {
      if (values.limit !== undefined || values.offset !== undefined) throw invalid('--limit and --offset apply to frames list.');
      const strategy = strategyFromFlags(values);
      const videoIds = values.video?.length ? values.video : undefined;
      return withClient(globals, async (client, mode) => {
        const { job, result } = await runJobForResult(client, mode, globals, 'frames.sample', { strategy, videoIds });
        const warnings = await jobWarnings(client, job.id);
        const text = [...warnings, `Sampled ${result.sampled} frames, ${result.new} new.`].join('\n');
        return { value: sampleOutput(result), text };
      });
    }
    if (action === 'list') {
      if (values.every ?? values['per-video'] ?? values.random ?? values.seed ?? values.existing)
        throw invalid('Sampling flags apply to frames sample.');
      const videos = values.video ?? [];
      if (videos.length > 1) throw invalid('frames list takes one --video.');
      return withClient(globals, async (client) => {
        const out = await client.call('frames.list', {
          videoId: videos[0],
          limit: numberFlag(values.limit, 'limit', { integer: true, min: 0 }) || 100,
          offset: numberFlag(values.offset, 'offset', { integer: true, min: 0 }) ?? 0,
        });
        const lines = out.frames.map((f) => `${f.frameId}  ${f.timestampS.toFixed(1)} s  ${f.image ?? '(no image)'}`);
        lines.push(`${out.frames.length} of ${out.total} frames.`);
        return { value: out, text: lines.join('\n') };
      });
    }
    throw invalid(`Unknown frames action "${action ?? ''}".`);
  },
};
