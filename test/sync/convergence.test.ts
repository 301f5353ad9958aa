/**
 * Two Framelab homes (two coders on two machines) syncing with the same bucket through the
 * storage emulator and the precondition-enforcing proxy. The cores run in this process (a
 * round is network I/O plus a merge; a process per round would only measure process start).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { saveFrameCodes } from '../../src/main/core/coding/codes';
import type { Core } from '../../src/main/core/core';
import { mulberry32 } from '../../src/main/core/random';
import { runCleanup } from '../helpers';
import { addFrames, csvCodes, DISTANCE, freshBucket, localCodes, openHome, POV, sorted, useStorageServer, type CodeMap } from './fixtures';

afterEach(runCleanup);
const server = useStorageServer();

function save(core: Core, coderId: string, frameId: string, pov: string, distance: string, expected: CodeMap) {
  saveFrameCodes(core.db, { coderId, frameId, codes: { pov, distance } });
  expected.set(`${frameId}|${coderId}|pov`, pov);
  expected.set(`${frameId}|${coderId}|distance`, distance);
}

describe('two homes, one bucket', () => {
  it('converge after 1,000 interleaved rounds (500 per home, concurrent) with zero lost codes', async () => {
    const bucket = freshBucket();
    const settings = { bucket, keyFile: server.keyFile() };
    const a = openHome('sync-a', settings);
    const b = openHome('sync-b', settings);
    const frames = addFrames(a, 60, ['coder_a', 'coder_b']);
    addFrames(b, 60, ['coder_a', 'coder_b']);
    const random = mulberry32(6);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const expected: CodeMap = new Map();
    const started = Date.now();
    let offlineRounds = 0;
    for (let i = 0; i < 500; i++) {
      // Each coder saves (or re-codes) a frame on their own machine, then both homes sync at
      // once: their uploads race, and the loser gets 412, downloads and merges again.
      save(a, 'coder_a', pick(frames), pick(POV), pick(DISTANCE), expected);
      save(b, 'coder_b', pick(frames), pick(POV), pick(DISTANCE), expected);
      const roundA = a.sync.run('manual');
      const roundB = b.sync.run('manual');
      // A save while a round waits on the bucket: newer than the round's picture, never overwritten.
      if (i % 7 === 0) save(a, 'coder_a', pick(frames), pick(POV), pick(DISTANCE), expected);
      const results = await Promise.all([roundA, roundB]);
      for (const r of results) {
        if (r.offline) offlineRounds++;
        else expect(r.conflicts).toEqual([]);
      }
    }
    const elapsed = Date.now() - started;
    // One more round each settles what the last concurrent pair left for the other.
    for (const core of [a, b, a]) expect((await core.sync.run('manual')).offline).toBe(false);

    const bucketText = (await server.proxy().read(bucket, 'annotations.csv'))!.text;
    expect(offlineRounds).toBe(0);
    expect(sorted(localCodes(a))).toEqual(sorted(expected));
    expect(sorted(localCodes(b))).toEqual(sorted(expected));
    expect(sorted(csvCodes(bucketText))).toEqual(sorted(expected));
    // The race really happened, and every round is recorded.
    expect(server.proxy().stats.preconditionFailures).toBeGreaterThan(0);
    const rounds = (core: Core) =>
      (core.db.prepare("SELECT count(*) AS n FROM sync_rounds WHERE outcome = 'synced'").get() as { n: number }).n;
    expect(rounds(a) + rounds(b)).toBe(1003);
    console.log(
      `1,000 rounds in ${(elapsed / 1000).toFixed(1)} s (${(elapsed / 1000).toFixed(1)} ms per round), ` +
        `${server.proxy().stats.preconditionFailures} uploads refused with 412 and merged again, ${expected.size} codes`,
    );
  }, 240_000);

  it('a code edited on both sides since the last sync: the newer is applied, both stay in the history, the lead sees and resolves it', async () => {
    const bucket = freshBucket();
    const settings = { bucket, keyFile: server.keyFile() };
    const a = openHome('sync-a', settings);
    const b = openHome('sync-b', settings);
    const [f1, f2] = addFrames(a, 2, ['lead_x']);
    addFrames(b, 2, ['lead_x']);
    saveFrameCodes(a.db, { coderId: 'lead_x', frameId: f1!, codes: { pov: '1st person', distance: 'Social' } });
    await a.sync.run('manual');
    await b.sync.run('manual');
    expect(localCodes(b).get(`${f1}|lead_x|pov`)).toBe('1st person');

    // Both edit the same code; B's edit is the newer one. A also edits another frame.
    saveFrameCodes(a.db, { coderId: 'lead_x', frameId: f1!, codes: { pov: '2nd person', distance: 'Social' } });
    saveFrameCodes(a.db, { coderId: 'lead_x', frameId: f2!, codes: { pov: 'no person', distance: 'Public' } });
    await new Promise((r) => setTimeout(r, 5));
    saveFrameCodes(b.db, { coderId: 'lead_x', frameId: f1!, codes: { pov: '3rd person', distance: 'Social' } });

    const first = await a.sync.run('manual'); // A's edit reaches the bucket first: no conflict for A
    expect(first).toMatchObject({ offline: false, conflicts: [] });
    const second = await b.sync.run('manual');
    expect(second).toMatchObject({
      offline: false,
      conflicts: [{ frameId: f1, coder: 'lead_x', dimension: 'pov', local: '3rd person', remote: '2nd person', applied: '3rd person' }],
    });
    await a.sync.run('manual');
    expect(localCodes(a).get(`${f1}|lead_x|pov`)).toBe('3rd person');
    expect(sorted(localCodes(a))).toEqual(sorted(localCodes(b)));

    // Both values are in each home's history.
    const historyValues = (core: Core) =>
      (
        core.db
          .prepare(
            `SELECT c.value FROM code_history h JOIN categories c ON c.id = h.after_id WHERE h.frame_id = ? AND h.dimension = 'pov' ORDER BY h.id`,
          )
          .all(f1) as { value: string }[]
      ).map((r) => r.value);
    expect(historyValues(b)).toEqual(expect.arrayContaining(['1st person', '2nd person', '3rd person']));
    expect(historyValues(a)).toEqual(expect.arrayContaining(['1st person', '2nd person', '3rd person']));

    // The lead sees it on B and chooses A's value; the next rounds take it everywhere.
    const { conflicts } = { conflicts: (await import('../../src/main/core/sync/conflicts')).listConflicts(b.db, false) };
    expect(conflicts).toHaveLength(1);
    expect(b.sync.status().openConflicts).toBe(1);
    const { resolveConflict } = await import('../../src/main/core/sync/conflicts');
    resolveConflict(b.db, { id: conflicts[0]!.id, value: conflicts[0]!.remote! });
    expect(b.sync.status().openConflicts).toBe(0);
    expect((await b.sync.run('manual')).offline).toBe(false);
    expect((await a.sync.run('manual')).offline).toBe(false);
    expect(localCodes(a).get(`${f1}|lead_x|pov`)).toBe('2nd person');
    expect(sorted(localCodes(a))).toEqual(sorted(localCodes(b)));
  });
});
