import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import {
  AnalysesImportReport,
  type AnalysesSummary,
  type AnalysisFileOutcome,
  type FeatureCountSummary,
  type Rating,
  type RatingsImportReport,
} from '../../../shared/preference';
import { numberFlag, parseCommandArgs } from '../args';
import type { CommandResult, GlobalOptions } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

/**
 * `framelab preference analyses …` and `framelab preference ratings …`: the Preferences
 * area's data. Paths are resolved here, against the shell's folder (the owner of the home may
 * run elsewhere).
 */
export const ANALYSES_USAGE = `framelab preference analyses import PATH [--json]   (PATH: a .json file, a .jsonl file or a folder of them)
       framelab preference analyses summary [--json]`;
export const RATINGS_USAGE = `framelab preference ratings import FILE [--json]
       framelab preference ratings export --out FILE [--current] [--overwrite] [--json]
       framelab preference ratings list [--rater ID] [--type owner|other] [--video ID] [--limit N] [--offset N] [--json]
       framelab preference ratings history VIDEO_ID [--json]
       framelab preference ratings conflicts [--json]`;

export interface PreferenceSubcommand {
  usage: string;
  run(args: string[], globals: GlobalOptions): Promise<CommandResult>;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function describeFeatureCounts(f: FeatureCountSummary): string {
  const range = f.min === null ? 'none has one' : `min ${f.min}, median ${f.median}, max ${f.max}`;
  return `feature_count: ${range}${f.missing ? `; ${plural(f.missing, 'analysis')} without one` : ''}`;
}

function describeFile(f: AnalysisFileOutcome): string[] {
  if (f.outcome === 'imported')
    return [`  ${f.file}: imported, ${plural(f.records, 'record')} (${f.added} added, ${f.unchanged} unchanged)`];
  const lines = [`  ${f.file}: REFUSED, nothing imported from it (${plural(f.problemCount, 'problem')})`];
  for (const p of f.problems) {
    const where = p.line === null ? f.file : `${f.file}:${p.line}${p.column === null ? '' : `:${p.column}`}`;
    lines.push(`    ${where}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
  }
  if (f.problemCount > f.problems.length) lines.push(`    … and ${f.problemCount - f.problems.length} more`);
  return lines;
}

export function describeAnalysesImport(r: AnalysesImportReport): string {
  const versions = Object.entries(r.versions)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  return [
    r.filesRefused
      ? `${r.filesRefused} of ${plural(r.files.length, 'file')} refused (nothing imported from ${r.filesRefused === 1 ? 'it' : 'them'}); ${r.filesImported} imported.`
      : `Imported ${plural(r.files.length, 'file')}.`,
    ...r.files.flatMap(describeFile),
    `${plural(r.records, 'record')}, ${plural(r.videos, 'video')}; versions: ${versions || 'none'}`,
    `analyses: ${r.added} added, ${r.unchanged} unchanged (identical to the current one)`,
    describeFeatureCounts(r.featureCounts),
  ].join('\n');
}

function describeSummary(s: AnalysesSummary): string {
  if (s.videos === 0) return 'No analyses yet: import some with `framelab preference analyses import PATH`.';
  return [
    `${plural(s.videos, 'video')} analysed, ${s.copies.toLocaleString('en-US')} stored ${s.copies === 1 ? 'copy' : 'copies'} (history included); newest version ${s.newestVersion}`,
    ...s.versions.map(
      (v) => `  ${v.version}: ${plural(v.videos, 'video')}, last imported ${v.lastImportedAt}; ${describeFeatureCounts(v.featureCounts)}`,
    ),
  ].join('\n');
}

export const analysesSubcommand: PreferenceSubcommand = {
  usage: ANALYSES_USAGE,
  async run(args, globals) {
    const { positionals } = parseCommandArgs(args, {}, ANALYSES_USAGE);
    const [action, target, ...extra] = positionals;
    if (extra.length > 0) throw new FramelabError('INVALID_INPUT', `Unexpected "${extra.join(' ')}".\nUsage: ${ANALYSES_USAGE}`);
    if (action === 'summary') {
      if (target) throw new FramelabError('INVALID_INPUT', `Unexpected "${target}".\nUsage: ${ANALYSES_USAGE}`);
      const summary = await withClient(globals, (client) => client.call('preference.analyses.summary'));
      return { value: summary, text: describeSummary(summary) };
    }
    if (action !== 'import')
      throw new FramelabError('INVALID_INPUT', `Unknown analyses action "${action ?? ''}".\nUsage: ${ANALYSES_USAGE}`);
    if (!target)
      throw new FramelabError('INVALID_INPUT', `analyses import needs a .json or .jsonl file or a folder.\nUsage: ${ANALYSES_USAGE}`);
    const input = { path: path.resolve(target) };
    // A job (progress on stderr, Ctrl-C cancels it); its result is the report without the plan.
    const report = await withClient(globals, async (client, mode) => {
      const { result } = await runJobForResult(client, mode, globals, 'preference.analyses.import', input);
      const { plan: _plan, ...rest } = result;
      return AnalysesImportReport.parse(rest);
    });
    return { value: report, text: describeAnalysesImport(report), exitCode: report.filesRefused > 0 ? 1 : 0 };
  },
};

function describeRatingsImport(r: RatingsImportReport): string {
  if (r.errors.length > 0) {
    return [
      `${r.file}: ${plural(r.errors.length, 'problem')}; nothing was imported.`,
      ...r.errors.map((e) => `row ${e.row}, column ${e.column || '-'}: ${e.message}`),
    ].join('\n');
  }
  return `Imported ${r.file}: ${plural(r.rows, 'row')}, ${r.added} added, ${r.unchanged} already stored; ${plural(r.videos, 'video')}, ${plural(r.raters, 'rater')}.`;
}

const score = (v: number | null) => (v === null ? '-' : String(v));
const ratingLine = (r: Rating) =>
  `${r.videoId}  ${r.rater} (${r.raterType})  overall ${r.overall}  hook ${score(r.hook)}  pacing ${score(r.pacing)}  payoff ${score(r.payoff)}  ${r.ratedAt}` +
  (r.notes ? `  "${r.notes.replace(/\n/g, ' ')}"` : '');

export const ratingsSubcommand: PreferenceSubcommand = {
  usage: RATINGS_USAGE,
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        out: { type: 'string' },
        overwrite: { type: 'boolean' },
        current: { type: 'boolean' },
        rater: { type: 'string' },
        type: { type: 'string' },
        video: { type: 'string' },
        limit: { type: 'string' },
        offset: { type: 'string' },
      },
      RATINGS_USAGE,
    );
    const [action, target, ...extra] = positionals;
    const usage = (message: string) => new FramelabError('INVALID_INPUT', `${message}\nUsage: ${RATINGS_USAGE}`);
    if (extra.length > 0) throw usage(`Unexpected "${extra.join(' ')}".`);
    const only = (allowed: string[]) => {
      const given = Object.keys(values).filter((k) => !allowed.includes(k));
      if (given.length) throw usage(`--${given[0]} does not belong to ratings ${action}.`);
    };
    switch (action) {
      case 'import': {
        only([]);
        if (!target) throw usage('ratings import needs the CSV file.');
        const file = path.resolve(target);
        const report = await withClient(globals, (client) => client.call('preference.ratings.import', { file }));
        return { value: report, text: describeRatingsImport(report), exitCode: report.errors.length > 0 ? 1 : 0 };
      }
      case 'export': {
        only(['out', 'overwrite', 'current']);
        if (target) throw usage('ratings export takes the file as --out FILE.');
        if (!values.out) throw usage('ratings export needs --out FILE.');
        const out = path.resolve(values.out);
        const result = await withClient(globals, (client) =>
          client.call('preference.ratings.export', { out, overwrite: values.overwrite ?? false, current: values.current ?? false }),
        );
        return { value: result, text: `Wrote ${plural(result.rows, result.current ? 'current rating' : 'rating')} to ${result.file}.` };
      }
      case 'list': {
        only(['rater', 'type', 'video', 'limit', 'offset']);
        if (target) throw usage(`Unexpected "${target}".`);
        if (values.type !== undefined && values.type !== 'owner' && values.type !== 'other')
          throw usage(`--type is owner or other, not "${values.type}".`);
        const page = await withClient(globals, (client) =>
          client.call('preference.ratings.list', {
            rater: values.rater,
            raterType: values.type as 'owner' | 'other' | undefined,
            videoId: values.video,
            limit: numberFlag(values.limit, 'limit', { integer: true, min: 0 }) || 100,
            offset: numberFlag(values.offset, 'offset', { integer: true, min: 0 }) ?? 0,
          }),
        );
        const shown = page.ratings.length ? page.ratings.map(ratingLine) : ['No ratings.'];
        return {
          value: page,
          text: [...shown, `(${page.ratings.length} of ${page.total} current ratings from ${page.offset})`].join('\n'),
        };
      }
      case 'history': {
        only([]);
        if (!target) throw usage('ratings history needs a video id.');
        const history = await withClient(globals, (client) => client.call('preference.ratings.history', { videoId: target }));
        return { value: history, text: history.entries.length ? history.entries.map(ratingLine).join('\n') : `No ratings of ${target}.` };
      }
      case 'conflicts': {
        only([]);
        if (target) throw usage(`Unexpected "${target}".`);
        const { conflicts } = await withClient(globals, (client) => client.call('preference.ratings.conflicts', {}));
        const text = conflicts.length
          ? conflicts
              .map(
                (c) =>
                  `${c.videoId} ${c.rater}: here overall ${c.local.overall} at ${c.local.ratedAt}, bucket overall ${c.remote.overall} at ${c.remote.ratedAt} → ${c.applied}'s is current`,
              )
              .join('\n')
          : 'No rating conflicts.';
        return { value: { conflicts }, text };
      }
      default:
        throw usage(`Unknown ratings action "${action ?? ''}".`);
    }
  },
};
