/**
 * A job attempt's time-left estimate, learned from its own pace since its first step of
 * progress: start-up (a process forked, a model loaded, a file opened) is not work, so it is
 * left out and the first estimate is not pessimistic. Linear in the fraction done; null until
 * there is enough to go on (two reports at least half a second and 0.5 % apart).
 */
export class EtaEstimator {
  private paceFrom: { atMs: number; fraction: number } | null = null;

  constructor(private readonly startFraction: number) {}

  /** Seconds left at `fraction` (0–1) reported at `nowMs`, or null. */
  update(fraction: number, nowMs: number = Date.now()): number | null {
    if (!this.paceFrom) {
      if (fraction > this.startFraction) this.paceFrom = { atMs: nowMs, fraction };
      return null;
    }
    const done = fraction - this.paceFrom.fraction;
    const elapsedS = (nowMs - this.paceFrom.atMs) / 1000;
    if (done < 0.005 || elapsedS < 0.5) return null;
    return Math.round((elapsedS / done) * (1 - fraction) * 10) / 10;
  }
}
