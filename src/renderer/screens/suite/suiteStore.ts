import { create } from 'zustand';

/**
 * The Suite area's own state (kept here, not in the app store, so it survives switching
 * areas without touching the shared slices): the draft config being set up, the open view,
 * and the runs picked for comparison.
 */
export type SuiteView =
  | { kind: 'datasets' }
  | { kind: 'setup' }
  | { kind: 'runs' }
  | { kind: 'live'; jobId: string }
  | { kind: 'detail'; runId: string }
  | { kind: 'compare'; runIds: string[] };

/** The editable parts of a suite config; `buildConfig` turns them into the JSON a run gets. */
export interface SuiteDraft {
  name: string;
  /** Comma-separated. */
  tags: string;
  metadata: string;
  embeddingsPath: string;
  embeddingsIds: string;
  embeddingsKey: string;
  /** One `column = value` per line. */
  filter: string;
  dedupe: boolean;
  dedupeBy: string;
  dedupeLatest: string;
  idColumn: string;
  targetColumn: string;
  transform: 'log1p' | 'none';
  guestColumn: string;
  /** Extra leakage columns, comma-separated. */
  leakage: string;
  /** Columns a leakage name pattern caught that are known at publish time (the config's leakageAllow), comma-separated. */
  leakageAllow: string;
  featureMode: 'default' | 'custom';
  numeric: string[];
  categorical: string[];
  splitKind: 'random' | 'time' | 'group' | 'kfold' | 'group_kfold';
  ratios: [number, number, number];
  k: number;
  splitSeed: number;
  timeColumn: string;
  groupColumn: string;
  models: string[];
  rankMetric: 'rmse_log' | 'mae_log' | 'r2_log' | 'rmse_raw' | 'mae_raw' | 'spearman';
  seed: number;
  bootstrap: number;
  mlpMaxEpochs: string;
}

export const DEFAULT_DRAFT: SuiteDraft = {
  name: '',
  tags: '',
  metadata: '',
  embeddingsPath: '',
  embeddingsIds: '',
  embeddingsKey: '',
  filter: 'horizon_days = 7',
  dedupe: true,
  dedupeBy: 'video_id',
  dedupeLatest: 'captured_at',
  idColumn: 'video_id',
  targetColumn: 'horizon_view_count',
  transform: 'log1p',
  guestColumn: 'channel_id',
  leakage: '',
  leakageAllow: '',
  featureMode: 'default',
  numeric: [],
  categorical: [],
  splitKind: 'random',
  ratios: [0.7, 0.15, 0.15],
  k: 5,
  splitSeed: 42,
  timeColumn: 'captured_at',
  groupColumn: '',
  models: ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat'],
  rankMetric: 'rmse_log',
  seed: 42,
  bootstrap: 1000,
  mlpMaxEpochs: '',
};

interface SuiteState {
  view: SuiteView;
  draft: SuiteDraft;
  /** Runs ticked in the runs list for comparison. */
  picked: string[];
  open(view: SuiteView): void;
  setDraft(change: Partial<SuiteDraft>): void;
  togglePick(runId: string): void;
}

export const useSuite = create<SuiteState>()((set) => ({
  view: { kind: 'datasets' },
  draft: DEFAULT_DRAFT,
  picked: [],
  open: (view) => set({ view }),
  setDraft: (change) => set((s) => ({ draft: { ...s.draft, ...change } })),
  togglePick: (runId) => set((s) => ({ picked: s.picked.includes(runId) ? s.picked.filter((r) => r !== runId) : [...s.picked, runId] })),
}));
