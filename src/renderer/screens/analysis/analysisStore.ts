import { create } from 'zustand';
import type { AnalysisColumn } from '../../../shared/analysis';
import { DEFAULT_ANALYSIS_DRAFT, type AnalysisDraft } from './draft';

/**
 * The Analysis area's own state (kept here, not in the app store, so it survives switching
 * areas): the draft being set up, the columns last read for it, and the open view.
 */
export type AnalysisView = { kind: 'setup' } | { kind: 'runs' } | { kind: 'live'; jobId: string } | { kind: 'detail'; runId: string };

interface AnalysisState {
  view: AnalysisView;
  draft: AnalysisDraft;
  /** The columns of the draft's table and joins as last read (null: not read, or the table changed since). */
  columns: AnalysisColumn[] | null;
  rows: number | null;
  open(view: AnalysisView): void;
  setDraft(change: Partial<AnalysisDraft>): void;
  setColumns(columns: AnalysisColumn[] | null, rows: number | null): void;
}

export const useAnalysis = create<AnalysisState>()((set) => ({
  view: { kind: 'setup' },
  draft: DEFAULT_ANALYSIS_DRAFT,
  columns: null,
  rows: null,
  open: (view) => set({ view }),
  setDraft: (change) => set((s) => ({ draft: { ...s.draft, ...change } })),
  setColumns: (columns, rows) => set({ columns, rows }),
}));
