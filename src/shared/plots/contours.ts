/**
 * Contour lines of a function sampled on a rectangular grid, by marching squares:
 * values[i][j] at (x[i], y[j]); each grid cell contributes 0, 1 or 2 segments per level, their
 * ends interpolated linearly along the cell's edges. The two ambiguous (saddle) cases are
 * decided by the mean of the four corners, as most plotting libraries do. A cell with a
 * non-finite corner contributes nothing.
 */

export type Segment = readonly [x1: number, y1: number, x2: number, y2: number];

// Edges: 0 bottom (c0–c1), 1 right (c1–c2), 2 top (c2–c3), 3 left (c3–c0), with corners
// c0 = (i, j), c1 = (i+1, j), c2 = (i+1, j+1), c3 = (i, j+1); bit k of the case = corner k ≥ level.
const SEGMENTS: Record<number, [number, number][]> = {
  1: [[3, 0]],
  2: [[0, 1]],
  3: [[3, 1]],
  4: [[1, 2]],
  6: [[0, 2]],
  7: [[3, 2]],
  8: [[2, 3]],
  9: [[0, 2]],
  11: [[1, 2]],
  12: [[1, 3]],
  13: [[0, 1]],
  14: [[3, 0]],
};

export function contourSegments(
  x: readonly number[],
  y: readonly number[],
  values: readonly (readonly number[])[],
  level: number,
): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i + 1 < x.length; i++) {
    for (let j = 0; j + 1 < y.length; j++) {
      const v = [values[i]![j]!, values[i + 1]![j]!, values[i + 1]![j + 1]!, values[i]![j + 1]!];
      if (!v.every(Number.isFinite)) continue;
      const corners: [number, number][] = [
        [x[i]!, y[j]!],
        [x[i + 1]!, y[j]!],
        [x[i + 1]!, y[j + 1]!],
        [x[i]!, y[j + 1]!],
      ];
      const index = v.reduce((acc, value, k) => acc | ((value >= level ? 1 : 0) << k), 0);
      let pairs = SEGMENTS[index];
      if (index === 5 || index === 10) {
        const centreHigh = (v[0]! + v[1]! + v[2]! + v[3]!) / 4 >= level;
        // 5: c0 and c2 high. Joined through a high centre, the low corners c1 and c3 are cut off.
        if (index === 5)
          pairs = centreHigh
            ? [
                [0, 1],
                [2, 3],
              ]
            : [
                [3, 0],
                [1, 2],
              ];
        else
          pairs = centreHigh
            ? [
                [3, 0],
                [1, 2],
              ]
            : [
                [0, 1],
                [2, 3],
              ];
      }
      if (!pairs) continue;
      const point = (edge: number): [number, number] => {
        const a = edge;
        const b = (edge + 1) % 4;
        const t = (level - v[a]!) / (v[b]! - v[a]!);
        return [corners[a]![0] + t * (corners[b]![0] - corners[a]![0]), corners[a]![1] + t * (corners[b]![1] - corners[a]![1])];
      };
      for (const [e1, e2] of pairs) {
        const p = point(e1);
        const q = point(e2);
        out.push([p[0], p[1], q[0], q[1]]);
      }
    }
  }
  return out;
}
