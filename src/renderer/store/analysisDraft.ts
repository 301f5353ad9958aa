import { DEFAULT_OUTCOMES, type AnalysisColumn, type AnalysisConfigInput, type AnalysisJoin, type SE_TYPES } from '../../shared/analysis';

/**
 * The Analysis screen's draft: what the lead picks on the screen, and the config a run gets
 * from it (the same JSON `framelab analysis run --config` reads, so a run set up here can be
 * saved and rerun from the command line). Pure functions, tested without a browser.
 */

/** What a column is in the models: an outcome count, a predictor, a control (numeric or `C(name)`), or nothing. */
export type ColumnRole = 'outcome' | 'predictor' | 'control' | 'categorical';

export interface AnalysisDraft {
  name: string;
  /** Absolute path of the video-level table (CSV or Parquet). */
  data: string;
  id: string;
  joins: AnalysisJoin[];
  /** Role by column name; a column without one is not used. */
  roles: Record<string, ColumnRole>;
  /** Theory-driven triples (or pairs) of predictors. */
  focal: string[][];
  pairwise: boolean;
  se: (typeof SE_TYPES)[number];
  center: boolean;
  slopesP: number;
  countModels: boolean;
  zinb: boolean;
  gbm: boolean;
  gbmFolds: number;
  grid: number;
  pdpPairs: [string, string][];
  lasso: boolean;
  cvFolds: number;
  seed: number;
}

export const DEFAULT_ANALYSIS_DRAFT: AnalysisDraft = {
  name: '',
  data: '',
  id: 'video_id',
  joins: [],
  roles: {},
  focal: [],
  pairwise: true,
  se: 'HC3',
  center: false,
  slopesP: 0.05,
  countModels: true,
  zinb: false,
  gbm: true,
  gbmFolds: 5,
  grid: 20,
  pdpPairs: [],
  lasso: true,
  cvFolds: 5,
  seed: 42,
};

/** The lab's visual predictors, its control and its "visual overload" triple (docs/reference.md §4). */
const LAB_PREDICTORS = [
  'color_entropy',
  'avg_objects',
  'text_area_ratio',
  'text_changes_per_second',
  'gaze_at_camera_ratio',
  'num_faces',
  'has_text',
];
const LAB_TRIPLE = ['color_entropy', 'avg_objects', 'text_area_ratio'];
const LAB_CONTROLS = ['duration_s'];
const LAB_CATEGORICAL = ['category'];

const numeric = (c: AnalysisColumn) => c.type !== 'text';

/** The roles a column can take: numbers are anything; text only a categorical control. */
export function rolesFor(column: AnalysisColumn): ColumnRole[] {
  return numeric(column) ? ['outcome', 'predictor', 'control', 'categorical'] : ['categorical'];
}

/**
 * A first draft from a table's columns, as the lab sets its models up: the default outcomes,
 * the lab's predictors and the frame classifiers' shares (from an inference join), duration
 * as a control and the category as a categorical one, the visual-overload triple when all
 * three are there. Only columns that exist and suit the role are picked; the lead edits the rest.
 */
export function suggestRoles(columns: readonly AnalysisColumn[], id: string): { roles: Record<string, ColumnRole>; focal: string[][] } {
  const roles: Record<string, ColumnRole> = {};
  for (const c of columns) {
    if (c.name === id) continue;
    if (numeric(c) && (DEFAULT_OUTCOMES as readonly string[]).includes(c.name)) roles[c.name] = 'outcome';
    else if (numeric(c) && (LAB_PREDICTORS.includes(c.name) || c.source?.startsWith('inference:'))) roles[c.name] = 'predictor';
    else if (numeric(c) && LAB_CONTROLS.includes(c.name)) roles[c.name] = 'control';
    else if (LAB_CATEGORICAL.includes(c.name)) roles[c.name] = 'categorical';
  }
  const focal = LAB_TRIPLE.every((name) => roles[name] === 'predictor') ? [[...LAB_TRIPLE]] : [];
  return { roles, focal };
}

/** Column names with a role, in the table's column order (the order the config lists them). */
export function withRole(columns: readonly AnalysisColumn[], roles: Record<string, ColumnRole>, role: ColumnRole): string[] {
  return columns.filter((c) => roles[c.name] === role).map((c) => c.name);
}

/** What stops the draft from running, in words the lead can act on (empty: it can run). */
export function draftProblems(draft: AnalysisDraft, columns: readonly AnalysisColumn[] | null): string[] {
  const problems: string[] = [];
  if (!draft.data.trim()) return ['Choose the video-level table (a CSV or Parquet file).'];
  if (!columns) return ['Read the table’s columns first.'];
  const predictors = withRole(columns, draft.roles, 'predictor');
  if (!withRole(columns, draft.roles, 'outcome').length) problems.push('Pick at least one outcome.');
  if (!predictors.length) problems.push('Pick at least one predictor.');
  draft.focal.forEach((group, i) => {
    const off = group.filter((name) => !predictors.includes(name));
    if (group.length < 2) problems.push(`Focal set ${i + 1} needs two or three predictors.`);
    else if (new Set(group).size !== group.length) problems.push(`Focal set ${i + 1} names a predictor twice.`);
    else if (off.length) problems.push(`Focal set ${i + 1}: ${off.join(', ')} ${off.length === 1 ? 'is' : 'are'} not a predictor.`);
  });
  draft.pdpPairs.forEach(([a, b], i) => {
    const names = [...predictors, ...withRole(columns, draft.roles, 'control')];
    if (a === b) problems.push(`PDP pair ${i + 1} names ${a} twice.`);
    else if (![a, b].every((n) => names.includes(n)))
      problems.push(`PDP pair ${i + 1}: both variables must be predictors or numeric controls.`);
  });
  if (draft.countModels) {
    const nonCount = columns
      .filter((c) => draft.roles[c.name] === 'outcome' && c.type !== 'integer' && c.type !== 'boolean')
      .map((c) => c.name);
    if (nonCount.length)
      problems.push(
        `Count models need whole-number outcomes: ${nonCount.join(', ')} ${nonCount.length === 1 ? 'is' : 'are'} not. Untick “Count models” or pick count outcomes.`,
      );
  }
  return problems;
}

/** The run's config (relative to nothing: the table and joins are absolute paths). */
export function buildAnalysisConfig(draft: AnalysisDraft, columns: readonly AnalysisColumn[]): AnalysisConfigInput {
  const controls = columns
    .filter((c) => draft.roles[c.name] === 'control' || draft.roles[c.name] === 'categorical')
    .map((c) => (draft.roles[c.name] === 'categorical' ? `C(${c.name})` : c.name));
  return {
    ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
    data: draft.data.trim(),
    id: draft.id.trim() || 'video_id',
    outcomes: withRole(columns, draft.roles, 'outcome'),
    predictors: withRole(columns, draft.roles, 'predictor'),
    controls,
    focal: draft.focal as AnalysisConfigInput['focal'],
    pairwise: draft.pairwise,
    se: draft.se,
    center: draft.center,
    slopesP: draft.slopesP,
    countModels: draft.countModels,
    zinb: draft.zinb,
    gbm: draft.gbm ? { folds: draft.gbmFolds, pdpPairs: draft.pdpPairs, grid: draft.grid } : null,
    lasso: draft.lasso ? { folds: draft.cvFolds } : null,
    cvFolds: draft.cvFolds,
    joins: draft.joins,
    seed: draft.seed,
  };
}

/** A draft from a run's config (to rerun it with changes): roles from its lists. */
export function draftFromConfig(config: {
  name?: string;
  data: string;
  id: string;
  outcomes: string[];
  predictors: string[];
  controls: string[];
  focal: string[][];
  pairwise: boolean;
  se: AnalysisDraft['se'];
  center: boolean;
  slopesP: number;
  countModels: boolean;
  zinb: boolean;
  gbm: { folds: number; pdpPairs: [string, string][]; grid: number } | null;
  lasso: { folds: number } | null;
  cvFolds: number;
  joins: AnalysisJoin[];
  seed: number;
}): AnalysisDraft {
  const roles: Record<string, ColumnRole> = {};
  for (const c of config.outcomes) roles[c] = 'outcome';
  for (const c of config.predictors) roles[c] = 'predictor';
  for (const c of config.controls) {
    const categorical = /^C\((.+)\)$/.exec(c);
    roles[categorical ? categorical[1]! : c] = categorical ? 'categorical' : 'control';
  }
  return {
    ...DEFAULT_ANALYSIS_DRAFT,
    name: config.name ?? '',
    data: config.data,
    id: config.id,
    joins: config.joins,
    roles,
    focal: config.focal,
    pairwise: config.pairwise,
    se: config.se,
    center: config.center,
    slopesP: config.slopesP,
    countModels: config.countModels,
    zinb: config.zinb,
    gbm: config.gbm !== null,
    gbmFolds: config.gbm?.folds ?? DEFAULT_ANALYSIS_DRAFT.gbmFolds,
    grid: config.gbm?.grid ?? DEFAULT_ANALYSIS_DRAFT.grid,
    pdpPairs: config.gbm?.pdpPairs ?? [],
    lasso: config.lasso !== null,
    cvFolds: config.cvFolds,
    seed: config.seed,
  };
}
