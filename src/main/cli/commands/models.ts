import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { EXPORT_FORMATS, type ModelSummary, type ModelsExportParams } from '../../../shared/models';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = `framelab models import FILE.pth|FILE.safetensors --dimension D --version vN --classes "a,b,..." [--parent D@vN] [--activate|--no-activate] [--json]
       framelab models list [--dimension D] [--json]
       framelab models predict --model D@vN IMAGE... [--batch N] [--json]
       framelab models export --model D@vN --format pth|safetensors|onnx [--part full|features] --out FILE [--overwrite] [--json]
       framelab models activate D@vN [--json]`;

function modelLine(m: ModelSummary): string {
  const parent = m.parentId ? ` from ${m.parentId}` : '';
  return `${m.active ? '*' : ' '} ${m.id.padEnd(16)} ${m.architecture}  ${m.classes.length} classes (${m.classes.join(', ')})${parent}  ${m.sha256.slice(0, 12)}  ${m.source}`;
}

/** "a, b,c" → ["a","b","c"]; blanks are an error, not silently dropped. */
function parseClasses(value: string | undefined): string[] {
  if (!value)
    throw new FramelabError('INVALID_INPUT', `models import needs --classes "a,b,c" (the network's outputs in order).\nUsage: ${USAGE}`);
  const classes = value.split(',').map((c) => c.trim());
  if (classes.some((c) => !c)) throw new FramelabError('INVALID_INPUT', `--classes "${value}" has an empty name.`);
  return classes;
}

function required(value: string | undefined, flag: string, action: string): string {
  if (!value) throw new FramelabError('INVALID_INPUT', `models ${action} needs ${flag}.\nUsage: ${USAGE}`);
  return value;
}

export const modelsCommand: Command = {
  name: 'models',
  usage: USAGE,
  summary: 'The model registry: import .pth weights, list, predict images, export, activate',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        dimension: { type: 'string' },
        version: { type: 'string' },
        classes: { type: 'string' },
        parent: { type: 'string' },
        activate: { type: 'boolean' },
        'no-activate': { type: 'boolean' },
        model: { type: 'string' },
        batch: { type: 'string' },
        format: { type: 'string' },
        part: { type: 'string' },
        out: { type: 'string' },
        overwrite: { type: 'boolean' },
      },
      USAGE,
    );
    const [action, ...rest] = positionals;

    if (action === 'import') {
      if (rest.length !== 1) throw new FramelabError('INVALID_INPUT', `models import takes one weights file.\nUsage: ${USAGE}`);
      const params = {
        file: path.resolve(rest[0]!),
        dimension: required(values.dimension, '--dimension', 'import'),
        version: required(values.version, '--version', 'import'),
        classes: parseClasses(values.classes),
        parentId: values.parent ?? null,
        activate: values['no-activate'] ? false : values.activate ? true : undefined,
      };
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'models.import', params);
        const model = result.registered!;
        const notes = result.notes.map((n) => `note: ${n}`);
        return {
          value: { model, notes: result.notes },
          text: [`imported ${model.id}${model.active ? ' (active)' : ''}`, ...notes].join('\n'),
        };
      });
    }

    if (action === 'list') {
      if (rest.length) throw new FramelabError('INVALID_INPUT', `models list takes no arguments.\nUsage: ${USAGE}`);
      return withClient(globals, async (client) => {
        const { models } = await client.call('models.list', { dimension: values.dimension });
        return {
          value: { models },
          text: models.length ? models.map(modelLine).join('\n') : 'No models yet; import one with `framelab models import FILE.pth ...`.',
        };
      });
    }

    if (action === 'predict') {
      if (!rest.length) throw new FramelabError('INVALID_INPUT', `models predict needs at least one image.\nUsage: ${USAGE}`);
      const params = {
        model: required(values.model, '--model', 'predict'),
        images: rest.map((p) => path.resolve(p)),
        batchSize: numberFlag(values.batch, 'batch', { integer: true, min: 0 }) || 8,
      };
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'models.predict', params);
        const text = result.predictions.map((p) => `${p.image}: ${p.class} (${(p.confidence * 100).toFixed(1)}%)`).join('\n');
        return { value: { predictions: result.predictions }, text: `${text}\n(${result.model} on ${result.provider})` };
      });
    }

    if (action === 'export') {
      if (rest.length) throw new FramelabError('INVALID_INPUT', `models export takes no positional arguments.\nUsage: ${USAGE}`);
      const format = required(values.format, '--format', 'export');
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new FramelabError('INVALID_INPUT', `--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}".`);
      }
      const params = {
        model: required(values.model, '--model', 'export'),
        format: format as ModelsExportParams['format'],
        part: (values.part ?? 'full') as ModelsExportParams['part'],
        out: path.resolve(required(values.out, '--out', 'export')),
        overwrite: values.overwrite ?? false,
      };
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'models.export', params);
        return {
          value: result,
          text: `wrote ${result.out} (${result.format}, ${result.bytes} bytes, sha256 ${result.sha256.slice(0, 12)}…)`,
        };
      });
    }

    if (action === 'activate') {
      if (rest.length !== 1) throw new FramelabError('INVALID_INPUT', `models activate takes one model name.\nUsage: ${USAGE}`);
      return withClient(globals, async (client) => {
        const { model } = await client.call('models.activate', { id: rest[0]! });
        return { value: { model }, text: `${model.id} is now the active ${model.dimension} model` };
      });
    }

    throw new FramelabError('INVALID_INPUT', `Unknown models action "${action ?? ''}".\nUsage: ${USAGE}`);
  },
};
