import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { CV_CHOICES, FinetuneRecipe, type FinetuneParams } from '../../../shared/finetune';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { jobWarnings, runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = `framelab finetune --gold SNAPSHOT --dimension D --base D@vN --out DIR [--cv loo|video|both] [--version vN]
                   [--epochs N] [--lr X] [--batch N] [--patience N] [--optimizer adam|adamw|sgd] [--seed S]
                   [--metric macro_f1|accuracy] [--require-significant] [--threads N] [--resamples N] [--json]`;

export const finetuneCommand: Command = {
  name: 'finetune',
  usage: USAGE,
  summary: 'Fine-tune a model on a gold snapshot with cross-validation; compare with its base; save it only if better',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        gold: { type: 'string' },
        dimension: { type: 'string' },
        base: { type: 'string' },
        out: { type: 'string' },
        cv: { type: 'string' },
        version: { type: 'string' },
        epochs: { type: 'string' },
        lr: { type: 'string' },
        batch: { type: 'string' },
        patience: { type: 'string' },
        optimizer: { type: 'string' },
        seed: { type: 'string' },
        metric: { type: 'string' },
        threads: { type: 'string' },
        resamples: { type: 'string' },
        'require-significant': { type: 'boolean' },
      },
      USAGE,
    );
    if (positionals.length) throw new FramelabError('INVALID_INPUT', `finetune takes no positional arguments.\nUsage: ${USAGE}`);
    for (const flag of ['gold', 'base', 'out'] as const) {
      if (!values[flag]) throw new FramelabError('INVALID_INPUT', `finetune needs --${flag}.\nUsage: ${USAGE}`);
    }
    const base = values.base!;
    if (values.dimension && !base.startsWith(`${values.dimension}@`)) {
      throw new FramelabError('INVALID_INPUT', `--base ${base} is not a ${values.dimension} model (--dimension ${values.dimension}).`);
    }
    if (values.cv && !(CV_CHOICES as readonly string[]).includes(values.cv)) {
      throw new FramelabError('INVALID_INPUT', `--cv must be one of ${CV_CHOICES.join(', ')}, not "${values.cv}".`);
    }
    const recipe = FinetuneRecipe.parse(
      Object.fromEntries(
        Object.entries({
          maxEpochs: numberFlag(values.epochs, 'epochs', { integer: true }),
          lr: numberFlag(values.lr, 'lr'),
          batchSize: numberFlag(values.batch, 'batch', { integer: true }),
          patience: numberFlag(values.patience, 'patience', { integer: true }),
          optimizer: values.optimizer,
          seed: numberFlag(values.seed, 'seed', { integer: true }),
          threads: numberFlag(values.threads, 'threads', { integer: true }),
        }).filter(([, v]) => v !== undefined),
      ),
    );
    const out = path.resolve(values.out!);
    const params: FinetuneParams = {
      goldSnapshotId: values.gold!,
      baseModel: base,
      cv: (values.cv ?? 'loo') as FinetuneParams['cv'],
      version: values.version,
      metric: (values.metric ?? 'macro_f1') as FinetuneParams['metric'],
      requireSignificant: values['require-significant'] === true,
      recipe,
      bootstrapResamples: numberFlag(values.resamples, 'resamples', { integer: true }) ?? 2000,
      outDir: out,
    };
    return withClient(globals, async (client, mode) => {
      const { job, result } = await runJobForResult(client, mode, globals, 'finetune.run', params);
      // The sync before it (bucket first) or a snapshot older than the bucket: said on stderr, the output stays the result.
      for (const line of await jobWarnings(client, job.id)) process.stderr.write(`${line}\n`);
      // What the file now holds (every dimension's entry), as the lab's scripts will read it.
      const content = JSON.parse(fs.readFileSync(result.comparisonFile, 'utf8')) as Record<string, unknown>;
      const decision = result.entry.decision;
      const text = [decision.reason, `wrote ${result.comparisonFile}${result.pthFile ? ` and ${result.pthFile}` : ''}`].join('\n');
      return { value: content, text };
    });
  },
};
