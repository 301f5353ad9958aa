import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FramelabError } from '../../shared/errors';

/** node:util parseArgs with usage errors turned into INVALID_INPUT envelopes. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new FramelabError('INVALID_INPUT', `${(err as Error).message}\nUsage: ${usage}`);
  }
}

export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new FramelabError('INVALID_INPUT', `--${name} must be a whole number ≥ 0, not "${value}".`);
  return n;
}
