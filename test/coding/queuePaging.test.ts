import { afterEach, describe, expect, it } from 'vitest';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { saveFrameCodes, setFlag } from '../../src/main/core/coding/codes';
import { codingQueue } from '../../src/main/core/coding/queue';
import type { Core } from '../../src/main/core/core';
import { QUEUE_PAGE_DEFAULT } from '../../src/shared/coding';
import { client } from '../annotations/fixtures';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

const FRAMES_PER_VIDEO = 100;

/** `count` frames over videos of 100, all assigned to coder_a, written in one transaction. */
function bigHome(count: number): { core: Core; frameIds: string[] } {
  const core = openTestCore(tempDir('queue'));
  upsertCoder(core.db, { coderId: 'coder_a' });
  const at = new Date().toISOString();
  const frameIds: string[] = [];
  core.db.transaction(() => {
    const video = core.db.prepare('INSERT INTO videos (video_id, imported_at) VALUES (?, ?)');
    const frame = core.db.prepare('INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?)');
    const assign = core.db.prepare("INSERT INTO assignments (frame_id, coder_id, overlap, assigned_at) VALUES (?, 'coder_a', 0, ?)");
    for (let i = 0; i < count; i++) {
      const videoId = `vid_${String(Math.floor(i / FRAMES_PER_VIDEO)).padStart(5, '0')}`;
      const seconds = (i % FRAMES_PER_VIDEO) + 1;
      if (i % FRAMES_PER_VIDEO === 0) video.run(videoId, at);
      const frameId = `${videoId}_t${seconds.toFixed(1).padStart(5, '0')}`;
      frame.run(frameId, videoId, seconds, at);
      assign.run(frameId, at);
      frameIds.push(frameId);
    }
  })();
  return { core, frameIds };
}

const save = (core: Core, frameId: string) =>
  saveFrameCodes(core.db, { coderId: 'coder_a', frameId, codes: { pov: '1st person', distance: 'Social' } });

describe('coding.queue comes a page at a time', () => {
  it('100k assigned frames: one page is small, with the total and the counts of all of them', async () => {
    const { core, frameIds } = bigHome(100_000);
    save(core, frameIds[0]!);
    save(core, frameIds[99_999]!);
    setFlag(core.db, { coderId: 'coder_a', frameId: frameIds[5]!, unsure: true, note: 'two people' });

    const started = Date.now();
    const page = await client(core).call('coding.queue', { coderId: 'coder_a', filter: 'uncoded' });
    const ms = Date.now() - started;
    expect(page.frames).toHaveLength(QUEUE_PAGE_DEFAULT);
    expect(page.frames[0]!.frameId).toBe(frameIds[1]);
    expect(page).toMatchObject({ total: 99_998, offset: 0, counts: { assigned: 100_000, done: 2, flagged: 1, recode: 0 } });
    // Before paging the answer held every frame: 9 MB for 100k.
    expect(JSON.stringify(page).length).toBeLessThan(100_000);
    console.log(`coding.queue page of 100k frames: ${ms} ms, ${JSON.stringify(page).length} bytes`);

    // The largest page allowed; a larger one is refused.
    expect(
      (await client(core).call('coding.queue', { coderId: 'coder_a', filter: 'all', limit: 1000, offset: 99_500 })).frames,
    ).toHaveLength(500);
    await expect(client(core).call('coding.queue', { coderId: 'coder_a', limit: 5000 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('pages by frame: after, before and at a frame, with offsets, while saves move frames out of the filter', () => {
    const { core, frameIds } = bigHome(250);
    const first = codingQueue(core.db, 'coder_a', 'uncoded', { limit: 100 });
    expect(first.frames.map((f) => f.frameId)).toEqual(frameIds.slice(0, 100));
    // The coder codes the first ten: an offset would now skip ten frames; a frame id does not.
    for (const id of frameIds.slice(0, 10)) save(core, id);
    const next = codingQueue(core.db, 'coder_a', 'uncoded', { limit: 100, after: first.frames.at(-1)!.frameId });
    expect(next.frames.map((f) => f.frameId)).toEqual(frameIds.slice(100, 200));
    expect(next).toMatchObject({ total: 240, offset: 90 });
    const last = codingQueue(core.db, 'coder_a', 'uncoded', { limit: 100, after: next.frames.at(-1)!.frameId });
    expect(last.frames.map((f) => f.frameId)).toEqual(frameIds.slice(200));
    expect(codingQueue(core.db, 'coder_a', 'uncoded', { after: frameIds.at(-1)! }).frames).toEqual([]);

    const back = codingQueue(core.db, 'coder_a', 'uncoded', { limit: 50, before: frameIds[100]! });
    expect(back.frames.map((f) => f.frameId)).toEqual(frameIds.slice(50, 100));
    expect(back.offset).toBe(40);
    const at = codingQueue(core.db, 'coder_a', 'all', { limit: 3, at: frameIds[5]! });
    expect(at.frames.map((f) => f.frameId)).toEqual(frameIds.slice(5, 8));
    expect(at.frames[0]!.codes).toEqual({ pov: '1st person', distance: 'Social' });
    expect(at.offset).toBe(5);
    // A coded frame is not in "uncoded", but still marks a place in it.
    expect(codingQueue(core.db, 'coder_a', 'uncoded', { limit: 1, at: frameIds[3]! }).frames[0]!.frameId).toBe(frameIds[10]);

    expect(() => codingQueue(core.db, 'coder_a', 'all', { after: 'nope' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => codingQueue(core.db, 'coder_a', 'all', { after: frameIds[0]!, at: frameIds[1]! })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
