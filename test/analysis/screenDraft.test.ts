import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisConfig, type AnalysisColumn } from '../../src/shared/analysis';
import {
  buildAnalysisConfig,
  DEFAULT_ANALYSIS_DRAFT,
  draftFromConfig,
  draftProblems,
  suggestRoles,
} from '../../src/renderer/store/analysisDraft';
import { analysisColumns, loadAnalysisData } from '../../src/main/core/analysis/data';
import { writeRunInputs } from './pipelineFixture';

/**
 * The Analysis screen's draft → config step, on the columns the core reads from the lab-shaped
 * synthetic table: the suggested roles are the lab's, the config it builds is one the run
 * accepts, and a config read back into a draft builds the same config.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-analysis-draft-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the Analysis screen draft', () => {
  const { dataFile } = writeRunInputs(dir, { n: 60 });
  let columns: AnalysisColumn[] = [];

  it('suggests the lab’s roles from the table’s columns', async () => {
    columns = analysisColumns(await loadAnalysisData({ data: dataFile, id: 'video_id', joins: [] }));
    const { roles, focal } = suggestRoles(columns, 'video_id');
    expect(
      Object.entries(roles)
        .filter(([, r]) => r === 'outcome')
        .map(([c]) => c),
    ).toEqual(expect.arrayContaining(['views', 'likes', 'shares']));
    expect(roles.color_entropy).toBe('predictor');
    expect(roles.has_text).toBe('predictor');
    expect(roles.duration_s).toBe('control');
    expect(roles.category).toBe('categorical');
    expect(roles.video_id).toBeUndefined();
    expect(focal).toEqual([['color_entropy', 'avg_objects', 'text_area_ratio']]);
  });

  it('builds a config the run accepts, and reads it back unchanged', () => {
    const draft = {
      ...DEFAULT_ANALYSIS_DRAFT,
      data: dataFile,
      ...suggestRoles(columns, 'video_id'),
      pdpPairs: [['color_entropy', 'avg_objects']] as [string, string][],
    };
    expect(draftProblems(draft, columns)).toEqual([]);
    const config = buildAnalysisConfig(draft, columns);
    const parsed = AnalysisConfig.parse(config);
    expect(parsed.controls).toEqual(['duration_s', 'C(category)']);
    expect(parsed.focal).toEqual([['color_entropy', 'avg_objects', 'text_area_ratio']]);
    expect(parsed.gbm?.pdpPairs).toEqual([['color_entropy', 'avg_objects']]);
    expect(buildAnalysisConfig(draftFromConfig(parsed), columns)).toEqual(config);
  });

  it('says what stops a run, in words the lead can act on', () => {
    expect(draftProblems(DEFAULT_ANALYSIS_DRAFT, null)).toEqual(['Choose the video-level table (a CSV or Parquet file).']);
    const base = { ...DEFAULT_ANALYSIS_DRAFT, data: dataFile };
    expect(draftProblems(base, null)).toEqual(['Read the table’s columns first.']);
    expect(draftProblems(base, columns)).toEqual(['Pick at least one outcome.', 'Pick at least one predictor.']);
    const roles = { views: 'outcome', color_entropy: 'predictor', avg_objects: 'predictor', duration_s: 'predictor' } as const;
    expect(draftProblems({ ...base, roles, focal: [['color_entropy', 'text_area_ratio']] }, columns)).toEqual([
      'Focal set 1: text_area_ratio is not a predictor.',
    ]);
    expect(draftProblems({ ...base, roles, focal: [['color_entropy', 'color_entropy']] }, columns)).toEqual([
      'Focal set 1 names a predictor twice.',
    ]);
    // duration_s holds fractions: not a count outcome.
    expect(draftProblems({ ...base, roles: { ...roles, duration_s: 'outcome' } }, columns)[0]).toMatch(
      /whole-number outcomes: duration_s is not/,
    );
    expect(draftProblems({ ...base, roles: { ...roles, duration_s: 'outcome' }, countModels: false }, columns)).toEqual([]);
  });
});
