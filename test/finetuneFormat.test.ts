import { describe, expect, it } from 'vitest';
import { interval, signed3 } from '../src/renderer/screens/finetune/format';

/** The comparison page's differences: signed, and a zero that reads as zero. */
describe('signed3', () => {
  it('signs gains and drops with + and a true minus', () => {
    expect(signed3(0.1234)).toBe('+0.123');
    expect(signed3(-0.3333)).toBe('−0.333');
  });

  it('writes a difference that rounds to zero as 0.000, never ±0.000 or −0.000', () => {
    expect(signed3(0)).toBe('0.000');
    expect(signed3(-0)).toBe('0.000');
    expect(signed3(-0.0002)).toBe('0.000');
    expect(signed3(0.0004)).toBe('0.000');
    expect(interval([-0.667, 0])).toBe('[−0.667, 0.000]');
  });
});
