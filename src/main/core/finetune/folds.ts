import { FramelabError } from '../../../shared/errors';
import type { CvKind } from '../../../shared/finetune';

/**
 * Cross-validation folds over a gold set. A fold names the frames it trains on and the ones
 * it holds out, by their index in the input array. Everything is ordered by id (frameId, or
 * videoId then frameId), compared by code unit rather than by locale, so the same gold set
 * gives the same folds, in the same order, on every machine and whatever order it came in.
 */
export interface GoldFrame {
  frameId: string;
  videoId: string;
  /** The class index (the model's output order). Folds do not look at it. */
  label: number;
}

export interface Fold {
  /** `loo:<frameId>` or `video:<videoId>`. */
  id: string;
  /** Input indices, in frameId order. */
  train: number[];
  /** Input indices, in frameId order. */
  test: number[];
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Input indices sorted by frameId; a frame listed twice is an error (it would be in train and test). */
function frameOrder(frames: readonly Pick<GoldFrame, 'frameId'>[]): number[] {
  const order = frames.map((_, i) => i).sort((i, j) => byCodeUnit(frames[i]!.frameId, frames[j]!.frameId));
  for (let k = 1; k < order.length; k++) {
    const id = frames[order[k]!]!.frameId;
    if (id === frames[order[k - 1]!]!.frameId) {
      throw new FramelabError('INVALID_INPUT', `Frame "${id}" is in the gold set twice; each frame can be held out only once.`);
    }
  }
  return order;
}

/** One fold per frame: train on all the others, test on that one. */
export function leaveOneOutFolds(frames: readonly GoldFrame[]): Fold[] {
  if (frames.length < 2) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Leave-one-out needs at least 2 gold frames (one to hold out, one to train on); this gold set has ${frames.length}.`,
    );
  }
  const order = frameOrder(frames);
  return order.map((held) => ({ id: `loo:${frames[held]!.frameId}`, train: order.filter((i) => i !== held), test: [held] }));
}

/**
 * One fold per video: hold out all its frames at once. Frames of one video look alike, so a
 * model that trained on a sibling frame would be scored too kindly by leave-one-out.
 */
export function leaveOneVideoOutFolds(frames: readonly GoldFrame[]): Fold[] {
  const order = frameOrder(frames);
  const videos = [...new Set(frames.map((f) => f.videoId))].sort(byCodeUnit);
  if (videos.length < 2) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Leave-one-video-out needs gold frames from at least 2 videos; this gold set has ${videos.length === 0 ? 'none' : 'frames from 1 video only'}. Use leave-one-out instead.`,
    );
  }
  return videos.map((videoId) => ({
    id: `video:${videoId}`,
    train: order.filter((i) => frames[i]!.videoId !== videoId),
    test: order.filter((i) => frames[i]!.videoId === videoId),
  }));
}

export function crossValidationFolds(frames: readonly GoldFrame[], cv: CvKind): Fold[] {
  return cv === 'loo' ? leaveOneOutFolds(frames) : leaveOneVideoOutFolds(frames);
}
