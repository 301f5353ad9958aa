/**
 * The owner's ratings through sync: ratings.csv beside annotations.csv in the bucket, through
 * the real GCS client, the storage emulator and the precondition-enforcing proxy of the sync
 * tests. Two homes rate the same video at the same time: both ratings are kept everywhere, the
 * newer is current on both, the pair is listed, nothing is lost. A round that cannot finish
 * changes nothing local; a lab without ratings sees the annotations-only round it always had.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import type { Core } from '../../src/main/core/core';
import { listRatingConflicts } from '../../src/main/core/preference/ratingsSync';
import { saveRating } from '../../src/main/core/preference/ratings';
import { runCleanup, tempDir } from '../helpers';
import { freshBucket, openHome, useStorageServer } from '../sync/fixtures';
import { call, RATINGS_HEADER, storedRatings, write } from './dataFixtures';

afterEach(runCleanup);
const server = useStorageServer();

const owner = { rater: 'owner', raterType: 'owner' as const, hook: null, pacing: null, payoff: null, notes: '' };
const rateOn = (core: Core, videoId: string, overall: number, notes = '') => saveRating(core.db, { ...owner, videoId, overall, notes });

/** The bucket's ratings.csv as rows (header first). */
async function bucketRows(bucket: string, object: string): Promise<string[][]> {
  const got = await server.proxy().read(bucket, object);
  return got ? parseCsv(got.text).records : [];
}

const currentOf = (core: Core, videoId: string) =>
  (
    core.db.prepare("SELECT overall FROM preference_current_ratings WHERE video_id = ? AND rater = 'owner'").get(videoId) as
      { overall: number } | undefined
  )?.overall;

const ratingsRounds = (core: Core) =>
  core.db.prepare("SELECT outcome FROM sync_rounds WHERE target LIKE '%ratings.csv'").all() as { outcome: string }[];

describe('ratings sync', () => {
  it('two homes rate the same video at once: both ratings kept on both sides and in the bucket, the newer current everywhere, listed once', async () => {
    const bucket = freshBucket();
    const settings = { bucket, keyFile: server.keyFile(), object: 'lab/annotations.csv' };
    const a = openHome('rsync-a', settings);
    const b = openHome('rsync-b', settings);
    rateOn(a, 'vid_1', 7);
    rateOn(a, 'vid_2', 5, '=HYPERLINK("x"), as a note');
    const first = await a.sync.run('manual');
    expect(first).toMatchObject({
      offline: false,
      ratings: { offline: false, target: `gs://${bucket}/lab/ratings.csv`, downloaded: 0, uploaded: 2, merged: 0, conflicts: 0 },
    });
    const rows = await bucketRows(bucket, 'lab/ratings.csv');
    expect(rows[0]!.join(',')).toBe(RATINGS_HEADER);
    expect(rows.map((r) => r[7])).toContain(`'=HYPERLINK("x"), as a note`); // the bucket's file is the people-safe CSV
    expect(await b.sync.run('manual')).toMatchObject({ ratings: { downloaded: 2, uploaded: 0, merged: 2 } });
    expect(storedRatings(b)).toEqual(storedRatings(a));
    expect(b.db.prepare("SELECT notes FROM preference_ratings WHERE video_id = 'vid_2'").get()).toEqual({
      notes: '=HYPERLINK("x"), as a note',
    });

    // Both re-rate vid_1 (B later); each also rates a video of its own; A imports a CSV besides.
    rateOn(a, 'vid_1', 8);
    await new Promise((r) => setTimeout(r, 5));
    rateOn(b, 'vid_1', 6);
    rateOn(b, 'vid_3', 9);
    const csv = write(tempDir('rsync-csv'), 'r.csv', `${RATINGS_HEADER}\nvid_4,lukas,other,4.5,,,,,2025-03-01T10:00:00Z\n`);
    expect(await call(a, 'preference.ratings.import', { file: csv })).toMatchObject({ added: 1 });
    expect(a.sync.status().ratings).toMatchObject({ state: 'synced', pendingEdits: 2 });

    // Both rounds at once: their uploads race, the loser gets 412, downloads and merges again.
    const refusedBefore = server.proxy().stats.preconditionFailures;
    const [ra, rb] = await Promise.all([a.sync.run('manual'), b.sync.run('manual')]);
    for (const r of [ra, rb]) expect(r).toMatchObject({ offline: false, ratings: { offline: false } });
    await a.sync.run('manual');
    await b.sync.run('manual');

    const all = storedRatings(a);
    expect(all).toHaveLength(6);
    expect(storedRatings(b)).toEqual(all);
    const bucketData = (await bucketRows(bucket, 'lab/ratings.csv')).slice(1);
    expect(bucketData).toHaveLength(6);
    expect(bucketData.map((r) => `${r[0]} ${r[3]}`).sort()).toEqual(['vid_1 6', 'vid_1 7', 'vid_1 8', 'vid_2 5', 'vid_3 9', 'vid_4 4.5']);
    expect([currentOf(a, 'vid_1'), currentOf(b, 'vid_1')]).toEqual([6, 6]);
    expect(a.sync.status().ratings).toMatchObject({ state: 'synced', pendingEdits: 0 });
    expect(b.sync.status().ratings).toMatchObject({ state: 'synced', pendingEdits: 0 });

    // The home that lost the race found the video rated on both sides: listed once, B's newer rating applied.
    const conflicts = [...listRatingConflicts(a.db), ...listRatingConflicts(b.db)];
    expect(conflicts).toHaveLength(1);
    const c = conflicts[0]!;
    expect(c).toMatchObject({ videoId: 'vid_1', rater: 'owner' });
    expect(c.applied === 'local' ? c.local.overall : c.remote.overall).toBe(6);
    expect([c.local.overall, c.remote.overall].sort()).toEqual([6, 8]);
    expect(server.proxy().stats.preconditionFailures).toBeGreaterThan(refusedBefore);
    // A round where nothing changed uploads nothing.
    expect(await a.sync.run('manual')).toMatchObject({ uploaded: 0, ratings: { uploaded: 0, merged: 0 } });
  });

  it('a rating saved while the round waits on the bucket is not overwritten; the next round takes it up', async () => {
    const bucket = freshBucket();
    const a = openHome('rsync-a', { bucket, keyFile: server.keyFile() });
    const b = openHome('rsync-b', { bucket, keyFile: server.keyFile() });
    rateOn(b, 'vid_1', 3);
    await b.sync.run('manual');
    rateOn(a, 'vid_2', 4);
    let saved = false;
    server.proxy().beforeUpload = async (object) => {
      if (object !== 'ratings.csv' || saved) return;
      saved = true;
      rateOn(a, 'vid_2', 9); // newer than the round's picture
    };
    const round = await a.sync.run('manual');
    expect(round).toMatchObject({ ratings: { uploaded: 2, merged: 1 } });
    expect(saved).toBe(true);
    expect(currentOf(a, 'vid_2')).toBe(9);
    expect(a.sync.status().ratings).toMatchObject({ pendingEdits: 1 });
    expect(await a.sync.run('manual')).toMatchObject({ ratings: { uploaded: 3 } });
    await b.sync.run('manual');
    expect(currentOf(b, 'vid_2')).toBe(9);
    expect(storedRatings(b)).toEqual(storedRatings(a));
  });

  it('without ratings the round is the annotations round it was; a file a person edited keeps its extra column and bad rows', async () => {
    const bucket = freshBucket();
    const a = openHome('rsync-a', { bucket, keyFile: server.keyFile() });
    const idle = await a.sync.run('manual');
    expect(idle).toMatchObject({ offline: false });
    expect(idle).not.toHaveProperty('ratings');
    expect(ratingsRounds(a)).toEqual([]);
    expect(a.sync.status()).not.toHaveProperty('ratings');
    expect(await server.proxy().read(bucket, 'ratings.csv')).toBeNull();

    // Someone writes ratings.csv by hand: a BOM, LF, an extra column, a row that is no rating.
    const text = `\uFEFFvideo_id,rater,rater_type,overall,hook,pacing,payoff,notes,rated_at,comment\nvid_1,owner,owner,7,,,,,2025-03-01T10:00:00Z,first\nvid_2,owner,owner,eleven,,,,,2025-03-01T10:00:00Z,typo\n`;
    await server.proxy().write(bucket, 'ratings.csv', text);
    const round = await a.sync.run('manual');
    expect(round).toMatchObject({ ratings: { downloaded: 2, merged: 1 } });
    expect(storedRatings(a)).toEqual([expect.objectContaining({ video_id: 'vid_1', overall: 7 })]);
    rateOn(a, 'vid_3', 8);
    await a.sync.run('manual');
    const rows = await bucketRows(bucket, 'ratings.csv');
    expect(rows).toEqual([
      [...RATINGS_HEADER.split(','), 'comment'],
      ['vid_1', 'owner', 'owner', '7', '', '', '', '', '2025-03-01T10:00:00Z', 'first'],
      ['vid_3', 'owner', 'owner', '8', '', '', '', '', expect.stringMatching(/^\d{4}-/), ''],
      ['vid_2', 'owner', 'owner', 'eleven', '', '', '', '', '2025-03-01T10:00:00Z', 'typo'],
    ]);
    // A file that is not a ratings CSV is never overwritten: the ratings round fails with the reason, the annotations round stands.
    await server.proxy().write(bucket, 'ratings.csv', 'name,score\nx,1\n');
    const refused = await a.sync.run('manual');
    expect(refused).toMatchObject({
      offline: false,
      ratings: { offline: true, problem: 'error', reason: expect.stringContaining("The bucket's ratings.csv is not a ratings CSV") },
    });
    expect((await server.proxy().read(bucket, 'ratings.csv'))!.text).toBe('name,score\nx,1\n');
  });

  it('a ratings upload cut off: the ratings round is offline, nothing local changes, the annotations stay synced; the next round uploads', async () => {
    const bucket = freshBucket();
    const a = openHome('rsync-a', { bucket, keyFile: server.keyFile() });
    await a.sync.run('manual'); // annotations.csv has nothing to upload from now on
    rateOn(a, 'vid_1', 6.5);
    const before = { ratings: storedRatings(a), state: a.db.prepare("SELECT * FROM sync_state WHERE target LIKE '%ratings.csv'").all() };
    server.proxy().interruptNextUpload('before-write');
    const cut = await a.sync.run('manual');
    expect(cut).toMatchObject({ offline: false, ratings: { offline: true, problem: 'offline' } });
    expect({ ratings: storedRatings(a), state: a.db.prepare("SELECT * FROM sync_state WHERE target LIKE '%ratings.csv'").all() }).toEqual(
      before,
    );
    expect(await server.proxy().read(bucket, 'ratings.csv')).toBeNull();
    expect(a.sync.status()).toMatchObject({
      state: 'synced',
      ratings: { state: 'offline', pendingEdits: 1, message: expect.stringMatching(/Cannot reach/) },
    });
    expect(await a.sync.run('manual')).toMatchObject({ ratings: { offline: false, uploaded: 1 } });
    expect(a.sync.status().ratings).toMatchObject({ state: 'synced', pendingEdits: 0 });
    expect(ratingsRounds(a).map((r) => r.outcome)).toEqual(['offline', 'synced']);
  });
});
