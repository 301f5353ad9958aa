import path from 'node:path';
import type { AnalysisRunResult, AnalysisRunSummary } from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { readAnalysisConfig } from '../../core/analysis/config';
import type { CommandResult, GlobalOptions } from '../command';
import { runJobForResult } from '../jobResult';
import { jobLine } from './jobs';
import { withClient } from '../session';

/**
 * `framelab analysis run | runs | columns` (issue 18 item 7): the run pipeline's part of the
 * `analysis` command (commands/analysis.ts dispatches here; `export` lives there).
 */

export const ANALYSIS_RUN_USAGE = `framelab analysis run --config FILE.json [--detach] [--json]
       framelab analysis runs [--json]
       framelab analysis columns --data FILE [--id COLUMN] [--json]`;

/** The options these actions read (merged into the command's parseArgs options). */
export const ANALYSIS_RUN_OPTIONS = {
  config: { type: 'string' },
  detach: { type: 'boolean' },
  data: { type: 'string' },
  id: { type: 'string' },
} as const;

export interface AnalysisRunValues {
  config?: string;
  detach?: boolean;
  data?: string;
  id?: string;
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(3));
const pText = (p: number) => (p < 0.001 ? 'p < .001' : `p = ${p.toFixed(3).replace(/^0/, '')}`);

/** The run in plain words: per outcome the main fit, the focal terms, the screen, count models, GBM. */
export function runSummaryText(result: AnalysisRunResult): string {
  const outcomes = [...new Set(result.models.map((m) => m.outcome))];
  const lines = [`run ${result.runId}`];
  for (const outcome of outcomes) {
    const models = result.models.filter((m) => m.outcome === outcome);
    const main = models.find((m) => m.spec === 'main');
    lines.push('', `${outcome}`);
    if (main)
      lines.push(
        `  main           R² ${f3(main.r2)}  adj. R² ${f3(main.adjR2)}  n ${main.n} (${main.dropped} rows left out for missing values)`,
      );
    for (const m of models.filter((x) => x.spec === 'focal')) {
      const c = m.interaction ? m.coefficients.find((x) => x.term === m.interaction!.term) : undefined;
      lines.push(
        `  focal ${m.focal!.join('×')}: ${c ? `${c.term} = ${c.estimate.toPrecision(4)} (${m.statName} = ${c.stat.toFixed(2)}, ${pText(c.p)})` : ''}  adj. R² ${f3(m.adjR2)}`,
      );
    }
    const screen = models.filter((x) => x.spec === 'pairwise');
    if (screen.length) {
      const hits = screen.filter((m) => m.interaction?.q !== null && m.interaction?.q !== undefined && m.interaction.q < 0.05);
      lines.push(
        `  pairwise screen (exploratory): ${screen.length} pairs, ${hits.length} with BH q < .05${hits.length ? `: ${hits.map((m) => m.interaction!.term).join(', ')}` : ''}`,
      );
    }
    for (const s of (result.skipped ?? []).filter((x) => x.outcome === outcome))
      lines.push(`  skipped ${s.spec} ${s.focal?.join('×') ?? ''}: ${s.reason}`);
    const slopes = result.simpleSlopes.filter((s) => s.outcome === outcome);
    if (slopes.length) lines.push(`  simple slopes: ${slopes.length} (terms ${[...new Set(slopes.map((s) => s.term))].join(', ')})`);
    for (const c of result.countModels.filter((x) => x.outcome === outcome)) {
      const extra = c.alpha !== null ? `  α ${c.alpha.toPrecision(4)}` : '';
      lines.push(
        `  ${c.family.padEnd(8)} ${c.converged ? 'converged' : `NOT converged (${c.problem})`}  AIC ${c.aic === null ? '-' : c.aic.toFixed(1)}${extra}`,
      );
    }
    const od = result.overdispersion.find((o) => o.outcome === outcome);
    if (od)
      lines.push(
        `  overdispersion: variance/mean ${od.ratio === null ? '-' : od.ratio.toPrecision(4)}, zeros ${(100 * od.zeroShare).toFixed(1)}%${od.lrP !== null ? `, LR test of α = 0: ${pText(od.lrP)}` : ''}`,
      );
    const rows = result.comparison.filter((r) => r.outcome === outcome);
    if (rows.length) lines.push(`  comparison: ${rows.map((r) => `${r.model} ${r.metric} ${f3(r.value)}`).join(', ')}`);
  }
  for (const note of result.notes ?? []) lines.push(`note: ${note}`);
  lines.push('', `wrote ${result.runDir}`);
  return lines.join('\n');
}

function runsText(runs: readonly AnalysisRunSummary[]): string {
  if (!runs.length) return 'No analysis runs yet; start one with `framelab analysis run --config FILE.json`.';
  return runs
    .map((r) => `${r.runId}  ${r.createdAt}  ${r.name ?? ''}  ${r.outcomes.join(', ')}  ${r.models} models, ${r.rows} rows  ${r.runDir}`)
    .join('\n');
}

/** Runs `run`, `runs` or `columns`; null for any other action (the caller's). */
export async function analysisRunAction(
  action: string | undefined,
  values: AnalysisRunValues,
  globals: GlobalOptions,
  usage: (message: string) => FramelabError,
): Promise<CommandResult | null> {
  if (action === 'run') {
    if (!values.config) throw usage('analysis run needs --config FILE.json.');
    const configFile = path.resolve(values.config);
    // Read and checked here, so a typo fails before a job is started; the job checks again.
    const config = readAnalysisConfig(configFile);
    return withClient(globals, async (client, mode) => {
      if (values.detach && mode === 'remote') {
        await client.eventsReady();
        const { job } = await client.call('jobs.start', { kind: 'analysis.run', params: { config, configFile } });
        return { value: { job }, text: jobLine(job) };
      }
      const { result } = await runJobForResult(client, mode, globals, 'analysis.run', { config, configFile });
      return { value: result, text: runSummaryText(result) };
    });
  }
  if (action === 'runs') {
    return withClient(globals, async (client) => {
      const { runs } = await client.call('analysis.runs', { limit: 1000 });
      return { value: { runs }, text: runsText(runs) };
    });
  }
  if (action === 'columns') {
    if (!values.data) throw usage('analysis columns needs --data FILE.');
    const data = path.resolve(values.data);
    return withClient(globals, async (client) => {
      const out = await client.call('analysis.columns', { data, id: values.id });
      const width = Math.max(4, ...out.columns.map((c) => c.name.length));
      const text = [
        `${out.rows} rows, ${out.columns.length} columns`,
        ...out.columns.map((c) => `  ${c.name.padEnd(width)}  ${c.type.padEnd(7)}  ${c.missing} missing  ${c.distinct} distinct`),
      ].join('\n');
      return { value: out, text };
    });
  }
  return null;
}
