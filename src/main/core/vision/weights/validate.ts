/** Checks a state dict against the keys and shapes an architecture expects. */
import { FramelabError } from '../../../../shared/errors';
import type { StateDict } from './tensor';

export interface StateDictProblems {
  missing: string[];
  unexpected: string[];
  mismatched: { key: string; expected: number[]; actual: number[] }[];
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

export function compareStateDict(dict: StateDict, expected: Map<string, number[]>): StateDictProblems {
  const problems: StateDictProblems = { missing: [], unexpected: [], mismatched: [] };
  for (const [key, shape] of expected) {
    const t = dict.get(key);
    if (!t) problems.missing.push(key);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.mismatched.push({ key, expected: [...shape], actual: [...t.shape] });
    }
  }
  for (const key of dict.keys()) if (!expected.has(key)) problems.unexpected.push(key);
  return problems;
}

/**
 * Throws INVALID_INPUT listing every missing key, unexpected key and shape mismatch (each
 * naming the key, and both shapes for a mismatch). `what` names the file in the message.
 */
export function checkStateDict(dict: StateDict, expected: Map<string, number[]>, what = 'The weights'): void {
  const p = compareStateDict(dict, expected);
  const lines: string[] = [];
  for (const m of p.mismatched) lines.push(`shape mismatch for "${m.key}": expected ${fmt(m.expected)}, got ${fmt(m.actual)}`);
  if (p.missing.length) lines.push(`missing keys: ${p.missing.map((k) => `"${k}"`).join(', ')}`);
  if (p.unexpected.length) lines.push(`unexpected keys: ${p.unexpected.map((k) => `"${k}"`).join(', ')}`);
  if (lines.length) throw new FramelabError('INVALID_INPUT', `${what} do not fit the architecture: ${lines.join('; ')}.`, p);
}
