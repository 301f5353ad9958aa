import type { StateCreator } from 'zustand';
import type { AnalysisColumn } from '../../shared/analysis';
import { DEFAULT_ANALYSIS_DRAFT, type AnalysisDraft } from './analysisDraft';
import type { Store } from './index';

/**
 * The Analysis area's state (a slice of the one store: it survives switching areas, and
 * resetStore resets it with the rest): the draft being set up, the columns last read for it,
 * and the open view.
 */
export type AnalysisView = { kind: 'setup' } | { kind: 'runs' } | { kind: 'live'; jobId: string } | { kind: 'detail'; runId: string };

export interface AnalysisSlice {
  analysisView: AnalysisView;
  analysisDraft: AnalysisDraft;
  /** The columns of the draft's table and joins as last read (null: not read, or the table changed since). */
  analysisColumns: AnalysisColumn[] | null;
  analysisRows: number | null;
  openAnalysis(view: AnalysisView): void;
  setAnalysisDraft(change: Partial<AnalysisDraft>): void;
  setAnalysisColumns(columns: AnalysisColumn[] | null, rows: number | null): void;
}

export const createAnalysisSlice: StateCreator<Store, [], [], AnalysisSlice> = (set) => ({
  analysisView: { kind: 'setup' },
  analysisDraft: DEFAULT_ANALYSIS_DRAFT,
  analysisColumns: null,
  analysisRows: null,
  openAnalysis: (analysisView) => set({ analysisView }),
  setAnalysisDraft: (change) => set((s) => ({ analysisDraft: { ...s.analysisDraft, ...change } })),
  setAnalysisColumns: (analysisColumns, analysisRows) => set({ analysisColumns, analysisRows }),
});
