import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { SuiteConfig, SuiteEmbedTextParams, SuiteScoreParams, type LeaderboardRow, type SuiteRunResult } from '../../../shared/suite';
import { zodMessage } from '../../core/zodMessage';
import { resolveConfigPaths } from '../../core/suite/data/prepare';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { runJobForResult } from '../jobResult';
import { suiteActivate, suiteCompare, suiteModels, suiteRerun } from './suiteRegistry';
import { withClient } from '../session';
import { regularFile } from '../../core/workspace/inputPaths';
import { decodeUtf8 } from '../../core/workspace/utf8Text';

const USAGE = `framelab suite run CONFIG.json [--json]        (also: suite train --config CONFIG.json)
       framelab suite leaderboard [--run RUN_ID] [--json]
       framelab suite runs [--json]
       framelab suite compare RUN_ID RUN_ID... [--out DIR [--overwrite]] [--json]   (DIR/comparison/*.csv|json)
       framelab suite rerun RUN_ID [--out DIR [--overwrite]] [--json]   (its saved config on today's data, compared with it)
       framelab suite models [NAME] [--json]          (registered versions: suite_7d_ridge@v3, * active)
       framelab suite activate NAME@vN [--json]
       framelab suite predict (--run RUN_ID --model NAME | --model NAME@vN) --video-id ID [--features JSON]
           [--metadata FILE] [--embeddings FILE [--ids FILE] [--key NAME] | --embedding JSON] [--json]
       framelab suite score (--run RUN_ID --model NAME | --model NAME@vN) --metadata FILE [--embeddings FILE [--ids FILE] [--key NAME]] --out FILE.csv [--overwrite] [--json]

       framelab suite embed-text --metadata TABLE --column title --model DIR --out FILE.npz|.npy [--overwrite] [--id-column video_id] [--batch-size 32] [--json]`;

/** Reads and validates a suite config; its relative paths become relative to its folder. */
export function readSuiteConfig(file: string): SuiteConfig {
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `the suite config ${file} does not exist.`);
  regularFile(file, 'suite config');
  // Strict UTF-8: a Latin-1 column name (e.g. in "leakage") would silently match nothing.
  const text = decodeUtf8(fs.readFileSync(file), file, 'save it as UTF-8 and run again');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FramelabError('INVALID_INPUT', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = SuiteConfig.safeParse(raw);
  if (!parsed.success) throw new FramelabError('INVALID_INPUT', `${file}: ${zodMessage(parsed.error)}`);
  return resolveConfigPaths(parsed.data, path.dirname(file));
}

const f = (v: number | null | undefined) => (v === null || v === undefined ? '   -   ' : v.toFixed(4).padStart(8));

function boardText(run: SuiteRunResult): string {
  const metric = run.rankMetric;
  const split = run.folds
    ? `${run.folds}-fold CV (mean over folds)`
    : `train ${run.rows.train} / val ${run.rows.val} / test ${run.rows.test}`;
  const lines = [
    `run ${run.runId}  ${split}  ranked by val ${metric}`,
    `${'model'.padEnd(18)} ${'rmse_log'.padStart(8)} ${'mae_log'.padStart(8)} ${'r2_log'.padStart(8)} ${'spearman'.padStart(8)}  test ${metric}`,
  ];
  for (const r of run.leaderboard as LeaderboardRow[]) {
    lines.push(
      `${r.model.padEnd(18)} ${f(r.val.rmse_log)} ${f(r.val.mae_log)} ${f(r.val.r2_log)} ${f(r.val.spearman)}  ${f(r.test?.[metric] ?? null)}`,
    );
  }
  return lines.join('\n');
}

export const suiteCommand: Command = {
  name: 'suite',
  usage: USAGE,
  summary: 'Train performance-prediction suites (leakage-safe splits, baselines, Ridge, guest-aware Ridge) and read their leaderboards',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        config: { type: 'string' },
        run: { type: 'string' },
        model: { type: 'string' },
        'video-id': { type: 'string' },
        features: { type: 'string' },
        metadata: { type: 'string' },
        embeddings: { type: 'string' },
        ids: { type: 'string' },
        key: { type: 'string' },
        embedding: { type: 'string' },
        column: { type: 'string' },
        out: { type: 'string' },
        'id-column': { type: 'string' },
        'batch-size': { type: 'string' },
        overwrite: { type: 'boolean' },
      },
      USAGE,
    );
    const [action, ...rest] = positionals;

    if (action === 'run' || action === 'train') {
      const file = values.config ?? rest[0];
      if (!file || rest.length > (values.config ? 0 : 1))
        throw new FramelabError('INVALID_INPUT', `suite ${action} takes one config file.\nUsage: ${USAGE}`);
      const configFile = path.resolve(file);
      const config = readSuiteConfig(configFile);
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'suite.run', { config, configFile });
        const registered = result.registered?.length ? `\nregistered ${result.registered.join(', ')}` : '';
        return { value: result, text: `${boardText(result)}\nwrote ${result.runDir}${registered}` };
      });
    }

    if (action === 'leaderboard' || action === 'runs') {
      if (rest.length) throw new FramelabError('INVALID_INPUT', `suite ${action} takes no positional arguments.\nUsage: ${USAGE}`);
      return withClient(globals, async (client) => {
        const { runs } = await client.call('suite.runs', { limit: 1000 });
        if (action === 'runs') {
          return {
            value: { runs },
            text: runs.length
              ? runs
                  .map(
                    (r) =>
                      `${r.runId}${r.name ? `  "${r.name}"` : ''}${r.tags?.length ? `  [${r.tags.join(', ')}]` : ''}  best ${r.leaderboard[0]?.model ?? '-'}  ${r.runDir}`,
                  )
                  .join('\n')
              : 'No suite runs yet; start one with `framelab suite run CONFIG.json`.',
          };
        }
        const run = values.run ? runs.find((r) => r.runId === values.run) : runs[0];
        if (!run)
          throw new FramelabError(
            'NOT_FOUND',
            values.run
              ? `no suite run "${values.run}"; see \`framelab suite runs\`.`
              : 'No suite runs yet; start one with `framelab suite run CONFIG.json`.',
          );
        return {
          value: {
            runId: run.runId,
            runDir: run.runDir,
            rankMetric: run.rankMetric,
            folds: run.folds,
            rows: run.rows,
            leaderboard: run.leaderboard,
          },
          text: boardText(run),
        };
      });
    }

    if (action === 'models') {
      if (rest.length > 1) throw new FramelabError('INVALID_INPUT', `suite models takes at most one name.\nUsage: ${USAGE}`);
      return suiteModels(globals, rest[0]);
    }
    if (action === 'activate') {
      if (rest.length !== 1)
        throw new FramelabError('INVALID_INPUT', `suite activate takes one model version (e.g. suite_7d_ridge@v3).\nUsage: ${USAGE}`);
      return suiteActivate(globals, rest[0]!);
    }
    if (action === 'compare') return suiteCompare(globals, rest, values.out, values.overwrite ?? false);
    if (action === 'rerun') {
      if (rest.length !== 1) throw new FramelabError('INVALID_INPUT', `suite rerun takes one run id.\nUsage: ${USAGE}`);
      return suiteRerun(globals, rest[0]!, values.out, values.overwrite ?? false, boardText);
    }

    if (action === 'predict') {
      const runId = values.run;
      const model = values.model;
      const videoId = values['video-id'];
      if (!model || !videoId || rest.length)
        throw new FramelabError(
          'INVALID_INPUT',
          `suite predict needs --model and --video-id (and --run, unless --model is a registry id).\nUsage: ${USAGE}`,
        );
      let features: Record<string, string | number | null> = {};
      if (values.features) {
        try {
          features = JSON.parse(values.features);
        } catch (e) {
          throw new FramelabError('INVALID_INPUT', `--features must be a JSON object: ${(e as Error).message}`);
        }
      }
      if ((values.ids || values.key) && !values.embeddings)
        throw new FramelabError('INVALID_INPUT', `--ids and --key go with --embeddings FILE.\nUsage: ${USAGE}`);
      if (values.embeddings && values.embedding)
        throw new FramelabError('INVALID_INPUT', `give --embeddings FILE or --embedding JSON, not both.\nUsage: ${USAGE}`);
      let embedding: number[] | undefined;
      if (values.embedding) {
        try {
          embedding = JSON.parse(values.embedding);
        } catch (e) {
          throw new FramelabError('INVALID_INPUT', `--embedding must be a JSON array of numbers: ${(e as Error).message}`);
        }
      }
      // Paths are the caller's (relative to this shell); the owner may run elsewhere.
      const abs = (p: string | undefined) => (p ? path.resolve(p) : undefined);
      const embeddings = values.embeddings ? { path: abs(values.embeddings)!, ids: abs(values.ids), key: values.key } : undefined;
      return withClient(globals, async (client) => {
        const out = await client.call('suite.predict', {
          runId,
          model,
          videoId,
          features,
          metadata: abs(values.metadata),
          embeddings,
          embedding,
        });
        const views = out.viewsPred === null ? '' : ` (≈ ${Math.round(out.viewsPred)} views)`;
        const by = out.registryId ? `${out.registryId} (${out.model} of ${out.runId})` : `${out.model} of ${out.runId}`;
        return { value: out, text: `${videoId}: ${out.yPred.toFixed(4)}${views} by ${by}` };
      });
    }

    if (action === 'score') {
      const { run, model, metadata, out } = values;
      if (!model || !metadata || !out || rest.length)
        throw new FramelabError(
          'INVALID_INPUT',
          `suite score needs --model, --metadata and --out (and --run, unless --model is a registry id).\nUsage: ${USAGE}`,
        );
      if ((values.ids || values.key) && !values.embeddings)
        throw new FramelabError('INVALID_INPUT', `--ids and --key go with --embeddings FILE.\nUsage: ${USAGE}`);
      const abs = (p: string | undefined) => (p ? path.resolve(p) : undefined);
      const embeddings = values.embeddings ? { path: abs(values.embeddings)!, ids: abs(values.ids), key: values.key } : undefined;
      const params = SuiteScoreParams.safeParse({
        runId: run,
        model,
        metadata: abs(metadata),
        embeddings,
        out: abs(out),
        overwrite: values.overwrite ?? false,
      });
      if (!params.success) throw new FramelabError('INVALID_INPUT', `suite score: ${zodMessage(params.error)}`);
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'suite.score', params.data);
        const failed = result.failed ? `; ${result.failed} not scored (see the error column)` : '';
        const by = result.registryId ? `${result.registryId} (${result.model} of ${result.runId})` : `${result.model} of ${result.runId}`;
        return { value: result, text: `scored ${result.scored} videos with ${by}${failed} → ${result.out}` };
      });
    }

    if (action === 'embed-text') {
      const { metadata, column, model, out } = values;
      if (!metadata || !column || !model || !out || rest.length)
        throw new FramelabError('INVALID_INPUT', `suite embed-text needs --metadata, --column, --model and --out.\nUsage: ${USAGE}`);
      const batchSize = numberFlag(values['batch-size'], 'batch-size', { integer: true, min: 1 });
      const params = SuiteEmbedTextParams.safeParse({
        input: path.resolve(metadata),
        column,
        model: path.resolve(model),
        out: path.resolve(out),
        overwrite: values.overwrite ?? false,
        idColumn: values['id-column'],
        batchSize,
      });
      if (!params.success) throw new FramelabError('INVALID_INPUT', `suite embed-text: ${zodMessage(params.error)}`);
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'suite.embedText', params.data);
        const ids = result.idsFile ? ` (ids in ${result.idsFile})` : '';
        return {
          value: result,
          text: `embedded ${result.rows} texts (${result.present} present; ${result.computed} computed, ${result.cached} cached), ${result.dim}-d → ${result.out}${ids}`,
        };
      });
    }

    throw new FramelabError('INVALID_INPUT', `unknown suite action "${action ?? ''}".\nUsage: ${USAGE}`);
  },
};
