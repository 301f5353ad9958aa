/** The pure parts of batch inference: class slugs, the per-video vote, CSV rendering, shards. */
import { describe, expect, it } from 'vitest';
import { renderCsvs, slugClass, videoVote, type VideoRecord } from '../../src/main/core/infer/outputs';
import { manifestDifferences, type InferManifest } from '../../src/main/core/infer/outputState';
import { inShard, parseShard, shardOf } from '../../src/main/core/infer/videoList';
import { FramelabError } from '../../src/shared/errors';

describe('infer outputs', () => {
  it('slugs class names: lower case, anything but letters and digits becomes _', () => {
    expect(slugClass('1st person')).toBe('1st_person');
    expect(slugClass('Close-up')).toBe('close_up');
    expect(slugClass('No person (crowd)')).toBe('no_person__crowd_');
  });

  it('votes by majority; a tie goes to the highest mean probability', () => {
    // Two frames for class 0 (weakly), two for class 1 (strongly): tie → class 1.
    const tie = videoVote(
      [
        [0.5, 0.4, 0.1],
        [0.45, 0.35, 0.2],
        [0.1, 0.9, 0],
        [0.2, 0.8, 0],
      ],
      3,
    );
    expect(tie.pred).toBe(1);
    expect(tie.share).toBe(0.5);
    const majority = videoVote(
      [
        [0.6, 0.4],
        [0.6, 0.4],
        [0, 1],
      ],
      2,
    );
    expect(majority).toMatchObject({ pred: 0, share: 2 / 3 });
    expect(majority.mean[1]).toBeCloseTo(0.6, 12);
  });

  it('renders sorted rows with 6 decimals whatever order videos finished in; errors apart', () => {
    const models = [{ dimension: 'pov', classes: ['1st person', 'no person'] }];
    const rec = (videoId: string, probs: number[][], error: VideoRecord['error'] = null): VideoRecord => ({
      videoId,
      path: `/v/${videoId}.mp4`,
      tenths: probs.map((_, i) => i * 10),
      probabilities: { pov: probs },
      error,
    });
    const records = [
      rec('b', [[0.25, 0.75]]),
      rec('a', [
        [0.9, 0.1],
        [0.3, 0.7],
        [0.8, 0.2],
      ]),
      rec('c', [], { stage: 'probe', reason: 'it has no video stream' }),
    ];
    const a = renderCsvs(models, records);
    expect(renderCsvs(models, [...records].reverse())).toEqual(a);
    expect(a['model_predictions.csv']).toBe(
      'video_id,frame_id,timestamp_s,pov_pred,pov_conf,pov_p_1st_person,pov_p_no_person\r\n' +
        'a,a_t000.0,0.0,1st person,0.900000,0.900000,0.100000\r\n' +
        'a,a_t001.0,1.0,no person,0.700000,0.300000,0.700000\r\n' +
        'a,a_t002.0,2.0,1st person,0.800000,0.800000,0.200000\r\n' +
        'b,b_t000.0,0.0,no person,0.750000,0.250000,0.750000\r\n',
    );
    expect(a['model_predictions_video.csv']).toBe(
      'video_id,n_frames,pov_pred,pov_share,pov_mean_p_1st_person,pov_mean_p_no_person\r\n' +
        'a,3,1st person,0.666667,0.666667,0.333333\r\n' +
        'b,1,no person,1.000000,0.250000,0.750000\r\n',
    );
    expect(a['errors.csv']).toBe('video_id,path,stage,reason\r\nc,/v/c.mp4,probe,it has no video stream\r\n');
  });
});

describe('infer shards and manifests', () => {
  it('parses K/N and refuses anything else, naming the flag', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['8/8', '1', '-1/2', 'a/b', '1/0']) {
      expect(() => parseShard(bad)).toThrow(FramelabError);
      expect(() => parseShard(bad)).toThrow(/--shard must be K\/N/);
    }
  });

  it('puts every video in exactly one shard, independent of the list', () => {
    const videos = Array.from({ length: 200 }, (_, i) => ({ videoId: `vid_${i}`, path: `/v/${i}.mp4` }));
    const parts = [0, 1, 2, 3].map((index) => inShard(videos, { index, count: 4 }).map((v) => v.videoId));
    expect(parts.flat().sort()).toEqual(videos.map((v) => v.videoId).sort());
    for (const p of parts) expect(p.length).toBeGreaterThan(20);
    expect(inShard(videos.slice(0, 10), { index: 1, count: 4 }).map((v) => v.videoId)).toEqual(
      parts[1]!.filter((id) => Number(id.slice(4)) < 10),
    );
    expect(shardOf('vid_7', 4)).toBe(shardOf('vid_7', 4));
  });

  it('names what changed between two runs', () => {
    const base: InferManifest = {
      format: 1,
      models: [{ id: 'pov@v7', dimension: 'pov', sha256: 'a'.repeat(64), classes: ['x', 'y'], preprocessing: {} }],
      sampling: { kind: 'every', seconds: 1 },
      shard: null,
    };
    expect(manifestDifferences(base, base)).toEqual([]);
    const other = {
      ...base,
      models: [{ ...base.models[0]!, id: 'pov@v8', sha256: 'b'.repeat(64) }],
      sampling: { kind: 'every' as const, seconds: 2 },
    };
    expect(manifestDifferences(base, other)).toEqual([
      'models were pov@v7 (sha256 aaaaaaaaaaaa…), now pov@v8 (sha256 bbbbbbbbbbbb…)',
      'sampling was {"kind":"every","seconds":1}, now {"kind":"every","seconds":2}',
    ]);
  });
});
