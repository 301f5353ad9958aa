/**
 * `preference analyses import`: one-video .json files, .jsonl files and folders of both into a
 * real home. Every copy is kept, the newest of a video × version is current, an identical
 * re-import adds nothing; a file with malformed JSON or a bad field is refused whole (named by
 * file, line, column or field) while the other files of a folder still import.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAnalysesImport, importAnalyses, planAnalysesImport } from '../../src/main/core/preference/importAnalyses';
import { analysesSummary, analysisView, currentAnalyses } from '../../src/main/core/preference/analyses';
import type { AnalysisFileOutcome, AnalysesImportReport } from '../../src/shared/preference';
import type { FramelabEvent } from '../../src/shared/events';
import { openTestCore, runCleanup, tempDir } from '../helpers';
import { call, currentAnalysisOf, failure, jsonl, record, storedAnalyses, write } from './dataFixtures';

afterEach(runCleanup);

const A = {
  feature_count: 170,
  script: { replicability: { score: 9, requiredElements: ['Person', 'Reaction'] } },
  audio: { soundEffects: ['laugh'] },
};
const B = { feature_count: 171, script: { replicability: { score: 4 } }, trends: { memeDependent: true } };

function home() {
  const dir = tempDir('pref-analyses');
  return { dir, core: openTestCore(path.join(dir, 'home')) };
}

const only = (report: AnalysesImportReport): AnalysisFileOutcome => {
  expect(report.files).toHaveLength(1);
  return report.files[0]!;
};

describe('preference analyses import', () => {
  it('JSON, JSONL and a folder: every copy kept, the newest of a version current, identical re-imports add nothing', () => {
    const { dir, core } = home();
    const one = write(
      dir,
      'one.json',
      `{\n  "video_id": "vid_a",\n  "analysis_version": "v3",\n  "analysis": ${JSON.stringify(A, null, 2)}\n}\n`,
    );
    const first = importAnalyses(core.db, { path: one });
    expect(first).toMatchObject({ filesImported: 1, filesRefused: 0, records: 1, videos: 1, versions: { v3: 1 }, added: 1, unchanged: 0 });
    expect(only(first)).toMatchObject({ format: 'json', outcome: 'imported', records: 1, added: 1, unchanged: 0, problems: [] });
    // The same file again, and the same analysis with other key order and spacing: nothing new.
    expect(importAnalyses(core.db, { path: one })).toMatchObject({ added: 0, unchanged: 1 });
    const reordered = { audio: A.audio, script: A.script, feature_count: 170 };
    const same = write(dir, 'same.jsonl', jsonl(JSON.stringify({ analysis: reordered, analysis_version: 'v3', video_id: 'vid_a' })));
    expect(importAnalyses(core.db, { path: same })).toMatchObject({ added: 0, unchanged: 1 });
    expect(storedAnalyses(core)).toHaveLength(1);

    // A JSONL: a new analysis of vid_a v3 (it becomes current), another video, another version of vid_a.
    const many = write(
      dir,
      'many.jsonl',
      jsonl(
        record('vid_a', 'v3', B),
        '',
        record('vid_b', 'v3', { feature_count: 90 }),
        record('vid_a', 'v2', { old: true }),
        record('vid_c', 'v3', { x: 1 }),
        record('vid_c', 'v3', { x: 2 }),
      ),
    );
    const second = importAnalyses(core.db, { path: many });
    expect(second).toMatchObject({
      records: 5,
      videos: 3,
      versions: { v2: 1, v3: 3 },
      added: 5,
      unchanged: 0,
      featureCounts: { min: 90, median: 130.5, max: 171, missing: 3 },
    });
    expect(Object.keys(second.versions)).toEqual(['v2', 'v3']);
    expect(currentAnalysisOf(core, 'vid_a', 'v3')).toEqual(B);
    expect(currentAnalysisOf(core, 'vid_a', 'v2')).toEqual({ old: true });
    // Two records of one video and version in one import: the later line wins, both are kept.
    expect(currentAnalysisOf(core, 'vid_c', 'v3')).toEqual({ x: 2 });

    // A folder holding the first analysis again: it differs from the current one (B), so it is
    // stored once more and is current again; the history holds A, B, A.
    const folder = path.join(dir, 'folder');
    write(folder, 'a.json', JSON.stringify({ video_id: 'vid_a', analysis_version: 'v3', analysis: A }));
    write(folder, 'b.jsonl', jsonl(record('vid_b', 'v3', { feature_count: 90 })));
    write(folder, 'notes.txt', 'not an analysis');
    write(folder, '.hidden.json', '{');
    const third = importAnalyses(core.db, { path: folder });
    expect(third.files.map((f) => [path.basename(f.file), f.outcome, f.added, f.unchanged])).toEqual([
      ['a.json', 'imported', 1, 0],
      ['b.jsonl', 'imported', 0, 1],
    ]);
    expect(currentAnalysisOf(core, 'vid_a', 'v3')).toEqual(A);
    const view = analysisView(core.db, 'vid_a');
    expect(view.history.map((h) => [h.version, h.featureCount])).toEqual([
      ['v3', 170],
      ['v2', null],
      ['v3', 171],
      ['v3', 170],
    ]);
    expect(view.current.map((c) => [c.version, c.analysis])).toEqual([
      ['v3', A],
      ['v2', { old: true }],
    ]);
    expect(view.history[0]!.source).toBe(`${path.join(folder, 'a.json')}:1`);
    // The newest version and what training reads of it.
    const summary = analysesSummary(core.db);
    expect(summary).toMatchObject({ videos: 3, copies: 7, newestVersion: 'v3' });
    expect(summary.versions.map((v) => [v.version, v.videos])).toEqual([
      ['v3', 3],
      ['v2', 1],
    ]);
    expect(currentAnalyses(core.db).map((c) => [c.videoId, c.featureCount])).toEqual([
      ['vid_a', 170],
      ['vid_b', 90],
      ['vid_c', null],
    ]);
    // History is append-only.
    expect(() => core.db.prepare('UPDATE preference_analyses SET feature_count = 1').run()).toThrow(/append-only/);
    expect(() => core.db.prepare('DELETE FROM preference_analyses').run()).toThrow(/append-only/);
  });

  it('malformed JSON: the file and line:column are named and nothing from that file is stored; other files of a folder still import', () => {
    const { dir, core } = home();
    const cases: [string, string, number, number, RegExp][] = [
      // [file name, content, line, column, message]
      [
        'trailing.json',
        '{\n  "video_id": "v1",\n  "analysis_version": "v3",\n  "analysis": {"a": 1,}\n}\n',
        4,
        23,
        /a comma before \} \(JSON allows no trailing comma\)/,
      ],
      [
        'unclosed.json',
        '{\n  "video_id": "v1",\n  "analysis_version": "v3,\n  "analysis": {}\n}\n',
        3,
        27,
        /line break or control character inside a string/,
      ],
      ['cut.json', '{\n  "video_id": "v1",\n  "analysis": {"a": [1, 2', 3, 26, /the text ends before the JSON does \(missing \]\}\}\)/],
      ['quote.json', "{\n  'video_id': 'v1'\n}", 2, 3, /expected a property name in double quotes; found '/],
      ['empty.json', '', 1, 1, /there is no JSON value/],
      ['two.json', '{"video_id": "v1"}\n{"video_id": "v2"}\n', 2, 1, /more text after the JSON value/],
    ];
    for (const [name, content, line, column, message] of cases) {
      const file = write(dir, name, content);
      const outcome = only(importAnalyses(core.db, { path: file }));
      expect(outcome, name).toMatchObject({ outcome: 'refused', records: 0, added: 0, problemCount: 1 });
      expect(outcome.problems[0], name).toMatchObject({ line, column, field: null, message: expect.stringMatching(message) });
      // Never V8's snippet of the file.
      expect(outcome.problems[0]!.message, name).not.toMatch(/is not valid JSON|v1/);
    }

    // JSONL: valid lines before and after a bad one are not imported either; every bad line is named.
    const lines = jsonl(
      record('ok_1', 'v3', { a: 1 }),
      record('ok_2', 'v3', { a: 2 }),
      '{"video_id": "bad", "analysis_version": "v3", "analysis": {"a": tru}}',
      record('ok_3', 'v3', {}),
      '{"video_id": "x"',
    );
    const bad = write(dir, 'bad.jsonl', lines);
    const outcome = only(importAnalyses(core.db, { path: bad }));
    expect(outcome).toMatchObject({ outcome: 'refused', format: 'jsonl', records: 0, problemCount: 2 });
    expect(outcome.problems).toEqual([
      { line: 3, column: 65, field: null, message: expect.stringMatching(/^not valid JSON: expected a value .*found a letter/) },
      { line: 5, column: 17, field: null, message: expect.stringMatching(/the text ends before the JSON does \(missing \}\)/) },
    ]);
    expect(storedAnalyses(core)).toEqual([]);

    // A folder: the good file imports, the bad one is refused, the report lists both.
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    fs.copyFileSync(bad, path.join(folder, '1-bad.jsonl'));
    write(folder, '2-good.jsonl', jsonl(record('good_1', 'v3', { feature_count: 150 }), record('good_2', 'v3', { feature_count: 110 })));
    const report = importAnalyses(core.db, { path: folder });
    expect(report).toMatchObject({
      filesImported: 1,
      filesRefused: 1,
      records: 2,
      videos: 2,
      added: 2,
      featureCounts: { min: 110, median: 130, max: 150, missing: 0 },
    });
    expect(report.files.map((f) => [path.basename(f.file), f.outcome, f.problemCount])).toEqual([
      ['1-bad.jsonl', 'refused', 2],
      ['2-good.jsonl', 'imported', 0],
    ]);
    expect(storedAnalyses(core).map((a) => a.videoId)).toEqual(['good_1', 'good_2']);
  });

  it('missing or ill-typed fields are named with file, line and field; nothing from the file is stored', () => {
    const { dir, core } = home();
    const bad = write(
      dir,
      'fields.jsonl',
      jsonl(
        record('fine', 'v3', { feature_count: 120 }),
        JSON.stringify({ analysis_version: 'v3', analysis: {} }),
        JSON.stringify({ video_id: 42, analysis_version: 'v3', analysis: {} }),
        JSON.stringify({ video_id: 'v', analysis_version: 3, analysis: {} }),
        JSON.stringify({ video_id: 'v', analysis_version: 'v3', analysis: [1, 2] }),
        JSON.stringify({ video_id: 'v', analysis_version: 'v3' }),
        JSON.stringify({ video_id: 'v', analysis_version: 'v3', analysis: { feature_count: '170' } }),
        JSON.stringify({ video_id: 'v', analysis_version: 'v3', analysis: { feature_count: 12.5 } }),
        JSON.stringify({ video_id: ' v ', analysis_version: '', analysis: {} }),
        JSON.stringify({ video_id: 'a/b', analysis_version: 'v3', analysis: {} }),
        '[1, 2]',
      ),
    );
    const outcome = only(importAnalyses(core.db, { path: bad }));
    expect(outcome.outcome).toBe('refused');
    expect(outcome.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [2, 'video_id', 'video_id is missing: every record names its video'],
      [3, 'video_id', 'video_id must be a string, not the number 42'],
      [4, 'analysis_version', 'analysis_version must be a string such as "v3", not the number 3'],
      [5, 'analysis', 'analysis must be a JSON object {...}, not an array'],
      [6, 'analysis', "analysis is missing: the nested object of the video's features"],
      [7, 'analysis.feature_count', "feature_count must be a whole number ≥ 0 (the analysis's count of its features), not a string"],
      [8, 'analysis.feature_count', "feature_count must be a whole number ≥ 0 (the analysis's count of its features), not the number 12.5"],
      [9, 'video_id', 'video_id is not usable: a video_id has no spaces around it'],
      [9, 'analysis_version', 'analysis_version is empty (e.g. "v3")'],
      [10, 'video_id', 'video_id is not usable: a video_id has no / or \\ or control characters'],
      [11, null, 'expected one JSON object {"video_id", "analysis_version", "analysis": {...}}, found an array'],
    ]);
    expect(storedAnalyses(core)).toEqual([]);

    // A .json file: the line of the field at fault.
    const json = write(dir, 'one.json', '{\n  "video_id": "v",\n  "analysis_version": "v3",\n  "analysis": "none"\n}\n');
    expect(only(importAnalyses(core.db, { path: json })).problems).toEqual([
      { line: 4, column: null, field: 'analysis', message: 'analysis must be a JSON object {...}, not a string' },
    ]);
    const list = write(dir, 'list.json', '\n[{"video_id": "v"}]');
    expect(only(importAnalyses(core.db, { path: list })).problems[0]).toMatchObject({
      line: 2,
      field: null,
      message: expect.stringContaining('a list of videos goes in a .jsonl file'),
    });

    // Not UTF-8 (Latin-1 é on line 2), a FIFO among the folder's files: refused with the reason, the rest imports.
    const folder = path.join(dir, 'folder');
    write(
      folder,
      'latin1.jsonl',
      Buffer.concat([
        Buffer.from(`${record('ok', 'v3', {})}\n{"video_id": "caf`),
        Buffer.from([0xe9]),
        Buffer.from('", "analysis_version": "v3", "analysis": {}}\n'),
      ]),
    );
    execFileSync('mkfifo', [path.join(folder, 'pipe.json')]);
    write(folder, 'z.json', record('z', 'v3', {}));
    const report = importAnalyses(core.db, { path: folder });
    expect(report.files.map((f) => [path.basename(f.file), f.outcome, f.problems[0]?.line ?? null])).toEqual([
      ['latin1.jsonl', 'refused', 2],
      ['pipe.json', 'refused', null],
      ['z.json', 'imported', null],
    ]);
    expect(report.files[0]!.problems[0]!.message).toMatch(/is not UTF-8 text: line 2/);
    expect(report.files[1]!.problems[0]!.message).toMatch(/is not a regular file \(it is a FIFO/);
    expect(storedAnalyses(core).map((a) => a.videoId)).toEqual(['z']);
  });

  it('the owner writes what the job read only if it still holds: a record found identical must still be current', () => {
    const { dir, core } = home();
    const file = write(dir, 'a.jsonl', jsonl(record('vid_a', 'v3', A), record('vid_b', 'v3', B)));
    importAnalyses(core.db, { path: file });
    const plan = planAnalysesImport(core.db, { path: file }); // the job's read: both identical, no text shipped
    expect(plan.plan.records.map((r) => r[4])).toEqual([null, null]);
    importAnalyses(core.db, { path: write(dir, 'b.jsonl', jsonl(record('vid_b', 'v3', A))) }); // meanwhile vid_b changes
    const before = storedAnalyses(core);
    expect(() => core.db.transaction(() => applyAnalysesImport(core.db, plan)).immediate()).toThrow(
      /changed while the files were read .* Nothing was imported; import again/,
    );
    expect(storedAnalyses(core)).toEqual(before);
  });

  it('through the API it is a job: checked before it starts, progress by lines, the report as its result', async () => {
    const { dir, core } = home();
    expect(await failure(core, 'preference.analyses.import', { path: 'relative.jsonl' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('absolute path'),
    });
    expect(await failure(core, 'preference.analyses.import', { path: path.join(dir, 'missing.jsonl') })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(core, 'preference.analyses.import', { path: write(dir, 'x.csv', 'a,b') })).toMatchObject({
      message: expect.stringContaining('not a .json or .jsonl file'),
    });
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(await failure(core, 'preference.analyses.import', { path: path.join(dir, 'empty') })).toMatchObject({
      message: expect.stringContaining('holds no .json or .jsonl file'),
    });
    expect(core.jobRepo.list({ limit: 10 })).toEqual([]); // refused before any job was queued

    const n = 6000;
    const big = write(
      dir,
      'big.jsonl',
      jsonl(...Array.from({ length: n }, (_, i) => record(`vid_${i}`, i % 2 ? 'v3' : 'v2', { feature_count: 100 + (i % 100), i }))),
    );
    const stages: string[] = [];
    const off = core.events.subscribe((e: FramelabEvent) => {
      if (e.type === 'job.updated' && e.job.kind === 'preference.analyses.import') stages.push(e.job.progress.stage);
    });
    const report = await call(core, 'preference.analyses.import', { path: big });
    off();
    expect(report).toMatchObject({
      filesImported: 1,
      records: n,
      videos: n,
      versions: { v2: n / 2, v3: n / 2 },
      added: n,
      featureCounts: { min: 100, median: 149.5, max: 199, missing: 0 },
    });
    expect(report).not.toHaveProperty('plan');
    expect(stages.some((s) => /^Reading big\.jsonl: line [\d,]+ of 6,001$/.test(s))).toBe(true);
    expect((core.db.prepare('SELECT count(*) AS n FROM preference_analyses').get() as { n: number }).n).toBe(n);
    const [job] = core.jobRepo.list({ limit: 1 });
    expect(job).toMatchObject({ kind: 'preference.analyses.import', status: 'succeeded' });
    expect(job!.result).not.toHaveProperty('plan');
    expect(await call(core, 'preference.analyses.summary', {})).toMatchObject({ videos: n, copies: n, newestVersion: 'v3' });
  }, 60_000);
});
