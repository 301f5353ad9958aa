/**
 * LASSO by cyclic coordinate descent: sklearn's `enet_coordinate_descent_gram` (`_cd_fast`,
 * l1_ratio = 1) step for step, so that a path fitted here stops where sklearn's stops even at
 * its loose default tolerance. It minimizes ½‖y − Xw‖² + l1·‖w‖₁ on centred X and y (the
 * caller centres; l1 = α·n gives sklearn's (1/2n)‖y − Xw‖² + α‖w‖₁), through Q = XᵀX and
 * q = Xᵀy: O(p²) per sweep whatever the number of rows. sklearn's dense solver
 * (`enet_coordinate_descent`, used for its final refit) makes the same updates in exact
 * arithmetic — Xⱼᵀr = qⱼ − (Qw)ⱼ + wⱼQⱼⱼ — and computes the same duality gap.
 *
 * Stopping rule (sklearn's): after a sweep whose largest coefficient change is below
 * tol·max|w| (or when w = 0, or on the last allowed sweep), the duality gap of the current w is
 * computed; the fit stops when the gap is below tol·‖y‖². Reaching the sweep limit with a
 * larger gap is not converged — sklearn warns, we count it.
 */

export interface CdResult {
  iterations: number;
  gap: number;
  /** The gap threshold, tol·‖y‖². */
  tolerance: number;
  converged: boolean;
}

function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function absSum(w: Float64Array): number {
  let s = 0;
  for (const v of w) s += Math.abs(v);
  return s;
}

/** sklearn's duality gap for the lasso, from ‖Xᵀr‖∞, ‖r‖² and rᵀy (r = y − Xw). */
function dualityGap(dualNorm: number, l1: number, rNorm2: number, rDotY: number, w: Float64Array): number {
  let gap: number;
  let constant: number;
  if (dualNorm > l1) {
    constant = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
  } else {
    constant = 1;
    gap = rNorm2;
  }
  return gap + l1 * absSum(w) - constant * rDotY;
}

/**
 * Q = XᵀX (p × p, symmetric), q = Xᵀy and ‖y‖² for the gap; w is updated in place (warm
 * start: pass the solution at the previous α of a path).
 */
export function coordinateDescentGram(
  w: Float64Array,
  l1: number,
  gram: Float64Array,
  q: Float64Array,
  yNorm2: number,
  p: number,
  maxIterations: number,
  tol: number,
): CdResult {
  const h = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const wj = w[j]!;
    if (wj !== 0) for (let i = 0; i < p; i++) h[i]! += gram[j * p + i]! * wj;
  }
  const gapTol = tol * yNorm2;
  let gap = gapTol + 1;
  for (let it = 0; it < maxIterations; it++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      const qjj = gram[j * p + j]!;
      if (qjj === 0) continue;
      const cj = j * p;
      const old = w[j]!;
      // Xⱼᵀ(y − Xw + wⱼXⱼ): the partial residual's correlation with column j.
      const tmp = q[j]! - h[j]! + old * qjj;
      const next = (sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / qjj;
      w[j] = next;
      // sklearn removes the old contribution and adds the new one in two passes; one pass
      // with the difference is the same update, at half the cost.
      const change = next - old;
      if (change !== 0) for (let i = 0; i < p; i++) h[i]! += change * gram[cj + i]!;
      dwMax = Math.max(dwMax, Math.abs(next - old));
      wMax = Math.max(wMax, Math.abs(next));
    }
    if (wMax === 0 || dwMax / wMax < tol || it === maxIterations - 1) {
      let qDotW = 0;
      let wDotH = 0;
      let dualNorm = 0;
      for (let j = 0; j < p; j++) {
        qDotW += q[j]! * w[j]!;
        wDotH += w[j]! * h[j]!;
        dualNorm = Math.max(dualNorm, Math.abs(q[j]! - h[j]!));
      }
      // ‖y − Xw‖² = ‖y‖² + wᵀQw − 2qᵀw and Rᵀy = ‖y‖² − qᵀw, without forming R.
      gap = dualityGap(dualNorm, l1, yNorm2 + wDotH - 2 * qDotW, yNorm2 - qDotW, w);
      if (gap < gapTol) return { iterations: it + 1, gap, tolerance: gapTol, converged: true };
    }
  }
  return { iterations: maxIterations, gap, tolerance: gapTol, converged: false };
}
