import { FramelabError, toErrorInfo } from '../../shared/errors';
import { appVersion } from '../core/appRoot';
import { resolveHome } from '../core/home/paths';
import type { Command, GlobalOptions } from './command';
import { analysisCommand } from './commands/analysis';
import { annotationsCommand, recodeCommand } from './commands/annotations';
import { checkCommand } from './commands/check';
import { demoCommand } from './commands/demo';
import { doctorCommand } from './commands/doctor';
import { finetuneCommand } from './commands/finetune';
import { inferCommand } from './commands/infer';
import { framesCommand } from './commands/frames';
import { adjudicateCommand, goldCommand } from './commands/gold';
import { icrCommand } from './commands/icr';
import { jobsCommand } from './commands/jobs';
import { modelsCommand } from './commands/models';
import { preferenceCommand } from './commands/preference';
import { suiteCommand } from './commands/suite';
import { serveCommand } from './commands/serve';
import { syncCommand } from './commands/sync';
import { videosCommand } from './commands/videos';

/**
 * `framelab <command> [--home DIR] [--json]`. With --json a success prints one bare JSON
 * object on stdout and a failure prints the error envelope on stderr; exit code non-zero on
 * failure. Without --json, the same in plain words.
 */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  doctorCommand,
  checkCommand,
  demoCommand,
  jobsCommand,
  videosCommand,
  framesCommand,
  annotationsCommand,
  recodeCommand,
  icrCommand,
  adjudicateCommand,
  goldCommand,
  syncCommand,
  modelsCommand,
  finetuneCommand,
  inferCommand,
  suiteCommand,
  analysisCommand,
  preferenceCommand,
];

interface Parsed {
  globals: GlobalOptions;
  command: string | undefined;
  rest: string[];
  version: boolean;
  help: boolean;
}

/**
 * Global flags may stand anywhere; everything else goes to the command. `--version` is the
 * app's version only before a command: after one it is the command's own option (models
 * import --version v7, finetune --version v8).
 */
export function splitGlobals(argv: string[]): Parsed {
  let home: string | undefined;
  let json = false;
  let version = false;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if ((arg === '--version' || arg === '-v') && rest.length === 0) version = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--home') {
      home = argv[++i];
      if (!home) throw new FramelabError('INVALID_INPUT', '--home needs a folder.');
    } else if (arg.startsWith('--home=')) home = arg.slice('--home='.length);
    else rest.push(arg);
  }
  const [command, ...commandArgs] = rest;
  return {
    globals: { home: resolveHome(home), json, commandLine: ['framelab', ...rest].join(' ') },
    command,
    rest: commandArgs,
    version,
    help,
  };
}

/**
 * What `framelab --help` (and a bare `framelab`) prints. This and commandHelpText are the CLI's
 * only help texts; docs/cli.md is generated from them (`npm run docs:cli`, src/main/cli/docs.ts).
 */
export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Framelab ${appVersion()} — annotation and model lab for short-form video`,
    '',
    'Usage: framelab <command> [options] [--home DIR] [--json]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --home DIR   the workspace (default: FRAMELAB_HOME, else the platform app-data folder)',
    '  --json       print one JSON object (errors as {"ok":false,"error":{...}} on stderr)',
    '  --version    print the version',
  ].join('\n');
}

/** What `framelab <command> --help` prints (also after a subcommand: `framelab suite run --help`). */
export function commandHelpText(command: Command): string {
  return `${command.summary}\nUsage: ${command.usage}`;
}

export async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const parsed = splitGlobals(argv);
    json = parsed.globals.json;
    if (parsed.version) return print(json, { name: 'framelab', version: appVersion() }, appVersion());
    const command = COMMANDS.find((c) => c.name === parsed.command);
    if (parsed.help || !parsed.command) {
      if (command) return print(json, { usage: command.usage }, commandHelpText(command));
      return print(json, { commands: COMMANDS.map((c) => ({ name: c.name, usage: c.usage, summary: c.summary })) }, helpText());
    }
    if (!command) {
      throw new FramelabError('INVALID_INPUT', `Unknown command "${parsed.command}". Run \`framelab --help\` for the list.`);
    }
    const result = await command.run(parsed.rest, parsed.globals);
    if (result.value !== null) print(json, result.value, result.text);
    return result.exitCode ?? 0;
  } catch (err) {
    const info = toErrorInfo(err);
    if (info.code === 'INTERNAL') console.error(err);
    if (json) process.stderr.write(JSON.stringify({ ok: false, error: { code: info.code, message: info.message } }) + '\n');
    else process.stderr.write(`Error (${info.code}): ${info.message}\n`);
    return info.code === 'INVALID_INPUT' ? 2 : 1;
  }
}

function print(json: boolean, value: object, text: string): number {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : text + '\n');
  return 0;
}
