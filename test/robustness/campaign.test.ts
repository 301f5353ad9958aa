/**
 * The reliability campaign at CI sizes, against the real `framelab serve` (bench/robustness,
 * docs/guide/robustness.md): saves under kill -9, job kills, the two-owners race, the load run.
 * `npm run robustness -- --long` runs the big versions; these keep the cheap ones in every build.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CAMPAIGNS } from '../../bench/robustness/campaigns';
import { cleanUpAll } from '../../bench/robustness/harness';

afterAll(cleanUpAll);

describe('robustness campaign (CI sizes)', () => {
  for (const name of Object.keys(CAMPAIGNS)) {
    it(`${name}: every invariant holds`, async () => {
      const report = await CAMPAIGNS[name]!('ci', 1, () => undefined);
      // Figures on failure say what ran; each campaign also fails when it tested nothing (no kill landed mid-way, no save acknowledged).
      expect(report.failures, JSON.stringify(report.figures, null, 1)).toEqual([]);
    }, 240_000);
  }
});
