import { listFrames, listVideos } from '../media/queries';
import type { HandlerGroup } from './types';

/** Reads over imported videos and sampled frames; importing and sampling run as jobs. */
export const mediaHandlers: HandlerGroup<'videos.list' | 'frames.list'> = {
  'videos.list': (_input, core) => ({ videos: listVideos(core.db) }),
  'frames.list': (input, core) => listFrames(core.db, input),
};
