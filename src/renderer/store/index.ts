import { create } from 'zustand';
import { createAnalysisSlice, type AnalysisSlice } from './analysisSlice';
import { createAppSlice, type AppSlice } from './appSlice';
import { createCodingSlice, type CodingSlice } from './codingSlice';
import { createFinetuneSlice, type FinetuneSlice } from './finetuneSlice';
import { createJobsSlice, type JobsSlice } from './jobsSlice';
import { createRatingSlice, type RatingSlice } from './ratingSlice';
import { createSuiteSlice, type SuiteSlice } from './suiteSlice';
import { createSyncSlice, type SyncSlice } from './syncSlice';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspaceSlice';

export type Store = AppSlice &
  JobsSlice &
  WorkspaceSlice &
  CodingSlice &
  SyncSlice &
  FinetuneSlice &
  RatingSlice &
  SuiteSlice &
  AnalysisSlice;

/** Slices combined once. Components read one value per selector (useShallow for objects). */
export const useStore = create<Store>()((...a) => ({
  ...createAppSlice(...a),
  ...createJobsSlice(...a),
  ...createWorkspaceSlice(...a),
  ...createCodingSlice(...a),
  ...createSyncSlice(...a),
  ...createFinetuneSlice(...a),
  ...createRatingSlice(...a),
  ...createSuiteSlice(...a),
  ...createAnalysisSlice(...a),
}));

const initialState = useStore.getState();

/** Back to a fresh store (tests, and a reconnect to another home). */
export function resetStore(): void {
  useStore.setState(initialState, true);
}
