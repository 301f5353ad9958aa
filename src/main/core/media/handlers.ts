import { listFrames, listVideos } from './queries';
import type { HandlerGroup } from '../api/types';

/** Reads over imported videos and sampled frames; importing and sampling run as jobs. */
export const mediaHandlers: HandlerGroup<'videos.list' | 'frames.list'> = {
  'videos.list': (_input, core) => ({ videos: listVideos(core.db) }),
  'frames.list': (input, core) => listFrames(core.db, input),
};
