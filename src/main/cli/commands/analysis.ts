import path from 'node:path';
import { EXPORT_FORMATS } from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withClient } from '../session';
import { ANALYSIS_RUN_OPTIONS, ANALYSIS_RUN_USAGE, analysisRunAction } from './analysisRun';

/**
 * `framelab analysis …` (issue 18): `run`, `runs` and `columns` (commands/analysisRun.ts), and
 * `export` here.
 */
const USAGE = `${ANALYSIS_RUN_USAGE}
       framelab analysis export --run ID --format ${EXPORT_FORMATS.join('|')} --out DIR [--overwrite] [--json]`;

const usage = (message: string) => new FramelabError('INVALID_INPUT', `${message}\nUsage: ${USAGE}`);

export const analysisCommand: Command = {
  name: 'analysis',
  usage: USAGE,
  summary:
    "Outcome analysis: run the lab's models on a video table (log-OLS with focal interactions, count models, GBM), list runs, export the tables",
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        run: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        overwrite: { type: 'boolean' },
        ...ANALYSIS_RUN_OPTIONS,
      },
      USAGE,
    );
    const [action, ...extra] = positionals;
    if (extra.length) throw usage(`Unexpected "${extra.join(' ')}".`);
    switch (action) {
      case 'export': {
        if (!values.run || !values.format || !values.out) throw usage('analysis export needs --run, --format and --out.');
        const format = values.format;
        if (!(EXPORT_FORMATS as readonly string[]).includes(format))
          throw usage(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}".`);
        const input = {
          runId: values.run,
          format: format as (typeof EXPORT_FORMATS)[number],
          out: path.resolve(values.out),
          overwrite: values.overwrite ?? false,
        };
        return withClient(globals, async (client) => {
          const result = await client.call('analysis.export', input);
          return { value: result, text: [`${result.files.length} files written:`, ...result.files.map((f) => `  ${f}`)].join('\n') };
        });
      }
      default: {
        const ran = await analysisRunAction(action, values, globals, usage);
        if (ran) return ran;
        throw usage(`Unknown analysis action "${action ?? ''}".`);
      }
    }
  },
};
