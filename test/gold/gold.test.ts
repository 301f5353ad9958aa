import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import { changeCodebook } from '../../src/main/core/coding/codebook';
import { adjudicate } from '../../src/main/core/gold/adjudication';
import { listDisagreements } from '../../src/main/core/gold/disagreements';
import { exportSnapshot, listSnapshots, liveGoldSet, takeSnapshot } from '../../src/main/core/gold/goldSet';
import { expectFramelabError, openTestCore, runCleanup, runCli, tempDir } from '../helpers';

afterEach(runCleanup);

const SAMPLE = path.resolve(__dirname, '../annotations/fixtures/annotations_sample.csv');

function sampleHome() {
  const core = openTestCore(tempDir('gold'));
  expect(importAnnotations(core.db, core.home, { file: SAMPLE }).errors).toEqual([]);
  return core;
}

describe('disagreements, adjudication and the gold set', () => {
  it("lists the sample's disagreements, matching its agreement figures", () => {
    const core = sampleHome();
    // pov: 50 frames coded by both at 94% agreement → 3 disagree; distance: 41 at 85.37% → 6.
    const pov = listDisagreements(core.db, 'pov');
    const distance = listDisagreements(core.db, 'distance');
    expect(pov).toHaveLength(3);
    expect(distance).toHaveLength(6);
    for (const d of [...pov, ...distance]) {
      expect(Object.keys(d.codes).sort()).toEqual(['coder_a', 'coder_b']);
      expect(new Set(Object.values(d.codes)).size).toBe(2);
      expect(d.adjudicated).toBeNull();
    }
    expect(liveGoldSet(core.db, 'pov')).toHaveLength(47);
    expect(liveGoldSet(core.db, 'distance')).toHaveLength(35);
    // Filtering by a category pair keeps only frames where one coder said one and the other the other.
    const personalSocial = listDisagreements(core.db, 'distance', ['Personal', 'Social']);
    for (const d of personalSocial) expect(new Set(Object.values(d.codes))).toEqual(new Set(['Personal', 'Social']));
    expect(personalSocial.length).toBeLessThanOrEqual(6);
  });

  it('adjudicates into the gold set with provenance, and keeps every decision', () => {
    const core = sampleHome();
    const [first] = listDisagreements(core.db, 'distance');
    const [aCode, bCode] = [first!.codes.coder_a!, first!.codes.coder_b!];
    expect(
      adjudicate(core.db, { frameId: first!.frameId, dimension: 'distance', code: aCode, note: 'face fills half the frame' }),
    ).toMatchObject({
      code: aCode,
      replaced: null,
    });
    expect(adjudicate(core.db, { frameId: first!.frameId, dimension: 'distance', code: bCode })).toMatchObject({
      code: bCode,
      replaced: aCode,
    });
    const gold = liveGoldSet(core.db, 'distance');
    expect(gold).toHaveLength(36);
    expect(gold.find((g) => g.frameId === first!.frameId)).toMatchObject({ code: bCode, source: 'adjudicated' });
    expect(gold.filter((g) => g.source === 'agreed')).toHaveLength(35);
    expect(core.db.prepare('SELECT count(*) AS n FROM adjudication_history').get()).toEqual({ n: 2 });
    expect(() => core.db.prepare('DELETE FROM adjudication_history').run()).toThrow(/append-only/);
  });

  it('refuses to adjudicate what is not a disagreement or not a category', () => {
    const core = sampleHome();
    const agreed = liveGoldSet(core.db, 'pov')[0]!;
    expectFramelabError(() => adjudicate(core.db, { frameId: agreed.frameId, dimension: 'pov', code: agreed.code }), 'CONFLICT');
    const [d] = listDisagreements(core.db, 'pov');
    const bad = expectFramelabError(
      () => adjudicate(core.db, { frameId: d!.frameId, dimension: 'pov', code: 'fourth person' }),
      'INVALID_INPUT',
    );
    expect(bad.message).toContain('1st person, 2nd person, 3rd person, no person');
    expectFramelabError(() => adjudicate(core.db, { frameId: d!.frameId, dimension: 'mood', code: 'x' }), 'NOT_FOUND');
  });

  it('freezes a snapshot that later changes cannot touch, and exports it as CSV', () => {
    const core = sampleHome();
    const [d] = listDisagreements(core.db, 'pov');
    adjudicate(core.db, { frameId: d!.frameId, dimension: 'pov', code: d!.codes.coder_a!, note: 'looks at the camera, "briefly"' });
    const snapshot = takeSnapshot(core.db, 'pov');
    expect(snapshot).toMatchObject({ dimension: 'pov', frames: 48, bySource: { agreed: 47, adjudicated: 1 }, imagesMissing: 48 });
    expect(Object.keys(snapshot.byClass)).toEqual(['1st person', '2nd person', '3rd person', 'no person']);
    expect(Object.values(snapshot.byClass).reduce((a, b) => a + b, 0)).toBe(48);

    // A rename after the snapshot does not rewrite it; the rows are immutable.
    const third = core.db.prepare("SELECT id FROM categories WHERE value = '3rd person'").get() as { id: number };
    changeCodebook(core.db, { op: 'updateCategory', categoryId: third.id, value: 'third person' });
    expect(() => core.db.prepare('UPDATE gold_items SET code = ?').run('x')).toThrow(/immutable/);
    expect(() => core.db.prepare('DELETE FROM gold_snapshots').run()).toThrow(/immutable/);

    const out = path.join(tempDir('gold-out'), 'gold_pov.csv');
    expect(exportSnapshot(core.db, snapshot.id, out)).toEqual({ rows: 48, file: out });
    const { records } = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(records[0]).toEqual(['frame_id', 'video_id', 'timestamp_s', 'dimension', 'code', 'source', 'note']);
    expect(records).toHaveLength(49);
    const adjudicatedRow = records.find((r) => r[0] === d!.frameId)!;
    expect(adjudicatedRow.slice(3)).toEqual(['pov', d!.codes.coder_a!, 'adjudicated', 'looks at the camera, "briefly"']);
    expect(records.some((r) => r[4] === '3rd person')).toBe(true);
    expect(listSnapshots(core.db, 'pov').map((s) => s.id)).toEqual([snapshot.id]);
  });

  it('gold snapshot and adjudicate on the CLI print their JSON', async () => {
    const home = tempDir('gold-cli');
    const imported = await runCli(['annotations', 'import', SAMPLE, '--json', '--home', home]);
    expect(imported.code).toBe(0);
    const disagreements = await runCli(['--home', home, '--json', 'gold', 'list']);
    expect(JSON.parse(disagreements.stdout)).toEqual({ snapshots: [] });

    const core = openTestCore(home);
    const [d] = listDisagreements(core.db, 'distance');
    core.close();
    const decided = await runCli([
      'adjudicate',
      '--frame',
      d!.frameId,
      '--dimension',
      'distance',
      '--code',
      'Social',
      '--note',
      'ok',
      '--json',
      '--home',
      home,
    ]);
    expect(decided.code).toBe(0);
    expect(JSON.parse(decided.stdout)).toEqual({ frameId: d!.frameId, dimension: 'distance', code: 'Social', note: 'ok', replaced: null });

    const snap = await runCli(['gold', 'snapshot', '--dimension', 'distance', '--json', '--home', home]);
    expect(snap.code).toBe(0);
    const counts = JSON.parse(snap.stdout);
    expect(Object.keys(counts)).toEqual(['id', 'dimension', 'frames', 'byClass', 'imagesMissing']);
    expect(counts).toMatchObject({ dimension: 'distance', frames: 36, imagesMissing: 36 });
    expect(Object.keys(counts.byClass)).toEqual(['Intimate', 'Personal', 'Social', 'Public']);

    const bad = await runCli(['adjudicate', '--frame', d!.frameId, '--dimension', 'distance', '--code', 'Far', '--json', '--home', home]);
    expect(bad.code).not.toBe(0);
    expect(JSON.parse(bad.stderr).error.code).toBe('INVALID_INPUT');
  });
});

describe('coverage', () => {
  it("explains the sample's denominators: 53 overlap frames, blanks per coder in the re-code queue", async () => {
    const { coverage } = await import('../../src/main/core/icr/coverage');
    const core = sampleHome();
    const pov = coverage(core.db, 'pov');
    const distance = coverage(core.db, 'distance');
    expect(pov).toMatchObject({ overlapFrames: 53, codedByAll: 50 });
    expect(distance).toMatchObject({ overlapFrames: 53, codedByAll: 41 });
    const missing = Object.values(distance.missingByCoder).reduce((a, b) => a + b, 0);
    const queued = Object.values(distance.inRecodeQueue).reduce((a, b) => a + b, 0);
    expect(missing).toBe(12);
    expect(queued).toBe(12);
  });
});
