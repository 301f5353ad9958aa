import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FramelabError } from '../../shared/errors';

/** node:util parseArgs with usage errors turned into INVALID_INPUT envelopes. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new FramelabError('INVALID_INPUT', `${(err as Error).message}\nUsage: ${usage}`);
  }
}

/** What a numeric flag accepts; bounds are inclusive. */
export interface NumberFlagRules {
  /** Whole numbers only. */
  integer?: boolean;
  /** Greater than 0 (0 itself refused; for decimals, where `min` can't say it). */
  positive?: boolean;
  min?: number;
  max?: number;
  /** What the number counts, for the message: "seconds" gives "a number of seconds ≥ 0.1". */
  unit?: string;
  /** The command's usage, appended to the error as `Usage: …`. */
  usage?: string;
}

/** "a positive whole number", "a number from 0 to 1", "a whole number ≥ 0": what `rules` accept, in words. */
export function describeNumberFlag(rules: NumberFlagRules): string {
  const kind = `${rules.integer ? 'whole number' : 'number'}${rules.unit ? ` of ${rules.unit}` : ''}`;
  const { min, max } = rules;
  if ((rules.positive || (rules.integer && min === 1)) && max === undefined) return `a positive ${kind}`;
  if (min !== undefined && max !== undefined) return `a ${kind} from ${min} to ${max}`;
  if (rules.positive && max !== undefined) return `a positive ${kind} ≤ ${max}`;
  if (min !== undefined) return `a ${kind} ≥ ${min}`;
  if (max !== undefined) return `a ${kind} ≤ ${max}`;
  return `a ${kind}`;
}

/**
 * The one parser of the CLI's numeric flags: undefined when the flag is absent (the caller
 * picks its default with `??`), the number when it fits `rules`, else an INVALID_INPUT error
 * naming the flag and the value: `--workers must be a positive whole number, not "x".`
 * A blank value, ±Infinity and NaN never fit. `name` is the flag without its dashes.
 */
export function numberFlag(value: string | undefined, name: string, rules: NumberFlagRules = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const fits =
    value.trim() !== '' &&
    Number.isFinite(n) &&
    (!rules.integer || Number.isInteger(n)) &&
    (!rules.positive || n > 0) &&
    (rules.min === undefined || n >= rules.min) &&
    (rules.max === undefined || n <= rules.max);
  if (fits) return n;
  const usage = rules.usage ? `\nUsage: ${rules.usage}` : '';
  throw new FramelabError('INVALID_INPUT', `--${name} must be ${describeNumberFlag(rules)}, not "${value}".${usage}`);
}
