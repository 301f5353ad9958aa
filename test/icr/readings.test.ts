import { describe, expect, it } from 'vitest';
import { agreementReading, alphaReading, denominatorSentence, kappaReading, smallSampleWarning } from '../../src/shared/icrReadings';

/** The words beside each reliability figure: bands that match the number shown, denominators stated once. */
describe('readings', () => {
  it('read a figure as it is shown (three decimals), so the band matches the number', () => {
    expect(alphaReading(0.7996)).toBe('reliable (α ≥ .800)'); // shown 0.800
    expect(alphaReading(0.7994)).toBe('tentative (.667 ≤ α < .800)'); // shown 0.799
    expect(alphaReading(0.6665)).toBe('tentative (.667 ≤ α < .800)'); // shown 0.667
    expect(alphaReading(null)).toBe('undefined');
  });

  it('kappa bands have no gap between .20 and .21', () => {
    expect(kappaReading(0.2)).toBe('slight (0 ≤ κ ≤ .20)');
    expect(kappaReading(0.205)).toBe('fair (.20 < κ ≤ .40)');
    expect(kappaReading(0.8004)).toBe('substantial (.60 < κ ≤ .80)');
    expect(kappaReading(0.81)).toBe('almost perfect (κ > .80)');
    expect(kappaReading(-0.1)).toBe('poor (κ < 0)');
  });

  it('warn when the figures rest on too little', () => {
    expect(smallSampleWarning(50, [0.8, 0.95])).toBeNull();
    expect(smallSampleWarning(12, [0.8, 0.95])).toBe(
      'Read these figures as provisional: only 12 frames were compared (fewer than 30). Code more overlap frames before reporting them.',
    );
    expect(smallSampleWarning(40, [0.3, 0.75])).toBe(
      "Read these figures as provisional: α's 95% interval is 0.45 wide. Code more overlap frames before reporting them.",
    );
    expect(smallSampleWarning(1, null)).toContain('only 1 frame was compared');
  });

  it('speak of frames, and say the denominators in one sentence', () => {
    expect(agreementReading(0.9, 2)).toBe('90.0% of the compared frames coded alike');
    expect(agreementReading(0.9, 3)).toBe("on average 90.0% of each frame's codes agree, pair by pair");
    const coverage = {
      dimension: 'distance',
      overlapFrames: 53,
      codedByAll: 41,
      missingByCoder: { coder_a: 0, coder_b: 12 },
      inRecodeQueue: { coder_b: 12 },
      byDate: [],
    };
    expect(denominatorSentence({ unitsCompared: 41, coders: 2 }, coverage as never)).toBe(
      '41 of 53 overlap frames coded by every coder; 12 missing a distance code from coder_b (12 in the re-code queue); the figures rest on the 41 frames with at least two codes, from 2 coders.',
    );
    expect(denominatorSentence({ unitsCompared: 1, coders: 2 }, null)).toBe(
      'The figures rest on the 1 frame with at least two codes, from 2 coders.',
    );
  });
});
