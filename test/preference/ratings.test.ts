/**
 * Ratings in a real home through the API's dispatch (validation included): saves append to the
 * history and the latest is current; the queue for the Ratings screen; the CSV import (all or
 * nothing, every bad row listed, twice = once) and export (overwrite rules, formula-safe
 * notes), round trip into a fresh home.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAnalyses } from '../../src/main/core/preference/importAnalyses';
import { openTestCore, runCleanup, tempDir } from '../helpers';
import { call, failure, jsonl, RATINGS_HEADER, record, storedRatings, write } from './dataFixtures';

afterEach(runCleanup);

function home(label = 'pref-ratings') {
  const dir = tempDir(label);
  return { dir, core: openTestCore(path.join(dir, 'home')) };
}

const rate = { videoId: 'vid_1', rater: 'owner', raterType: 'owner' as const };

describe('ratings', () => {
  it('the history lists entries with the same rated_at newest-stored first, whatever their hashes', async () => {
    const at = '2025-03-01T10:00:00.000Z';
    const rows = [`vid_1,anna,other,4,,,,,${at}`, `vid_1,ben,other,9,,,,,${at}`];
    const orders = [];
    for (const [i, lines] of [rows, [...rows].reverse()].entries()) {
      const { dir, core } = home(`pref-ties-${i}`);
      await call(core, 'preference.ratings.import', { file: write(dir, 'r.csv', `${RATINGS_HEADER}\n${lines.join('\n')}\n`) });
      orders.push((await call(core, 'preference.ratings.history', { videoId: 'vid_1' })).entries.map((e) => e.rater));
    }
    expect(orders).toEqual([
      ['ben', 'anna'],
      ['anna', 'ben'],
    ]);
  });

  it('a save appends to the history and becomes current; scores outside 0–10 or off the 0.5 steps are refused, naming the field', async () => {
    const { core } = home();
    const first = await call(core, 'preference.ratings.save', { ...rate, overall: 7.5, hook: 8, notes: '  strong hook\r\nweak end  ' });
    expect(first).toMatchObject({
      previous: null,
      historyLength: 1,
      rating: { ...rate, overall: 7.5, hook: 8, pacing: null, payoff: null, notes: 'strong hook\nweak end', source: 'app' },
    });
    const second = await call(core, 'preference.ratings.save', { ...rate, overall: 6, pacing: 5.5, payoff: 0 });
    expect(second).toMatchObject({
      previous: { id: first.rating.id, overall: 7.5 },
      historyLength: 2,
      rating: { overall: 6, hook: null, pacing: 5.5, payoff: 0 },
    });
    expect(second.rating.ratedAt > first.rating.ratedAt).toBe(true);
    await call(core, 'preference.ratings.save', { videoId: 'vid_1', rater: 'lukas', raterType: 'other', overall: 10 });

    const history = await call(core, 'preference.ratings.history', { videoId: 'vid_1' });
    expect(history.entries.map((e) => [e.rater, e.overall])).toEqual([
      ['lukas', 10],
      ['owner', 6],
      ['owner', 7.5],
    ]);
    expect(history.current.map((e) => [e.rater, e.overall])).toEqual([
      ['lukas', 10],
      ['owner', 6],
    ]);
    expect(() => core.db.prepare('UPDATE preference_ratings SET overall = 1').run()).toThrow(/append-only/);
    expect(() => core.db.prepare('DELETE FROM preference_ratings').run()).toThrow(/append-only/);

    for (const [input, field] of [
      [{ ...rate, overall: 10.5 }, 'overall'],
      [{ ...rate, overall: -0.5 }, 'overall'],
      [{ ...rate, overall: 7.3 }, 'overall'],
      [{ ...rate, overall: 7, hook: 7.25 }, 'hook'],
      [{ ...rate, overall: 7, payoff: 11 }, 'payoff'],
      [{ ...rate, raterType: 'boss' }, 'raterType'],
      [{ ...rate, rater: 'the owner' }, 'rater'],
      [{ ...rate, videoId: ' vid_1' }, 'videoId'],
      [{ videoId: 'vid_1', rater: 'owner', raterType: 'owner' }, 'overall'],
    ] as const) {
      const error = await failure(core, 'preference.ratings.save', input as never);
      expect(error, JSON.stringify(input)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(field) });
    }
    expect(await call(core, 'preference.ratings.history', { videoId: 'vid_1' })).toMatchObject({ entries: { length: 3 } });
  });

  it('current ratings page by video then rater; the queue lists what a rater has still to rate, newest analysis version first', async () => {
    const { dir, core } = home();
    importAnalyses(core.db, {
      path: write(
        dir,
        'a.jsonl',
        jsonl(
          record('c', 'v2', {}),
          record('a', 'v3', { feature_count: 150 }),
          record('b', 'v2', {}),
          record('d', 'v3', {}),
          record('b', 'v10', { feature_count: 120 }),
        ),
      ),
    });
    // Imported videos (one with a file and frames), one of them also analysed.
    const at = new Date().toISOString();
    core.db.prepare('INSERT INTO videos (video_id, path, imported_at) VALUES (?, ?, ?)').run('e', '/videos/e.mp4', at);
    core.db.prepare('INSERT INTO videos (video_id, imported_at) VALUES (?, ?)').run('a', at);
    core.db.prepare('INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?)').run('e_t001.0', 'e', 1, at);

    let queue = await call(core, 'preference.ratings.queue', { rater: 'owner' });
    // v10 is the newest version (natural order): b first; then the other analysed ones, then e (imported only).
    expect(queue.newestVersion).toBe('v10');
    expect(queue.videos.map((v) => v.videoId)).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(queue.videos[0]).toEqual({
      videoId: 'b',
      analysisVersions: ['v10', 'v2'],
      hasNewestVersion: true,
      featureCount: 120,
      imported: false,
      hasFile: false,
      frames: 0,
      otherRatings: 0,
    });
    expect(queue.videos[1]).toMatchObject({
      videoId: 'a',
      analysisVersions: ['v3'],
      hasNewestVersion: false,
      featureCount: null,
      imported: true,
      hasFile: false,
    });
    expect(queue.videos[4]).toMatchObject({ videoId: 'e', analysisVersions: [], imported: true, hasFile: true, frames: 1 });
    expect(queue.counts).toEqual({ candidates: 5, rated: 0, remaining: 5 });

    await call(core, 'preference.ratings.save', { videoId: 'b', rater: 'owner', raterType: 'owner', overall: 3 });
    await call(core, 'preference.ratings.save', { videoId: 'c', rater: 'lukas', raterType: 'other', overall: 4 });
    await call(core, 'preference.ratings.save', { videoId: 'zzz', rater: 'owner', raterType: 'owner', overall: 5 }); // neither analysed nor imported
    queue = await call(core, 'preference.ratings.queue', { rater: 'owner', limit: 2, offset: 1 });
    expect(queue.videos.map((v) => [v.videoId, v.otherRatings])).toEqual([
      ['c', 1],
      ['d', 0],
    ]);
    expect(queue).toMatchObject({ total: 4, offset: 1, counts: { candidates: 5, rated: 1, remaining: 4 } });
    expect((await call(core, 'preference.ratings.queue', { rater: 'lukas' })).videos.map((v) => v.videoId)).toEqual(['b', 'a', 'd', 'e']);

    await call(core, 'preference.ratings.save', { videoId: 'b', rater: 'owner', raterType: 'owner', overall: 9 });
    const page = await call(core, 'preference.ratings.list', { limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 3, offset: 1 });
    expect(page.ratings.map((r) => [r.videoId, r.rater, r.overall])).toEqual([
      ['c', 'lukas', 4],
      ['zzz', 'owner', 5],
    ]);
    const owner = await call(core, 'preference.ratings.list', { raterType: 'owner' });
    expect(owner.ratings.map((r) => [r.videoId, r.overall])).toEqual([
      ['b', 9],
      ['zzz', 5],
    ]);
    expect((await call(core, 'preference.ratings.list', { videoId: 'c', rater: 'owner' })).total).toBe(0);
  });

  it('CSV import/export round trip: BOM, CRLF, quoted notes, formula-safe export, twice = once, into a fresh home the same ratings', async () => {
    const { dir, core } = home();
    const csv =
      '\uFEFF' +
      [
        RATINGS_HEADER.replace('notes', ' Notes '),
        'vid_1,owner,owner,7.5,8,,6,"great, but ""slow""\r\nin the middle",2025-03-01T10:00:00Z',
        'vid_1,owner,owner,8,,,,,2025-03-02T09:00:00+02:00',
        'vid_2,lukas@lab,other,0,0,10,10,=SUM(A1),2025-03-01',
        '-dash_id,owner,owner,5.0,,,,+1 formula? no: text,2025-03-03T12:00:00.250Z',
        ',,,,,,,,',
      ].join('\r\n') +
      '\r\n';
    const file = write(dir, 'ratings.csv', csv);
    const report = await call(core, 'preference.ratings.import', { file });
    expect(report).toEqual({ file, rows: 4, added: 4, unchanged: 0, videos: 3, raters: 2, errors: [] });
    expect(await call(core, 'preference.ratings.import', { file })).toMatchObject({ added: 0, unchanged: 4, errors: [] });
    const stored = storedRatings(core);
    expect(stored).toHaveLength(4);
    expect(stored).toContainEqual({
      video_id: 'vid_1',
      rater: 'owner',
      rater_type: 'owner',
      overall: 7.5,
      hook: 8,
      pacing: null,
      payoff: 6,
      notes: 'great, but "slow"\nin the middle',
      rated_at: '2025-03-01T10:00:00.000Z',
    });
    expect(stored).toContainEqual(expect.objectContaining({ video_id: 'vid_1', overall: 8, rated_at: '2025-03-02T07:00:00.000Z' }));
    expect(stored).toContainEqual(
      expect.objectContaining({ video_id: '-dash_id', overall: 5, notes: '+1 formula? no: text', rated_at: '2025-03-03T12:00:00.250Z' }),
    );
    expect((await call(core, 'preference.ratings.history', { videoId: 'vid_1' })).current[0]).toMatchObject({ overall: 8 });

    const out = path.join(dir, 'export.csv');
    expect(await call(core, 'preference.ratings.export', { out })).toEqual({ rows: 4, file: out, current: false });
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\r\n')).toEqual([
      RATINGS_HEADER,
      "-dash_id,owner,owner,5,,,,'+1 formula? no: text,2025-03-03T12:00:00.250Z",
      'vid_1,owner,owner,7.5,8,,6,"great, but ""slow""\nin the middle",2025-03-01T10:00:00Z',
      'vid_1,owner,owner,8,,,,,2025-03-02T07:00:00Z',
      "vid_2,lukas@lab,other,0,0,10,10,'=SUM(A1),2025-03-01T00:00:00Z",
      '',
    ]);
    // Overwrite rules: an existing file is replaced only with overwrite; a hidden path never.
    expect(await failure(core, 'preference.ratings.export', { out })).toMatchObject({
      code: 'CONFLICT',
      message: `${out} exists; pass overwrite (CLI: --overwrite) to replace it.`,
    });
    expect(await failure(core, 'preference.ratings.export', { out: path.join(dir, '.hidden.csv') })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await failure(core, 'preference.ratings.export', { out: path.join(dir, 'x.txt') })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('.csv'),
    });
    expect(await call(core, 'preference.ratings.export', { out, overwrite: true, current: true })).toEqual({
      rows: 3,
      file: out,
      current: true,
    });
    expect(fs.readFileSync(out, 'utf8')).not.toContain('7.5');

    // The history export into a fresh home gives the very same ratings; importing it into this home changes nothing.
    await call(core, 'preference.ratings.export', { out, overwrite: true });
    const other = home('pref-ratings-b');
    expect(await call(other.core, 'preference.ratings.import', { file: out })).toMatchObject({ added: 4, errors: [] });
    expect(storedRatings(other.core)).toEqual(storedRatings(core));
    expect(await call(core, 'preference.ratings.import', { file: out })).toMatchObject({ added: 0, unchanged: 4 });
  });

  it('bad rows: every one listed by row and column, and nothing is stored', async () => {
    const { dir, core } = home();
    await call(core, 'preference.ratings.import', {
      file: write(dir, 'ok.csv', `${RATINGS_HEADER}\nvid_9,owner,owner,6,,,,,2025-01-01T00:00:00Z\n`),
    });
    const before = storedRatings(core);
    const rows = [
      RATINGS_HEADER,
      'vid_1,owner,owner,7,,,,,2025-03-01T10:00:00Z', // 1: fine
      'vid_2,owner,owner,11,,,,,2025-03-01T10:00:00Z', // 2: above 10
      'vid_3,owner,owner,7.3,,,,,2025-03-01T10:00:00Z', // 3: not a 0.5 step
      'vid_4,owner,owner,"7,5",,,,,2025-03-01T10:00:00Z', // 4: decimal comma
      'vid_5,owner,owner,,8,,,,2025-03-01T10:00:00Z', // 5: no overall
      'vid_6,owner,boss,6,,,,,2025-03-01T10:00:00Z', // 6: rater_type
      'vid_7,owner,Owner,6,-1,,,,2025-03-01T10:00:00Z', // 7: rater_type case, hook below 0
      'vid_8,owner,owner,6,,,,,03/01/2025', // 8: not ISO 8601
      'vid_9,owner,owner,6,,,,,', // 9: no rated_at
      'vid_9,owner,owner,7,,,,,2025-01-01T00:00:00Z', // 10: the stored rating's time, other values
      'vid_1,owner,owner,8,,,,,2025-03-01T10:00:00Z', // 11: row 1's time, other values
      ',owner,owner,6,,,,,2025-03-01T10:00:00Z', // 12: no video
      'vid_13,the owner,owner,6,,,,,2025-03-01T10:00:00Z', // 13: rater with a space
      'vid_14,owner,owner,6,,,,2025-03-01T10:00:00Z', // 14: a field short
    ];
    const file = write(dir, 'bad.csv', `${rows.join('\n')}\n`);
    const report = await call(core, 'preference.ratings.import', { file });
    expect(report.added).toBe(0);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'overall'],
      [3, 'overall'],
      [4, 'overall'],
      [5, 'overall'],
      [6, 'rater_type'],
      [7, 'rater_type'],
      [7, 'hook'],
      [8, 'rated_at'],
      [9, 'rated_at'],
      [11, 'rated_at'],
      [12, 'video_id'],
      [13, 'rater'],
      [14, 'rated_at'],
    ]);
    const message = (row: number, column: string) => report.errors.find((e) => e.row === row && e.column === column)!.message;
    expect(message(2, 'overall')).toBe('overall 11 is above 10; scores are 0 to 10 in steps of 0.5.');
    expect(message(3, 'overall')).toBe('overall 7.3 is not in steps of 0.5 (e.g. 7 or 7.5); scores are 0 to 10 in steps of 0.5.');
    expect(message(4, 'overall')).toContain('(write the decimal with a dot: 7.5)');
    expect(message(5, 'overall')).toContain('overall is blank');
    expect(message(6, 'rater_type')).toBe('rater_type "boss" is not owner or other.');
    expect(message(7, 'rater_type')).toContain('(write it in lower case: owner)');
    expect(message(7, 'hook')).toContain('hook "-1" is not a number');
    expect(message(8, 'rated_at')).toBe('rated_at "03/01/2025" is not an ISO 8601 date (e.g. 2025-03-01T10:00:00Z).');
    expect(message(11, 'rated_at')).toMatch(/^Row 1 already rates vid_1 by owner at 2025-03-01T10:00:00Z with other values/);
    expect(message(14, 'rated_at')).toContain('This row has 8 fields but the header has 9');
    expect(storedRatings(core)).toEqual(before);

    // Against the home: a stored rating's video × rater × time with other values is refused too (all or nothing).
    const clash = write(
      dir,
      'clash.csv',
      `${RATINGS_HEADER}\nvid_1,owner,owner,7,,,,,2025-03-01T10:00:00Z\nvid_9,owner,owner,7,,,,,2025-01-01T00:00:00Z\n`,
    );
    const refused = await call(core, 'preference.ratings.import', { file: clash });
    expect(refused.errors).toEqual([
      {
        row: 2,
        column: 'rated_at',
        message: expect.stringMatching(
          /^vid_9 by owner at 2025-01-01T00:00:00Z is already stored with other values \(overall 6\); a rating is never edited/,
        ),
      },
    ]);
    expect(storedRatings(core)).toEqual(before);

    // Not the ratings header; a missing column; not UTF-8.
    const wrong = await call(core, 'preference.ratings.import', { file: write(dir, 'wrong.csv', 'frame_id,coder,pov\nx,y,z\n') });
    expect(wrong.errors).toEqual([{ row: 0, column: 'video_id', message: expect.stringContaining('is not the ratings header') }]);
    const missing = await call(core, 'preference.ratings.import', {
      file: write(dir, 'missing.csv', 'video_id,rater,rater_type,overall,notes,rated_at\n'),
    });
    expect(missing.errors.map((e) => [e.row, e.column])).toEqual([
      [0, 'hook'],
      [0, 'pacing'],
      [0, 'payoff'],
    ]);
    expect(
      await failure(core, 'preference.ratings.import', { file: write(dir, 'latin1.csv', Buffer.from([0x76, 0x69, 0x64, 0xe9, 0x0a])) }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is not UTF-8 text: line 1'),
    });
    expect(await failure(core, 'preference.ratings.import', { file: 'ratings.csv' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('absolute path'),
    });
    expect(storedRatings(core)).toEqual(before);
  });
});
