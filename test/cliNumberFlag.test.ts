import { describe, expect, it } from 'vitest';
import { describeNumberFlag, numberFlag, type NumberFlagRules } from '../src/main/cli/args';
import { expectFramelabError } from './helpers';

/** The message of the INVALID_INPUT error `numberFlag` throws for these arguments. */
function refusal(value: string, name: string, rules?: NumberFlagRules): string {
  return expectFramelabError(() => numberFlag(value, name, rules), 'INVALID_INPUT').message;
}

describe('numberFlag: the one parser of numeric CLI flags', () => {
  it('is undefined for an absent flag, so the command picks its default', () => {
    expect(numberFlag(undefined, 'workers', { integer: true, min: 1 })).toBeUndefined();
    expect(numberFlag(undefined, 'workers', { integer: true, min: 1 }) ?? 4).toBe(4);
  });

  it('reads numbers as Number does, within the rules', () => {
    expect(numberFlag('16', 'batch', { integer: true, min: 1 })).toBe(16);
    expect(numberFlag('0', 'offset', { integer: true, min: 0 })).toBe(0);
    expect(numberFlag('1e-4', 'lr')).toBe(0.0001);
    expect(numberFlag(' 2.5 ', 'every', { positive: true })).toBe(2.5);
    expect(numberFlag('-3', 'seed', { integer: true })).toBe(-3);
    expect(numberFlag('1', 'prune', { min: 0, max: 1 })).toBe(1);
    expect(numberFlag('4294967295', 'seed', { integer: true, min: 0, max: 0xffffffff })).toBe(4294967295);
  });

  it('refuses what does not fit, naming the flag and the value', () => {
    expect(refusal('x', 'workers', { integer: true, min: 1 })).toBe('--workers must be a positive whole number, not "x".');
    expect(refusal('0', 'workers', { integer: true, min: 1 })).toBe('--workers must be a positive whole number, not "0".');
    expect(refusal('1.5', 'per-video', { integer: true, min: 1 })).toBe('--per-video must be a positive whole number, not "1.5".');
    expect(refusal('0', 'every', { positive: true, unit: 'seconds' })).toBe('--every must be a positive number of seconds, not "0".');
    expect(refusal('0.05', 'every', { min: 0.1, unit: 'seconds' })).toBe('--every must be a number of seconds ≥ 0.1, not "0.05".');
    expect(refusal('-1', 'limit', { integer: true, min: 0 })).toBe('--limit must be a whole number ≥ 0, not "-1".');
    expect(refusal('1.5', 'prune', { min: 0, max: 1 })).toBe('--prune must be a number from 0 to 1, not "1.5".');
    expect(refusal('100001', 'bootstrap', { integer: true, min: 0, max: 100_000 })).toBe(
      '--bootstrap must be a whole number from 0 to 100000, not "100001".',
    );
    expect(refusal('2.5', 'seed', { integer: true })).toBe('--seed must be a whole number, not "2.5".');
    expect(refusal('abc', 'lr')).toBe('--lr must be a number, not "abc".');
  });

  it('refuses a blank value, NaN and the infinities whatever the rules', () => {
    for (const value of ['', '   ', 'NaN', 'Infinity', '-Infinity', '1e400']) {
      expect(refusal(value, 'lr')).toBe(`--lr must be a number, not "${value}".`);
    }
  });

  it("appends the command's usage when given", () => {
    expect(refusal('many', 'bootstrap', { integer: true, min: 0, max: 10, usage: 'framelab icr …' })).toBe(
      '--bootstrap must be a whole number from 0 to 10, not "many".\nUsage: framelab icr …',
    );
  });

  it('describes its rules in words', () => {
    expect(describeNumberFlag({})).toBe('a number');
    expect(describeNumberFlag({ integer: true, max: 9 })).toBe('a whole number ≤ 9');
    expect(describeNumberFlag({ positive: true, max: 9 })).toBe('a positive number ≤ 9');
    expect(describeNumberFlag({ integer: true, min: 2 })).toBe('a whole number ≥ 2');
  });
});
