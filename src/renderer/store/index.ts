import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './appSlice';
import { createCodingSlice, type CodingSlice } from './codingSlice';
import { createFinetuneSlice, type FinetuneSlice } from './finetuneSlice';
import { createJobsSlice, type JobsSlice } from './jobsSlice';
import { createRatingSlice, type RatingSlice } from './ratingSlice';
import { createSyncSlice, type SyncSlice } from './syncSlice';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspaceSlice';

export type Store = AppSlice & JobsSlice & WorkspaceSlice & CodingSlice & SyncSlice & FinetuneSlice & RatingSlice;

/** Slices combined once. Components read one value per selector (useShallow for objects). */
export const useStore = create<Store>()((...a) => ({
  ...createAppSlice(...a),
  ...createJobsSlice(...a),
  ...createWorkspaceSlice(...a),
  ...createCodingSlice(...a),
  ...createSyncSlice(...a),
  ...createFinetuneSlice(...a),
  ...createRatingSlice(...a),
}));

const initialState = useStore.getState();

/** Back to a fresh store (tests, and a reconnect to another home). */
export function resetStore(): void {
  useStore.setState(initialState, true);
}
