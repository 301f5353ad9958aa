/**
 * The suite's registry and lineage commands: `suite models`, `suite activate`, `suite compare`
 * and `suite rerun` (the spec's §12 regular retraining: a saved config on the current data,
 * compared with the run it repeats).
 */
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { SuiteConfig, type RankMetric, type SuiteModelSummary, type SuiteRunResult } from '../../../shared/suite';
import type { SuiteCompare } from '../../../shared/suiteViews';
import type { Client } from '../../../shared/client';
import { zodMessage } from '../../core/zodMessage';
import type { CommandResult, GlobalOptions } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

function modelLine(m: SuiteModelSummary): string {
  const metric = m.rankMetric;
  return `${m.active ? '*' : ' '} ${m.id.padEnd(30)} ${m.model.padEnd(18)} run ${m.runId}  val ${metric} ${num(m.val[metric])}  test ${num(m.test?.[metric])}  features ${m.featureSetHash.slice(0, 12)}  data ${m.dataFingerprint.slice(0, 12)}${m.gitCommit ? `  git ${m.gitCommit.slice(0, 12)}${m.gitCommit.endsWith('+dirty') ? '+dirty' : ''}` : ''}`;
}

export function suiteModels(globals: GlobalOptions, name: string | undefined): Promise<CommandResult> {
  return withClient(globals, async (client) => {
    const { models } = await client.call('suite.models', name ? { name } : {});
    const text = models.length
      ? ['  (* active)', ...models.map(modelLine)].join('\n')
      : name
        ? `No suite model named ${name}; see \`framelab suite models\`.`
        : 'No suite models registered yet: a finished `framelab suite run` with a train/val/test split registers its models.';
    return { value: { models }, text };
  });
}

export function suiteActivate(globals: GlobalOptions, id: string): Promise<CommandResult> {
  return withClient(globals, async (client) => {
    const model = await client.call('suite.models.activate', { id });
    return { value: model, text: `${model.id} is now the active ${model.name} (${model.model} of run ${model.runId}).` };
  });
}

/**
 * The models side by side: each run's rank-metric value, and the change from the first run.
 * The runs are listed whole above the table (id, and name when it has one) so an id can be
 * copied into the next command; the columns are numbered after them.
 */
export function compareText(compare: SuiteCompare): string {
  const metric = compare.runs[0]!.rankMetric as RankMetric;
  const legend = compare.runs.map((r, i) => `  run ${i + 1}  ${r.runId}${r.name ? `  "${r.name}"` : ''}`);
  const table = compare.models.map((m) => {
    const first = m.byRun[0]?.val[metric];
    const cells = m.byRun.map((e, i) => {
      const v = e?.val[metric];
      const delta =
        i > 0 && typeof v === 'number' && typeof first === 'number' && Number.isFinite(v - first)
          ? ` (${v - first >= 0 ? '+' : '−'}${Math.abs(v - first).toFixed(4)})`
          : '';
      return `${num(v)}${delta}`;
    });
    return [m.model, ...cells];
  });
  const head = ['model', ...compare.runs.map((_, i) => `run ${i + 1}`)];
  const widths = head.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const lines = [`val ${metric} by run (change from the first)`, ...legend, line(head), ...table.map(line)];
  if (compare.configDiffs.length) lines.push(`config fields that differ: ${compare.configDiffs.map((d) => d.field).join(', ')}`);
  if (compare.splitWarning) lines.push(`warning: ${compare.splitWarning}`);
  return lines.join('\n');
}

async function compareAndMaybeWrite(
  client: Client,
  runIds: string[],
  out: string | undefined,
  overwrite: boolean,
): Promise<{ compare: SuiteCompare; files: string[] }> {
  const compare = await client.call('suite.compare', { runIds });
  const files = out ? (await client.call('suite.compare.export', { runIds, outDir: path.resolve(out), overwrite })).files : [];
  return { compare, files };
}

export function suiteCompare(
  globals: GlobalOptions,
  runIds: string[],
  out: string | undefined,
  overwrite: boolean,
): Promise<CommandResult> {
  if (runIds.length < 2 || runIds.length > 8)
    throw new FramelabError('INVALID_INPUT', `suite compare takes 2 to 8 run ids (got ${runIds.length}); see \`framelab suite runs\`.`);
  return withClient(globals, async (client) => {
    const { compare, files } = await compareAndMaybeWrite(client, runIds, out, overwrite);
    return { value: { ...compare, files }, text: `${compareText(compare)}${files.length ? `\nwrote ${files.join(', ')}` : ''}` };
  });
}

/**
 * Runs a finished run's saved config again on the data as it is now (the files its config
 * names), as a new run that records which run it repeats, then compares the two.
 */
export function suiteRerun(
  globals: GlobalOptions,
  runId: string,
  out: string | undefined,
  overwrite: boolean,
  boardText: (run: SuiteRunResult) => string,
): Promise<CommandResult> {
  return withClient(globals, async (client, mode) => {
    const detail = await client.call('suite.runDetail', { runId });
    const parsed = SuiteConfig.safeParse(detail.config);
    if (!parsed.success)
      throw new FramelabError(
        'INVALID_INPUT',
        `the saved config of ${runId} no longer reads as a suite config (${zodMessage(parsed.error)}); run an edited copy with \`framelab suite run CONFIG.json\`.`,
      );
    const { result } = await runJobForResult(client, mode, globals, 'suite.run', {
      config: parsed.data,
      configFile: detail.configFile,
      rerunOf: runId,
    });
    const { compare, files } = await compareAndMaybeWrite(client, [runId, result.runId], out, overwrite);
    const registered = result.registered?.length ? `\nregistered ${result.registered.join(', ')}` : '';
    return {
      value: { run: result, compare, files },
      text: `${boardText(result)}\nwrote ${result.runDir}${registered}\n\n${compareText(compare)}${files.length ? `\nwrote ${files.join(', ')}` : ''}`,
    };
  });
}
