import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferParams, InferSampling } from '../../../shared/infer';
import { isGsUrl, sameGsTarget } from '../../core/infer/gsUrl';
import { mergeShards } from '../../core/infer/merge';
import { parseShard } from '../../core/infer/videoList';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = `framelab infer --videos DIR|gs://BUCKET/PREFIX --models D@vN,D@vN --out DIR|gs://BUCKET/PREFIX
                [--every S | --per-video K [--random --seed N]]
                [--workers 4] [--model-threads N] [--batch 16] [--checkpoint 500] [--shard K/N] [--fresh]
                [--upload gs://BUCKET/PREFIX] [--keep-cache] [--json]
       framelab infer merge --out DIR SHARD_DIR... [--json]`;

function sampling(values: Record<string, string | boolean | undefined>): InferSampling {
  const every = numberFlag(values.every as string | undefined, 'every', { positive: true, unit: 'seconds' });
  const perVideo = numberFlag(values['per-video'] as string | undefined, 'per-video', { integer: true, min: 1 });
  if (every !== undefined && perVideo !== undefined) throw new FramelabError('INVALID_INPUT', 'Give --every or --per-video, not both.');
  if ((values.random || values.seed !== undefined) && perVideo === undefined) {
    throw new FramelabError('INVALID_INPUT', '--random and --seed go with --per-video K.');
  }
  if (perVideo !== undefined) {
    const seed = numberFlag(values.seed as string | undefined, 'seed', { integer: true }) ?? 0;
    return { kind: 'perVideo', count: perVideo, random: Boolean(values.random), seed };
  }
  return { kind: 'every', seconds: every ?? 1 };
}

export const inferCommand: Command = {
  name: 'infer',
  usage: USAGE,
  summary:
    'Batch inference: videos through the models into prediction CSVs in a folder or gs://BUCKET/PREFIX (resumable: with --out gs:// or --upload, also on a new machine from the bucket; --fresh discards, in the bucket too); merge shards',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        videos: { type: 'string' },
        models: { type: 'string' },
        out: { type: 'string' },
        every: { type: 'string' },
        'per-video': { type: 'string' },
        random: { type: 'boolean' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        'model-threads': { type: 'string' },
        batch: { type: 'string' },
        checkpoint: { type: 'string' },
        'checkpoint-every': { type: 'string' },
        shard: { type: 'string' },
        fresh: { type: 'boolean' },
        upload: { type: 'string' },
        'keep-cache': { type: 'boolean' },
      },
      USAGE,
    );
    if (!values.out) throw new FramelabError('INVALID_INPUT', `infer needs --out DIR or --out gs://BUCKET/PREFIX.\nUsage: ${USAGE}`);
    const toBucket = isGsUrl(values.out);
    const out = toBucket ? values.out : path.resolve(values.out);

    if (positionals[0] === 'merge') {
      if (toBucket)
        throw new FramelabError(
          'INVALID_INPUT',
          `infer merge writes to a folder, not ${values.out}: give --out DIR (and upload the merged CSVs yourself).`,
        );
      const shards = positionals.slice(1).map((d) => path.resolve(d));
      const result = mergeShards(out, shards);
      return {
        value: result,
        text: `merged ${result.shards} shard(s): ${result.videos} videos, ${result.frames} frames, ${result.errors} error(s) into ${out}`,
      };
    }
    if (positionals.length)
      throw new FramelabError('INVALID_INPUT', `infer takes no positional arguments (except "merge").\nUsage: ${USAGE}`);
    if (!values.videos) throw new FramelabError('INVALID_INPUT', `infer needs --videos DIR.\nUsage: ${USAGE}`);
    if (!values.models) throw new FramelabError('INVALID_INPUT', `infer needs --models D@vN,D@vN.\nUsage: ${USAGE}`);
    const params: InferParams = {
      videos: values.videos.startsWith('gs://') ? values.videos : path.resolve(values.videos),
      models: values.models
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
      sampling: sampling(values),
      workers: numberFlag(values.workers, 'workers', { integer: true, min: 1 }) ?? 4,
      batchSize: numberFlag(values.batch, 'batch', { integer: true, min: 1 }) ?? 16,
      modelThreads: numberFlag(values['model-threads'], 'model-threads', { integer: true, min: 1 }),
      checkpointEvery: numberFlag(values.checkpoint ?? values['checkpoint-every'], 'checkpoint', { integer: true, min: 1 }) ?? 500,
      shard: values.shard ? parseShard(values.shard) : null,
      fresh: Boolean(values.fresh),
      outDir: out,
      ...(values.upload ? { uploadTo: values.upload } : {}),
      ...(values['keep-cache'] ? { keepCache: true } : {}),
    };
    if (params.uploadTo && !params.uploadTo.startsWith('gs://'))
      throw new FramelabError('INVALID_INPUT', `--upload takes gs://BUCKET/PREFIX, not "${params.uploadTo}".`);
    if (toBucket && params.uploadTo && !sameGsTarget(params.uploadTo, out)) {
      throw new FramelabError(
        'INVALID_INPUT',
        `--out ${out} already puts the results in the bucket; --upload ${params.uploadTo} would copy them to a second place. Give one of them.`,
      );
    }
    return withClient(globals, async (client, mode) => {
      const { result } = await runJobForResult(client, mode, globals, 'infer.run', params);
      const text = `${result.videos} videos (${result.resumedFrom} from an earlier run), ${result.frames} frames, ${result.errors} error(s) in ${result.outDir}`;
      return { value: result, text };
    });
  },
};
