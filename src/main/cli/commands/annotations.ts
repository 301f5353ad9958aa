import path from 'node:path';
import { AnnotationsImportReport, type ChangedCode, type RecodeEntry } from '../../../shared/annotations';
import { FramelabError } from '../../../shared/errors';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = `framelab annotations import FILE [--frames DIR] [--map old=new]... [--replace-newer] [--json]
       framelab annotations export --out FILE [--overwrite] [--json]`;

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
    ...describeChanges(report.changedCodes),
  ].join('\n');
}

const changeLine = (c: ChangedCode) =>
  `  row ${c.row}: ${c.frameId} ${c.coderId} ${c.dimension}: ${c.from} → ${c.to}` +
  (c.outcome === 'kept' ? ` kept ${c.from} (coded ${c.currentCodedAt}, newer than the file's ${c.fileCodedAt})` : ' replaced');

/** Codes the file changed, and the newer ones it did not. */
function describeChanges(changes: AnnotationsImportReport['changedCodes']): string[] {
  if (changes.replaced + changes.kept === 0) return ['changed codes: none'];
  const unlisted = changes.replaced + changes.kept - changes.list.length;
  return [
    `changed codes: ${changes.replaced} replaced, ${changes.kept} kept because the home's code is newer` +
      (changes.kept > 0 ? ' (import with --replace-newer to replace them too)' : ''),
    ...changes.list.map(changeLine),
    ...(unlisted > 0 ? [`  … and ${unlisted} more (the counts above cover them all)`] : []),
  ];
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
      {
        frames: { type: 'string' },
        map: { type: 'string', multiple: true },
        'replace-newer': { type: 'boolean' },
        out: { type: 'string' },
        overwrite: { type: 'boolean' },
      },
      USAGE,
    );
    const [action, file, ...extra] = positionals;
    if (extra.length > 0) throw new FramelabError('INVALID_INPUT', `Unexpected "${extra.join(' ')}".\nUsage: ${USAGE}`);
    switch (action) {
      case 'import': {
        if (!file) throw new FramelabError('INVALID_INPUT', `annotations import needs the CSV file.\nUsage: ${USAGE}`);
        if (values.out !== undefined || values.overwrite !== undefined)
          throw new FramelabError('INVALID_INPUT', `--out and --overwrite belong to annotations export.\nUsage: ${USAGE}`);
        const input = {
          file: path.resolve(file),
          framesDir: values.frames === undefined ? undefined : path.resolve(values.frames),
          map: values.map,
          replaceNewer: values['replace-newer'],
        };
        // A job (progress on stderr, Ctrl-C cancels it); its result is the report without the plan.
        const report = await withClient(globals, async (client, mode) => {
          const { result } = await runJobForResult(client, mode, globals, 'annotations.import', input);
          return AnnotationsImportReport.parse(result);
        });
        return { value: report, text: describeImport(report, input.file), exitCode: report.errors.length > 0 ? 1 : 0 };
      }
      case 'export': {
        if (file) throw new FramelabError('INVALID_INPUT', `annotations export takes the file as --out FILE.\nUsage: ${USAGE}`);
        if (!values.out) throw new FramelabError('INVALID_INPUT', `annotations export needs --out FILE.\nUsage: ${USAGE}`);
        if (values.frames !== undefined || values.map !== undefined || values['replace-newer'] !== undefined) {
          throw new FramelabError('INVALID_INPUT', `--frames, --map and --replace-newer belong to annotations import.\nUsage: ${USAGE}`);
        }
        const out = path.resolve(values.out);
        const result = await withClient(globals, (client) =>
          client.call('annotations.export', { out, overwrite: values.overwrite ?? false }),
        );
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
