import { describe, expect, it } from 'vitest';
import { Score } from '../src/shared/preference';
import { digitScore, formatScore, nudge, scoreAt, toggleHalf } from '../src/renderer/store/rateScores';

/** The Rate panel's keys land on the scale the core accepts (0–10 in 0.5 steps), whatever is pressed. */
describe('rate keys', () => {
  it('digits set the whole score; 1 then 0 is 10', () => {
    expect(digitScore(7, false)).toBe(7);
    expect(digitScore(0, false)).toBe(0);
    expect(digitScore(0, true)).toBe(10);
    expect(digitScore(5, true)).toBe(5);
  });

  it('. adds or takes off the half, never past 10; ←/→ stay within 0–10', () => {
    expect(toggleHalf(7)).toBe(7.5);
    expect(toggleHalf(7.5)).toBe(7);
    expect(toggleHalf(10)).toBe(10);
    expect(toggleHalf(null)).toBeNull();
    expect(nudge(null, 0.5)).toBe(5);
    expect(nudge(10, 0.5)).toBe(10);
    expect(nudge(0, -0.5)).toBe(0);
    expect(nudge(6.5, 0.5)).toBe(7);
  });

  it('a click on the scale rounds to the nearest half point', () => {
    expect(scoreAt(0)).toBe(0);
    expect(scoreAt(1)).toBe(10);
    expect(scoreAt(0.74)).toBe(7.5);
    expect(scoreAt(-1)).toBe(0);
    expect(scoreAt(2)).toBe(10);
  });

  it('every value any key sequence reaches is a valid Score', () => {
    let value: number | null = null;
    const steps = [
      () => digitScore(1, false),
      () => digitScore(0, true),
      () => toggleHalf(value),
      () => nudge(value, -0.5),
      () => toggleHalf(value),
      () => nudge(value, 0.5),
    ];
    for (let i = 0; i < 200; i++) {
      value = steps[i % steps.length]!();
      if (value !== null) expect(Score.safeParse(value).success, String(value)).toBe(true);
    }
    for (let f = 0; f <= 1; f += 0.013) expect(Score.safeParse(scoreAt(f)).success).toBe(true);
  });

  it('formats a score as it is typed', () => {
    expect(formatScore(null)).toBe('–');
    expect(formatScore(7)).toBe('7');
    expect(formatScore(7.5)).toBe('7.5');
  });
});
