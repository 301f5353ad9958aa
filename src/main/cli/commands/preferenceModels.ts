import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { FeatureCorrelation } from '../../../shared/preferenceModel';
import type {
  EligibilityReport,
  PreferenceCorrelateResult,
  PreferenceModelSummary,
  PreferenceScoreResult,
  PreferenceStatus,
  PreferenceTrainResult,
} from '../../../shared/preferenceWorkflow';
import { numberFlag, parseCommandArgs } from '../args';
import type { CommandResult } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';
import type { PreferenceSubcommand } from './preferenceData';

/**
 * `framelab preference correlate | train | models | activate | status | score`: the
 * Preferences area's models (issue 19 items 3–8). Each parses its own options; bad ones are
 * refused with the usage, never ignored.
 */
export const CORRELATE_USAGE = 'framelab preference correlate [--version V] [--min-features N] [--top N] [--json]';
export const TRAIN_USAGE =
  'framelab preference train [--model ridge|random_forest] [--top 50] [--prune 0.1] [--multi-output] [--activate-if-advised] [--notes TEXT] [--version V] [--min-features N] [--min-ratings N] [--json]';
export const MODELS_USAGE = 'framelab preference models [--json]';
export const ACTIVATE_USAGE = 'framelab preference activate ID [--json]';
export const STATUS_USAGE = 'framelab preference status [--json]';
export const SCORE_USAGE = `framelab preference score (--video ID | --analysis FILE.json) [--model ID] [--json]
       framelab preference score --all --out FILE.csv [--overwrite] [--model ID] [--json]`;

const fixed = (v: number | null, digits = 3) => (v === null ? '-' : v.toFixed(digits));

function usageError(usage: string) {
  return (message: string) => new FramelabError('INVALID_INPUT', `${message}\nUsage: ${usage}`);
}

function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length) throw usageError(usage)(`Unexpected "${positionals.join(' ')}".`);
}

export function describeEligibility(e: EligibilityReport): string[] {
  return [
    `${e.eligible} eligible owner ratings (analysis ${e.analysisVersion ?? 'none'}, feature_count ≥ ${e.minFeatures}) of ${e.ratings} current ratings`,
    ...e.excluded.map(
      (x) =>
        `  excluded ${x.count} (${x.reason}: ${x.detail}): ${x.videoIds.slice(0, 5).join(', ')}${x.videoIds.length > 5 ? `, … ${x.videoIds.length - 5} more` : ''}`,
    ),
  ];
}

const corrLine = (f: FeatureCorrelation) =>
  `  ${f.feature.padEnd(50)} r ${fixed(f.r).padStart(6)}  p ${f.p === null ? '-' : f.p.toExponential(1)}  q ${f.q === null ? '-' : f.q.toExponential(1)}  ${f.tier}`;

function describeCorrelations(r: PreferenceCorrelateResult): string {
  return [
    ...describeEligibility(r.eligibility),
    ...r.notes.map((n) => `note: ${n}`),
    `Strongest positive (${r.topPositive.length}):`,
    ...r.topPositive.map(corrLine),
    `Strongest negative (${r.topNegative.length}):`,
    ...r.topNegative.map(corrLine),
    'Expected correlations:',
    ...r.expected.map(
      (e) => `  ${e.feature.padEnd(50)} ${e.direction.padEnd(8)} ${e.status}${e.r === null ? '' : ` (r ${fixed(e.r)})`}; ${e.note}`,
    ),
    `Snapshot ${r.snapshotId} stored (${r.ratings} ratings).`,
  ].join('\n');
}

export const correlateSubcommand: PreferenceSubcommand = {
  usage: CORRELATE_USAGE,
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      { version: { type: 'string' }, 'min-features': { type: 'string' }, top: { type: 'string' } },
      CORRELATE_USAGE,
    );
    noPositionals(positionals, CORRELATE_USAGE);
    const result = await withClient(globals, (client) =>
      client.call('preference.correlate', {
        analysisVersion: values.version,
        minFeatures: numberFlag(values['min-features'], 'min-features', { integer: true, min: 0 }),
        top: numberFlag(values.top, 'top', { integer: true, min: 1 }),
      }),
    );
    return { value: result, text: describeCorrelations(result) };
  },
};

/** What `train --json` prints: the spec's shape first, the evaluation's summary after it (the model file holds the rest). */
export function trainOutput(r: PreferenceTrainResult) {
  return {
    model: r.model,
    activated: r.activated,
    advice: r.advice,
    parent: r.parent,
    kind: r.kind,
    ratings: r.ratings,
    features: r.features,
    metrics: r.metrics,
    subScores: r.subScores.map((s) => ({ target: s.target, ratings: s.ratings, metrics: s.metrics })),
    errors: r.errors,
    notes: r.notes,
    excluded: r.eligibility.excluded.map((e) => ({ reason: e.reason, count: e.count })),
  };
}

function describeTrain(r: PreferenceTrainResult): string {
  const m = r.metrics;
  return [
    `${r.model}: ${r.kind}, ${r.features} features, trained on ${r.ratings} ratings${r.parent ? ` (parent ${r.parent})` : ''}`,
    `  hold-out MAE ${fixed(m.mae)} (${m.status.mae}), RMSE ${fixed(m.rmse)}, R² ${fixed(m.r2)} (${m.status.r2})`,
    `  5-fold CV MAE ${fixed(m.cv_mae)} ± ${fixed(m.cv_mae_std)} (${m.status.cv_mae}), R² ${fixed(m.cv_r2)} (${m.status.cv_r2})`,
    ...r.subScores.map(
      (s) =>
        `  ${s.target}: CV MAE ${fixed(s.metrics.cv_mae)} ± ${fixed(s.metrics.cv_mae_std)}, R² ${fixed(s.metrics.cv_r2)} (${s.ratings} ratings)`,
    ),
    ...r.notes.map((n) => `  note: ${n}`),
    `${r.activated ? 'Activated' : 'Not activated'}: ${r.advice.reason}${!r.activated && r.advice.activate ? ` Activate it with \`framelab preference activate ${r.model}\`.` : ''}`,
  ].join('\n');
}

export const trainSubcommand: PreferenceSubcommand = {
  usage: TRAIN_USAGE,
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        model: { type: 'string' },
        top: { type: 'string' },
        prune: { type: 'string' },
        'multi-output': { type: 'boolean' },
        'activate-if-advised': { type: 'boolean' },
        notes: { type: 'string' },
        version: { type: 'string' },
        'min-features': { type: 'string' },
        'min-ratings': { type: 'string' },
      },
      TRAIN_USAGE,
    );
    noPositionals(positionals, TRAIN_USAGE);
    if (values.model !== undefined && values.model !== 'ridge' && values.model !== 'random_forest') {
      throw usageError(TRAIN_USAGE)(`--model is ridge or random_forest, not "${values.model}".`);
    }
    const params = {
      kind: (values.model ?? 'ridge') as 'ridge' | 'random_forest',
      top: numberFlag(values.top, 'top', { integer: true, min: 1 }) ?? 50,
      prune: numberFlag(values.prune, 'prune', { min: 0, max: 1 }) ?? null,
      multiOutput: values['multi-output'] ?? false,
      activateIfAdvised: values['activate-if-advised'] ?? false,
      notes: values.notes ?? '',
      analysisVersion: values.version,
      minFeatures: numberFlag(values['min-features'], 'min-features', { integer: true, min: 0 }) ?? 100,
      minRatings: numberFlag(values['min-ratings'], 'min-ratings', { integer: true, min: 1 }) ?? 200,
    };
    // A job: progress on stderr, Ctrl-C cancels it (nothing stored).
    const result = await withClient(
      globals,
      async (client, mode) => (await runJobForResult(client, mode, globals, 'preference.train', params)).result,
    );
    return { value: trainOutput(result), text: describeTrain(result) };
  },
};

const modelLine = (m: PreferenceModelSummary) =>
  `${m.active ? '*' : ' '} ${m.id.padEnd(18)} ${m.kind.padEnd(13)} ${String(m.trainingRatings).padStart(5)} ratings  MAE ${fixed(m.metrics.mae)}  CV MAE ${fixed(m.metrics.cv_mae)} ± ${fixed(m.metrics.cv_mae_std)}  R² ${fixed(m.metrics.r2)}  ${m.createdAt}${m.parentId ? `  parent ${m.parentId}` : ''}${m.notes ? `  "${m.notes}"` : ''}`;

export const modelsSubcommand: PreferenceSubcommand = {
  usage: MODELS_USAGE,
  async run(args, globals) {
    const { positionals } = parseCommandArgs(args, {}, MODELS_USAGE);
    noPositionals(positionals, MODELS_USAGE);
    const list = await withClient(globals, (client) => client.call('preference.models.list', {}));
    return {
      value: list,
      text: list.models.length
        ? [...list.models.map(modelLine), '(* active)'].join('\n')
        : 'No preference models yet: `framelab preference train`.',
    };
  },
};

export const activateSubcommand: PreferenceSubcommand = {
  usage: ACTIVATE_USAGE,
  async run(args, globals) {
    const { positionals } = parseCommandArgs(args, {}, ACTIVATE_USAGE);
    const [id, ...extra] = positionals;
    if (!id) throw usageError(ACTIVATE_USAGE)('activate needs a model id, e.g. preference@v1.0.');
    noPositionals(extra, ACTIVATE_USAGE);
    const model = await withClient(globals, (client) => client.call('preference.activate', { id }));
    return { value: model, text: `${model.id} is now the active preference model.` };
  },
};

function describeStatus(s: PreferenceStatus): string {
  const lines = [
    ...describeEligibility(s.eligibility),
    'Ladder:',
    ...s.ladder.map((l) => `  [${l.reached ? 'x' : ' '}] ${String(l.ratings).padStart(3)} ratings: ${l.step}`),
    `Now: ${s.now}`,
    s.next ? `Next: ${s.next.needed} more eligible ratings to reach ${s.next.ratings}.` : 'Top of the ladder reached.',
    s.active
      ? `Active model: ${s.active.id} (${s.active.kind}, ${s.active.trainingRatings} ratings, MAE ${fixed(s.active.metrics.mae)})`
      : `Active model: none (${s.models} stored).`,
  ];
  if (s.retrain) {
    lines.push(
      `Retrain: ${s.retrain.due ? 'DUE' : 'not due'}; ${s.retrain.newRatings} new ratings${s.retrain.recentMae === null ? '' : `, MAE on them ${fixed(s.retrain.recentMae)}`}`,
    );
    lines.push(...s.retrain.reasons.map((r) => `  - ${r}`));
    if (s.retrain.due)
      lines.push('  Retrain with `framelab preference train` (a new version; the active one stays until you activate another).');
  }
  if (s.lastSnapshot)
    lines.push(`Last correlation snapshot: ${s.lastSnapshot.id} at ${s.lastSnapshot.ratings} ratings (${s.lastSnapshot.createdAt}).`);
  return lines.join('\n');
}

export const statusSubcommand: PreferenceSubcommand = {
  usage: STATUS_USAGE,
  async run(args, globals) {
    const { positionals } = parseCommandArgs(args, {}, STATUS_USAGE);
    noPositionals(positionals, STATUS_USAGE);
    const status = await withClient(globals, (client) => client.call('preference.status', {}));
    return { value: status, text: describeStatus(status) };
  },
};

/** What `score --json` prints: the spec's four fields first. */
export function scoreOutput(r: PreferenceScoreResult) {
  return {
    model: r.model,
    score: r.score,
    confidence: r.confidence,
    topFactors: r.topFactors,
    videoId: r.videoId,
    analysisVersion: r.analysisVersion,
    coverage: r.coverage,
    baseScore: r.baseScore,
    unclampedScore: r.unclampedScore,
  };
}

export const scoreSubcommand: PreferenceSubcommand = {
  usage: SCORE_USAGE,
  async run(args, globals): Promise<CommandResult> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        video: { type: 'string' },
        analysis: { type: 'string' },
        model: { type: 'string' },
        all: { type: 'boolean' },
        out: { type: 'string' },
        overwrite: { type: 'boolean' },
      },
      SCORE_USAGE,
    );
    noPositionals(positionals, SCORE_USAGE);
    const usage = usageError(SCORE_USAGE);
    const sources = [values.video !== undefined, values.analysis !== undefined, values.all === true].filter(Boolean).length;
    if (sources !== 1) throw usage('score needs exactly one of --video ID, --analysis FILE.json and --all.');
    if (values.all) {
      if (!values.out) throw usage('score --all needs --out FILE.csv.');
      const out = path.resolve(values.out);
      const result = await withClient(globals, (client) =>
        client.call('preference.scoreAll', { out, overwrite: values.overwrite ?? false, modelId: values.model }),
      );
      return { value: result, text: `Scored ${result.rows} videos with ${result.model} into ${result.file}.` };
    }
    if (values.out !== undefined || values.overwrite !== undefined) throw usage('--out and --overwrite belong to score --all.');
    const input =
      values.video !== undefined
        ? { videoId: values.video, modelId: values.model }
        : { file: path.resolve(values.analysis!), modelId: values.model };
    const result = await withClient(globals, (client) => client.call('preference.score', input));
    const text = [
      `${result.videoId}: ${result.score.toFixed(2)} / 10 with ${result.model} (confidence ${fixed(result.confidence, 2)}, coverage ${(100 * result.coverage).toFixed(0)} %)`,
      ...result.topFactors.map((f) => `  ${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(3)}  ${f.feature}`),
    ].join('\n');
    return { value: scoreOutput(result), text };
  },
};

export const PREFERENCE_MODEL_SUBCOMMANDS: Record<string, PreferenceSubcommand> = {
  correlate: correlateSubcommand,
  train: trainSubcommand,
  models: modelsSubcommand,
  activate: activateSubcommand,
  status: statusSubcommand,
  score: scoreSubcommand,
};
