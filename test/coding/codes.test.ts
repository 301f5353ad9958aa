import { afterEach, describe, expect, it } from 'vitest';
import { assignFrames } from '../../src/main/core/coding/assignments';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { codesOf, saveFrameCodes, setFlag, undoLastSave } from '../../src/main/core/coding/codes';
import { codingQueue } from '../../src/main/core/coding/queue';
import { expectFramelabError, openTestCore, runCleanup, tempDir } from '../helpers';
import { addFrames, categoryId, historyRows } from './fixtures';

afterEach(runCleanup);

function home(frameCount = 6) {
  const core = openTestCore(tempDir('codes'));
  const frames = addFrames(
    core,
    'vid_0007',
    Array.from({ length: frameCount }, (_, i) => i + 1),
  );
  upsertCoder(core.db, { coderId: 'coder_a' });
  upsertCoder(core.db, { coderId: 'coder_b' });
  return { core, frames };
}

describe('codes: no blank, no loss', () => {
  it('saves a frame only when every dimension is set to one of its categories', () => {
    const { core, frames } = home();
    assignFrames(core.db, { coderIds: ['coder_a'], overlap: { frameIds: [] } });
    const frameId = frames[0]!;
    const half = expectFramelabError(
      () => saveFrameCodes(core.db, { coderId: 'coder_a', frameId, codes: { pov: '1st person' } }),
      'INVALID_INPUT',
    );
    expect(half.message).toContain('distance is not set');
    const blank = expectFramelabError(
      () => saveFrameCodes(core.db, { coderId: 'coder_a', frameId, codes: { pov: '1st person', distance: '' } }),
      'INVALID_INPUT',
    );
    expect(blank.message).toContain('empty distance is not a code');
    const outside = expectFramelabError(
      () => saveFrameCodes(core.db, { coderId: 'coder_a', frameId, codes: { pov: '1st person', distance: 'Far' } }),
      'INVALID_INPUT',
    );
    expect(outside.message).toContain('"Far" is not a distance category');
    expectFramelabError(
      () => saveFrameCodes(core.db, { coderId: 'coder_a', frameId, codes: { pov: '1st person', distance: 'Social', mood: 'happy' } }),
      'INVALID_INPUT',
    );
    // None of the refused saves left anything behind.
    expect(core.db.prepare('SELECT count(*) AS n FROM codes').get()).toEqual({ n: 0 });
    expect(historyRows(core)).toEqual([]);

    const saved = saveFrameCodes(core.db, { coderId: 'coder_a', frameId, codes: { pov: '1st person', distance: 'Social' } });
    expect(saved.codes).toEqual({ pov: '1st person', distance: 'Social' });
    expect(saved.batchId).not.toBeNull();
    expect(codesOf(core.db, frameId, 'coder_a')).toEqual({ pov: '1st person', distance: 'Social' });
  });

  it('refuses frames not assigned to a coder, and the database itself refuses a category of another dimension', () => {
    const { core, frames } = home();
    expectFramelabError(
      () => saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[0]!, codes: { pov: '1st person', distance: 'Social' } }),
      'CONFLICT',
    );
    assignFrames(core.db, { coderIds: ['coder_a'], overlap: { frameIds: [] } });
    // Below the API: a distance code pointing at a pov category violates the composite foreign key.
    expect(() =>
      core.db
        .prepare("INSERT INTO codes (frame_id, coder_id, dimension, category_id, coded_at) VALUES (?, 'coder_a', 'distance', ?, 'x')")
        .run(frames[0], categoryId(core, 'pov', '1st person')),
    ).toThrow(/FOREIGN KEY/);
  });

  it('keeps an append-only history; undo is a new entry and walks back save by save', () => {
    const { core, frames } = home();
    assignFrames(core.db, { coderIds: ['coder_a'], overlap: { frameIds: [] } });
    const [f1, f2] = frames;
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '1st person', distance: 'Social' } });
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '3rd person', distance: 'Social' } });
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: f2!, codes: { pov: 'no person', distance: 'Public' } });
    // Saving the same values again changes nothing and writes no history.
    const again = saveFrameCodes(core.db, { coderId: 'coder_a', frameId: f2!, codes: { pov: 'no person', distance: 'Public' } });
    expect(again.batchId).toBeNull();
    expect(historyRows(core)).toHaveLength(5);

    const first = undoLastSave(core.db, 'coder_a')!;
    expect(first.frameId).toBe(f2);
    expect(codesOf(core.db, f2!, 'coder_a')).toEqual({});
    const second = undoLastSave(core.db, 'coder_a')!;
    expect(second.frameId).toBe(f1);
    expect(codesOf(core.db, f1!, 'coder_a')).toEqual({ pov: '1st person', distance: 'Social' });
    undoLastSave(core.db, 'coder_a');
    expect(codesOf(core.db, f1!, 'coder_a')).toEqual({});
    expect(undoLastSave(core.db, 'coder_a')).toBeNull();

    const history = historyRows(core);
    expect(history.filter((h) => h.source === 'coding')).toHaveLength(5);
    expect(history.filter((h) => h.source === 'undo')).toHaveLength(5);
    expect(() => core.db.prepare('DELETE FROM code_history').run()).toThrow(/append-only/);
    expect(() => core.db.prepare("UPDATE code_history SET source = 'sync'").run()).toThrow(/append-only/);
  });

  it('refuses to undo a save whose code someone else changed since', () => {
    const { core, frames } = home();
    assignFrames(core.db, { coderIds: ['coder_a'], overlap: { frameIds: [] } });
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[0]!, codes: { pov: '1st person', distance: 'Social' } });
    core.db
      .prepare("UPDATE codes SET category_id = ? WHERE frame_id = ? AND dimension = 'pov'")
      .run(categoryId(core, 'pov', 'no person'), frames[0]);
    expectFramelabError(() => undoLastSave(core.db, 'coder_a'), 'CONFLICT');
    expect(codesOf(core.db, frames[0]!, 'coder_a')).toEqual({ pov: 'no person', distance: 'Social' });
  });
});

describe('assignment and blind coding', () => {
  it('splits the pool with a reproducible overlap coded by both coders', () => {
    const { core, frames } = home(20);
    const result = assignFrames(core.db, { coderIds: ['coder_a', 'coder_b'], overlap: { fraction: 0.25, seed: 7 } });
    expect(result).toEqual({ pool: 20, overlap: 5, perCoder: { coder_a: 5 + 8, coder_b: 5 + 7 } });
    const overlap = (
      core.db.prepare('SELECT DISTINCT frame_id FROM assignments WHERE overlap = 1 ORDER BY frame_id').all() as { frame_id: string }[]
    ).map((r) => r.frame_id);
    expect(overlap).toHaveLength(5);
    for (const f of overlap) {
      expect(core.db.prepare('SELECT count(*) AS n FROM assignments WHERE frame_id = ?').get(f)).toEqual({ n: 2 });
    }
    // Every frame is assigned; the same seed on another home picks the same overlap frames.
    expect(core.db.prepare('SELECT count(DISTINCT frame_id) AS n FROM assignments').get()).toEqual({ n: frames.length });
    const other = home(20);
    assignFrames(other.core.db, { coderIds: ['coder_a', 'coder_b'], overlap: { fraction: 0.25, seed: 7 } });
    const otherOverlap = (
      other.core.db.prepare('SELECT DISTINCT frame_id FROM assignments WHERE overlap = 1 ORDER BY frame_id').all() as { frame_id: string }[]
    ).map((r) => r.frame_id);
    expect(otherOverlap).toEqual(overlap);
  });

  it("never shows a coder the other coder's codes on an overlap frame", () => {
    const { core, frames } = home(4);
    assignFrames(core.db, { coderIds: ['coder_a', 'coder_b'], overlap: { frameIds: frames } });
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[0]!, codes: { pov: '2nd person', distance: 'Intimate' } });
    const queueB = codingQueue(core.db, 'coder_b', 'all');
    expect(queueB.frames.map((f) => f.frameId)).toEqual(frames);
    expect(queueB.frames.every((f) => f.overlap)).toBe(true);
    expect(queueB.frames[0]!.codes).toEqual({});
    expect(JSON.stringify(queueB)).not.toContain('2nd person');
    const queueA = codingQueue(core.db, 'coder_a', 'uncoded');
    expect(queueA.frames.map((f) => f.frameId)).toEqual(frames.slice(1));
    expect(queueA.counts).toEqual({ assigned: 4, done: 1, flagged: 0, recode: 0 });
  });

  it('filters flagged frames and keeps the note', () => {
    const { core, frames } = home(3);
    assignFrames(core.db, { coderIds: ['coder_a'], overlap: { frameIds: [] } });
    setFlag(core.db, { coderId: 'coder_a', frameId: frames[1]!, unsure: true, note: '  two people, which one?  ' });
    const flagged = codingQueue(core.db, 'coder_a', 'flagged');
    expect(flagged.frames.map((f) => [f.frameId, f.flag])).toEqual([[frames[1], { unsure: true, note: 'two people, which one?' }]]);
    expect(flagged.counts.flagged).toBe(1);
  });
});
