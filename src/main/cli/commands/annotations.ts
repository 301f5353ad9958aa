import path from 'node:path';
import type { AnnotationsImportReport, RecodeEntry } from '../../../shared/annotations';
import { FramelabError } from '../../../shared/errors';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withClient } from '../session';

const USAGE = `framelab annotations import FILE [--frames DIR] [--map old=new]... [--json]
       framelab annotations export --out FILE [--json]`;

const RECODE_USAGE = 'framelab recode list [--coder ID] [--json]';

const perDimension = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([d, n]) => `${d} ${n}`)
    .join(', ');

function describeImport(report: AnnotationsImportReport, file: string): string {
  const counts = [
    `${report.rows} rows, ${report.frames} frames, ${report.coders} coders`,
    `codes: ${perDimension(report.codes)}`,
    `blank cells: ${perDimension(report.missing)}`,
  ];
  if (report.errors.length > 0) {
    return [
      `${file}: ${report.errors.length} problem${report.errors.length === 1 ? '' : 's'}; nothing was imported.`,
      ...report.errors.map((e) => `row ${e.row}, column ${e.column || '-'}: ${e.message}`),
      ...counts,
    ].join('\n');
  }
  return [
    `Imported ${file}.`,
    ...counts,
    `re-code queue: ${report.recodeQueue} missing codes`,
    `images missing: ${report.imagesMissing} frames`,
  ].join('\n');
}

function describeRecode(entries: RecodeEntry[]): string {
  if (entries.length === 0) return 'The re-code queue is empty.';
  return entries.map((e) => `${e.coderId}  ${e.frameId}  ${e.dimension}  ${e.reason}`).join('\n');
}

/**
 * The lab's annotations.csv in and out. Paths are resolved here, against the shell's folder:
 * the process that owns the home (perhaps `framelab serve`) may run elsewhere.
 */
export const annotationsCommand: Command = {
  name: 'annotations',
  usage: USAGE,
  summary: "Import or export the lab's annotations.csv (one row per frame × coder)",
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      { frames: { type: 'string' }, map: { type: 'string', multiple: true }, out: { type: 'string' } },
      USAGE,
    );
    const [action, file, ...extra] = positionals;
    if (extra.length > 0) throw new FramelabError('INVALID_INPUT', `Unexpected "${extra.join(' ')}".\nUsage: ${USAGE}`);
    switch (action) {
      case 'import': {
        if (!file) throw new FramelabError('INVALID_INPUT', `annotations import needs the CSV file.\nUsage: ${USAGE}`);
        if (values.out !== undefined) throw new FramelabError('INVALID_INPUT', `--out belongs to annotations export.\nUsage: ${USAGE}`);
        const input = {
          file: path.resolve(file),
          framesDir: values.frames === undefined ? undefined : path.resolve(values.frames),
          map: values.map,
        };
        const report = await withClient(globals, (client) => client.call('annotations.import', input));
        return { value: report, text: describeImport(report, input.file), exitCode: report.errors.length > 0 ? 1 : 0 };
      }
      case 'export': {
        if (file) throw new FramelabError('INVALID_INPUT', `annotations export takes the file as --out FILE.\nUsage: ${USAGE}`);
        if (!values.out) throw new FramelabError('INVALID_INPUT', `annotations export needs --out FILE.\nUsage: ${USAGE}`);
        if (values.frames !== undefined || values.map !== undefined) {
          throw new FramelabError('INVALID_INPUT', `--frames and --map belong to annotations import.\nUsage: ${USAGE}`);
        }
        const out = path.resolve(values.out);
        const result = await withClient(globals, (client) => client.call('annotations.export', { out }));
        return { value: result, text: `Wrote ${result.rows} rows to ${result.file}.` };
      }
      default:
        throw new FramelabError('INVALID_INPUT', `Unknown annotations action "${action ?? ''}".\nUsage: ${USAGE}`);
    }
  },
};

export const recodeCommand: Command = {
  name: 'recode',
  usage: RECODE_USAGE,
  summary: 'List the re-code queue: missing codes waiting for their coder',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(args, { coder: { type: 'string' } }, RECODE_USAGE);
    if (positionals[0] !== 'list' || positionals.length > 1) {
      throw new FramelabError('INVALID_INPUT', `Unknown recode action "${positionals.join(' ')}".\nUsage: ${RECODE_USAGE}`);
    }
    const { entries } = await withClient(globals, (client) => client.call('recode.list', { coderId: values.coder }));
    return { value: { entries }, text: describeRecode(entries) };
  },
};
