import type { StateCreator } from 'zustand';
import type { FrameSummary, VideoSummary } from '../../shared/media';
import type { AnalysisView, RaterType, RatingHistory, RatingQueuePage } from '../../shared/preference';
import { EMPTY_SCORES, type ScoreField, type Scores } from './rateScores';
import type { Store } from './index';

/** To rate: the rater's queue (videos without a rating by them); Rated: their current ratings, to rate again. */
export type RateView = 'queue' | 'rated';

/** What the Rate panel shows of one video; each part loads on its own. */
export interface RateVideo {
  videoId: string;
  history: RatingHistory | null;
  analyses: AnalysisView | null;
  /** The imported video (null: not imported into Framelab). */
  video: VideoSummary | null;
  frames: FrameSummary[];
}

export interface RatingSlice {
  /** Who is rating in this window (remembered per machine, like the coder). */
  rater: string | null;
  raterType: RaterType;
  rateView: RateView;
  /** The loaded page of the view's video ids and where it starts in the whole list. */
  rateIds: string[];
  rateOffset: number;
  rateTotal: number;
  /** Index of the video on screen in the whole list. */
  ratePosition: number;
  rateCounts: RatingQueuePage['counts'] | null;
  rateVideo: RateVideo | null;
  /** The scores and note on screen, saved only by Enter (or the button). */
  rateDraft: Scores;
  rateNote: string;
  rateField: ScoreField;
  /** The previous key was a 1 in this field: a 0 now makes 10. */
  rateAfterOne: boolean;
  rateSaving: boolean;
  /** The last save's outcome or why it could not save, shown beside the Save button. */
  rateMessage: { kind: 'saved' | 'error'; text: string } | null;
  setRater(rater: string | null, raterType: RaterType): void;
  setRateView(view: RateView): void;
  setRateDraft(draft: Scores, note?: string): void;
  setRateField(field: ScoreField): void;
}

export const createRatingSlice: StateCreator<Store, [], [], RatingSlice> = (set) => ({
  rater: null,
  raterType: 'owner',
  rateView: 'queue',
  rateIds: [],
  rateOffset: 0,
  rateTotal: 0,
  ratePosition: 0,
  rateCounts: null,
  rateVideo: null,
  rateDraft: EMPTY_SCORES,
  rateNote: '',
  rateField: 'overall',
  rateAfterOne: false,
  rateSaving: false,
  rateMessage: null,
  setRater: (rater, raterType) =>
    set({
      rater,
      raterType,
      rateIds: [],
      rateOffset: 0,
      rateTotal: 0,
      ratePosition: 0,
      rateCounts: null,
      rateVideo: null,
      rateDraft: EMPTY_SCORES,
      rateNote: '',
      rateMessage: null,
    }),
  setRateView: (rateView) => set({ rateView, ratePosition: 0, rateMessage: null }),
  setRateDraft: (rateDraft, note) => set((s) => ({ rateDraft, rateNote: note ?? s.rateNote, rateAfterOne: false })),
  setRateField: (rateField) => set({ rateField, rateAfterOne: false }),
});
