import type { CvKind } from '../../../shared/finetune';

export const CV_LABEL: Record<CvKind | 'both', string> = {
  loo: 'leave-one-out',
  video: 'leave-one-video-out',
  both: 'leave-one-out and leave-one-video-out',
};

export const fixed3 = (n: number) => n.toFixed(3);

/**
 * A difference with its sign, so a drop is never mistaken for a gain. A difference that rounds
 * to zero is plain `0.000`: neither `−0.000` nor `±0.000`, which read as a change or a margin.
 */
export const signed3 = (n: number) => {
  const shown = Math.abs(n).toFixed(3);
  if (Number(shown) === 0) return '0.000';
  return `${n > 0 ? '+' : '−'}${shown}`;
};

export const interval = ([lo, hi]: readonly [number, number]) => `[${signed3(lo)}, ${signed3(hi)}]`;

export const pValue = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** `v7` from `pov@v7`. */
export const versionOf = (modelId: string) => modelId.slice(modelId.indexOf('@') + 1);
